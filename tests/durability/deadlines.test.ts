import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, waitFor, waitForStatus, type ServerProcess } from "./harness";

// Durable timers against `next start` processes (TIMER_TICK_MS=200 in the harness). Time is moved by moving the
// timers' due times in the database, as if the hours had passed while the server was down.

const temp = makeTempDir();
const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.crash()));
});

async function start(dbFile: string) {
  const server = await startServer({ dbFile });
  servers.push(server);
  return server;
}

function makeDue(dbFile: string): number {
  const db = new Database(dbFile);
  try {
    return db
      .prepare("update durable_timers set due_at = ? where fired_at is null and cancelled_at is null")
      .run(Date.now() - 1_000).changes;
  } finally {
    db.close();
  }
}

function count(dbFile: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("deadline timers across processes", () => {
  it("fires a timer that fell due while the server was killed, once, after it restarts; an expiry rejects once", async () => {
    const dbFile = temp.file("restart.db");
    const first = await start(dbFile);
    expect(
      (
        await api(first.url, "PUT", "/api/review-policy", {
          deadlineMinutes: 60,
          reminderMinutesBefore: null,
          expireAfterMinutes: 60,
        })
      ).status,
    ).toBe(200);
    const created = await api<{ runId: string }>(
      first.url,
      "POST",
      "/api/runs",
      { brief: "Deadline across a crash" },
      first.as("Pat"),
    );
    await waitForStatus(first.url, created.body.runId, "awaiting_review");
    await first.crash(); // kill -9, before anything is due
    servers.splice(servers.indexOf(first), 1);
    expect(makeDue(dbFile)).toBe(2); // escalation and expiry, now overdue

    const second = await start(dbFile);
    const rejected = await waitForStatus(second.url, created.body.runId, "rejected", 30_000);
    expect(rejected).toMatchObject({
      rejection: { reason: "Expired: no decision by the deadline.", by: "Draftgate (deadline)" },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // five more ticks
    expect(
      count(
        dbFile,
        "select count(*) as n from run_audit where run_id = ? and action = 'escalated'",
        created.body.runId,
      ),
    ).toBe(1);
    expect(count(dbFile, "select count(*) as n from request_responses where run_id = ?", created.body.runId)).toBe(1);
    expect(
      count(
        dbFile,
        "select count(*) as n from durable_timers where run_id = ? and fired_at is not null",
        created.body.runId,
      ),
    ).toBe(2);
  }, 90_000);

  it("fires each timer once in effect with two server processes on one database", async () => {
    const dbFile = temp.file("two.db");
    const first = await start(dbFile);
    const second = await start(dbFile);
    expect(
      (await api(first.url, "PUT", "/api/review-policy", { deadlineMinutes: 60, reminderMinutesBefore: 30 })).status,
    ).toBe(200);
    const runIds: string[] = [];
    for (let n = 0; n < 10; n++) {
      const created = await api<{ runId: string }>(
        n % 2 ? first.url : second.url,
        "POST",
        "/api/runs",
        { brief: `Two schedulers ${n}` },
        first.as("Pat"),
      );
      runIds.push(created.body.runId);
    }
    for (const runId of runIds) await waitForStatus(first.url, runId, "awaiting_review");
    expect(makeDue(dbFile)).toBe(20); // a reminder and an escalation per run
    await waitFor(
      "every timer to fire",
      async () =>
        count(dbFile, "select count(*) as n from durable_timers where fired_at is null and cancelled_at is null") === 0
          ? true
          : undefined,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(count(dbFile, "select count(*) as n from run_audit where action = 'reminded'")).toBe(10);
    expect(count(dbFile, "select count(*) as n from run_audit where action = 'escalated'")).toBe(10);
    expect(count(dbFile, "select count(distinct run_id) as n from run_audit where action = 'escalated'")).toBe(10);
  }, 90_000);
});
