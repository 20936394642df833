import Database from "better-sqlite3";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver } from "@/tests/support/http-receiver";
import { startMailCatcher } from "@/tests/support/mail-catcher";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, waitFor, waitForStatus, type ServerProcess } from "./harness";

// The outbox across a kill -9: the decision commits with its notifications; the process dies before the
// dispatcher sends them; the next process sends each once, with the same idempotency key the row had.

const temp = makeTempDir();
const servers: ServerProcess[] = [];
let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let endpoint: Awaited<ReturnType<typeof startHttpReceiver>>;
const SECRET = `whsec_${Buffer.from("durability-test-secret-32-bytes!").toString("base64")}`;

beforeAll(async () => {
  mail = await startMailCatcher();
  endpoint = await startHttpReceiver();
});
afterAll(async () => {
  await mail.close();
  await endpoint.close();
  temp.cleanup();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.crash()));
});

function rows<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe("notifications across a crash", () => {
  it("delivers what a killed server committed, once, after the restart, with the same idempotency key", async () => {
    const dbFile = temp.file("outbox.db");
    // the first server's dispatcher ticks once at start and then only hourly: it never sends what follows
    const first = await startServer({ dbFile, env: { SMTP_URL: mail.url, TIMER_TICK_MS: "3600000" } });
    servers.push(first);
    const db = new Database(dbFile);
    db.prepare(
      "insert into webhook_endpoints (id, url, description, kinds, secret, created_at) values ('ep-1', ?, 'durability', ?, ?, ?)",
    ).run(`${endpoint.url}/hook`, JSON.stringify(["review.requested", "run.published"]), SECRET, Date.now());
    db.close();

    const created = await api<{ runId: string }>(
      first.url,
      "POST",
      "/api/runs",
      { brief: "Outbox across a crash" },
      first.as("Pat"),
    );
    const paused = await waitForStatus(first.url, created.body.runId, "awaiting_review");
    const answered = await api(
      first.url,
      "POST",
      `/api/runs/${created.body.runId}/responses`,
      { responses: { [paused.pendingRequests[0]!.requestId]: "approve" } },
      first.as("Rita"),
    );
    expect(answered.status).toBe(202);
    await waitForStatus(first.url, created.body.runId, "completed");
    await first.crash(); // kill -9 between the decision's commit and any delivery
    servers.splice(servers.indexOf(first), 1);

    const pending = rows<{ id: string; channel: string; address: string; kind: string }>(
      dbFile,
      "select d.id, d.channel, d.address, e.kind from notification_deliveries d join notification_events e on e.id = d.event_id where d.status = 'pending'",
    );
    // review.requested: the three reviewers and the admin by email, and the endpoint; run.published: Pat and the endpoint
    expect(pending.map((row) => `${row.kind} ${row.channel} ${row.address}`).sort()).toEqual(
      [
        "review.requested email ada@example.com",
        "review.requested email ana@example.com",
        "review.requested email ben@example.com",
        "review.requested email rita@example.com",
        `review.requested webhook ${endpoint.url}/hook`,
        "run.published email pat@example.com",
        `run.published webhook ${endpoint.url}/hook`,
      ].sort(),
    );
    expect(mail.messages).toHaveLength(0);
    expect(endpoint.received).toHaveLength(0);

    const second = await startServer({ dbFile, env: { SMTP_URL: mail.url } });
    servers.push(second);
    await waitFor(
      "every delivery",
      async () =>
        rows(dbFile, "select id from notification_deliveries where status != 'delivered'").length === 0
          ? true
          : undefined,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // five more ticks: nothing is sent again
    expect(mail.messages.map((message) => message.to[0]).sort()).toEqual([
      "ada@example.com",
      "ana@example.com",
      "ben@example.com",
      "pat@example.com",
      "rita@example.com",
    ]);
    expect(mail.to("pat@example.com")[0]!.parsed.subject).toBe("Published: Outbox across a crash");
    expect(endpoint.received).toHaveLength(2);
    const published = pending.find((row) => row.kind === "run.published" && row.channel === "webhook")!;
    const delivery = endpoint.received.find((request) => request.headers["webhook-id"] === published.id)!;
    const headers = {
      "webhook-id": published.id,
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    };
    expect(new Webhook(SECRET).verify(delivery.body, headers)).toMatchObject({
      type: "run.published",
      data: { runId: created.body.runId, runUrl: `${second.url}/runs/${created.body.runId}` },
    });
    expect(mail.to("pat@example.com")[0]!.parsed.messageId).toBe(
      `<${pending.find((row) => row.kind === "run.published" && row.channel === "email")!.id}@localhost>`,
    );
  }, 120_000);
});
