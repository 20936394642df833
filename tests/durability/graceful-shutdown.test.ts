import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, startServer, waitFor, waitForStatus, type ServerProcess } from "./harness";

// SIGTERM of `next start` while it executes a run and serves a live stream: it ends the stream, cancels the run,
// gives the run's lease and the scheduler leases back and exits 0; the next server takes the run over at once,
// not after the (here 30 s) lease.

const LEASE_MS = 30_000;
const LONG_DRAFT = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");

let fake: FakeOpenAIServer;
const temp = makeTempDir();
const servers: ServerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  await fake.close();
  temp.cleanup();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.crash()));
});

function query<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe("graceful shutdown", () => {
  it("ends live streams, releases the run and the scheduler leases, exits 0, and the next server takes over at once", async () => {
    const dbFile = temp.file("shutdown.db");
    fake.setHandler((request) =>
      request.index === 1
        ? { kind: "reply", text: LONG_DRAFT, chunkDelayMs: 100 }
        : { kind: "reply", text: "Drafted after the restart. Pre-order today!" },
    );
    const env = { RUN_LEASE_MS: String(LEASE_MS), LOG_LEVEL: "info" };
    const first = await startServer({ dbFile, modelBaseUrl: fake.baseURL, env });
    servers.push(first);
    const created = await api<{ runId: string }>(
      first.url,
      "POST",
      "/api/runs",
      { brief: "Shut down gracefully while drafting" },
      first.as("Pat"),
    );
    const { runId } = created.body;
    await waitFor("the writer streaming", async () => (fake.requests.length >= 1 ? true : undefined));

    const stream = await fetch(`${first.url}/api/runs/${runId}/events`, { headers: first.as("Pat") });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the stream is open
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();

    const stopping = Date.now();
    await first.stop(); // SIGTERM
    const shutdownMs = Date.now() - stopping;
    servers.splice(servers.indexOf(first), 1);
    expect(first.child.exitCode).toBe(0);
    expect(await ended).toBe(true);
    expect(first.output()).toContain("shut down: live streams ended, runs and leases released");
    expect(shutdownMs).toBeLessThan(5_000);
    expect(query(dbFile, "select lease_owner as owner, status from runs where run_id = ?", runId)).toEqual([
      { owner: null, status: "running" },
    ]);
    expect(
      query<{ expires: number }>(dbFile, "select expires_at as expires from scheduler_leases").every(
        (row) => row.expires === 0,
      ),
    ).toBe(true);

    const restarted = Date.now();
    const second = await startServer({ dbFile, modelBaseUrl: fake.baseURL, env });
    servers.push(second);
    const paused = await waitForStatus(second.url, runId, "awaiting_review", LEASE_MS - 5_000);
    const takeoverMs = Date.now() - restarted;
    console.log(
      `graceful shutdown: SIGTERM to exit ${shutdownMs} ms; restart to the run paused for review ${takeoverMs} ms (lease ${LEASE_MS} ms)`,
    );
    expect(takeoverMs).toBeLessThan(LEASE_MS);
    expect(paused.pendingRequests).toHaveLength(1);
  }, 120_000);
});
