import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import {
  api,
  freshDatabase,
  getRun as getRunFrom,
  queryRows,
  startServer,
  STORES,
  waitFor,
  waitForStatus,
  type ServerProcess,
} from "./harness";

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite customers to pre-order.";
const LONG_DRAFT = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

let fake: FakeOpenAIServer;
let temp: ReturnType<typeof makeTempDir>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.crash()));
  fake.reset();
  fake.setHandler(undefined);
  temp?.cleanup();
});

async function boot(dbFile: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({ dbFile, modelBaseUrl: fake.baseURL, env });
  servers.push(server);
  return server;
}

function countRows(dbFile: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("crash recovery (kill -9 of next start)", () => {
  it("resumes a run killed while the writer was streaming, from its last checkpoint, with nothing duplicated", async () => {
    temp = makeTempDir();
    const dbFile = temp.file("crash.db");
    // the first model call streams slowly so the kill lands mid-call; later calls answer at once
    fake.setHandler((request) =>
      request.index === 1
        ? { kind: "reply", text: LONG_DRAFT, chunkDelayMs: 100 }
        : { kind: "reply", text: "A recovered draft. Pre-order today!" },
    );
    const first = await boot(dbFile);
    const created = await api<{ runId: string }>(first.url, "POST", "/api/runs", { brief: BRIEF }, first.as("Pat"));
    expect(created.status).toBe(201);
    const runId = created.body.runId;
    await waitFor("the writer to start streaming", async () => (fake.requests.length >= 1 ? true : undefined));
    await first.crash();

    const second = await boot(dbFile);
    const paused = await waitForStatus(second.url, runId, "awaiting_review", 30_000);
    expect(paused.brief).toBe(BRIEF);
    expect(paused.pendingRequests).toHaveLength(1);
    expect(paused.pendingRequests[0]!.draft).toBe("A recovered draft. Pre-order today!");
    expect(fake.requests).toHaveLength(2);

    const rows = await checkpointRowsOf(dbFile, runId);
    expect(rows.filter((row) => row.kind === "initial")).toHaveLength(1);
    expect(rows.map((row) => row.superstep)).toEqual([0, 1, 2, 3, 4]);
    rows.forEach((row, i) => expect(row.parentId).toBe(i === 0 ? null : rows[i - 1]!.id));
  }, 90_000);

  for (const decision of ["approve", "Mention free shipping."]) {
    it(`applies a decision ("${decision}") exactly once when the server is killed right after accepting it`, async () => {
      temp = makeTempDir();
      const dbFile = temp.file("decision.db");
      const first = await boot(dbFile);
      const { body } = await api<{ runId: string }>(first.url, "POST", "/api/runs", { brief: BRIEF });
      const paused = await waitForStatus(first.url, body.runId, "awaiting_review");
      const requestId = paused.pendingRequests[0]!.requestId;
      // the revision call would stream slowly: the kill lands before the run continues
      fake.setHandler(() => ({ kind: "reply", text: LONG_DRAFT, chunkDelayMs: 200 }));
      const answered = await api(
        first.url,
        "POST",
        `/api/runs/${body.runId}/responses`,
        { responses: { [requestId]: decision } },
        first.as("Rita"),
      );
      expect(answered.status).toBe(202);
      await first.crash();
      // durable before the 202: the answer is on disk though the process died at once
      expect(countRows(dbFile, "select count(*) as n from request_responses where request_id = ?", requestId)).toBe(1);

      fake.setHandler(() => ({ kind: "reply", text: "Revised after restart. Pre-order today!" }));
      const second = await boot(dbFile);
      const expected = decision === "approve" ? "completed" : "awaiting_review";
      const after = await waitForStatus(second.url, body.runId, expected, 30_000);
      expect(after.decisions).toHaveLength(1);
      expect(after.decisions[0]).toMatchObject({
        requestId,
        response: decision,
        decidedBy: "Rita",
        decidedVia: "api-key",
      });
      if (decision === "approve") expect(after.outputs).toEqual([paused.pendingRequests[0]!.draft]);
      else
        expect(after.pendingRequests[0]).toMatchObject({
          iteration: 2,
          draft: "Revised after restart. Pre-order today!",
        });
      expect(countRows(dbFile, "select count(*) as n from request_responses where run_id = ?", body.runId)).toBe(1);
    }, 90_000);
  }

  it("never lets two servers on one file execute the same run; a crashed holder's run is picked up", async () => {
    temp = makeTempDir();
    const dbFile = temp.file("lease.db");
    fake.setHandler((request) =>
      request.index === 1
        ? { kind: "reply", text: LONG_DRAFT, chunkDelayMs: 150 }
        : { kind: "reply", text: "Picked up by B. Pre-order today!" },
    );
    const a = await boot(dbFile);
    const b = await boot(dbFile);
    const { body } = await api<{ runId: string }>(a.url, "POST", "/api/runs", { brief: BRIEF });
    await waitFor("A to call the writer", async () => (fake.requests.length >= 1 ? true : undefined));
    // A renews its lease while streaming (60 chunks x 150 ms = 9 s, six lease lengths): B must keep off
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(fake.requests).toHaveLength(1);
    await a.crash();
    const paused = await waitForStatus(b.url, body.runId, "awaiting_review", 30_000);
    expect(paused.pendingRequests[0]!.draft).toBe("Picked up by B. Pre-order today!");
    expect(fake.requests).toHaveLength(2);
  }, 90_000);
});

describe.each(STORES)("a server frozen past its lease, on %s", (store) => {
  it("fences out a server that was frozen past its lease (SIGSTOP): it writes nothing after another took the run over", async () => {
    temp = makeTempDir();
    const dbFile = await freshDatabase(store, "frozen.db", temp);
    let releaseStalled!: () => void;
    const stalledCall = new Promise<void>((resolve) => (releaseStalled = resolve));
    fake.setHandler(async (request) => {
      if (request.index !== 1) return { kind: "reply", text: "Drafted by B after the takeover. Pre-order today!" };
      await stalledCall;
      return { kind: "reply", text: "A late draft from the frozen server." };
    });
    const a = await boot(dbFile);
    const b = await boot(dbFile);
    const { body } = await api<{ runId: string }>(a.url, "POST", "/api/runs", { brief: BRIEF });
    await waitFor("A to call the writer", async () => (fake.requests.length >= 1 ? true : undefined));
    process.kill(-(a.child.pid as number), "SIGSTOP");
    try {
      const paused = await waitForStatus(b.url, body.runId, "awaiting_review", 30_000);
      const before = await checkpointRowsOf(dbFile, body.runId);
      const rowBefore = await runRowOf(dbFile, body.runId);
      // A's model call completes while it is frozen; it wakes with the reply (and an overdue renewal) waiting
      releaseStalled();
      process.kill(-(a.child.pid as number), "SIGCONT");
      // whichever A notices first (its renewal or its save), nothing of it may land: watch three lease lengths
      const watchUntil = Date.now() + 4_500;
      while (Date.now() < watchUntil) {
        expect(await checkpointRowsOf(dbFile, body.runId)).toEqual(before);
        expect(await runRowOf(dbFile, body.runId)).toEqual(rowBefore);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      expect(rowBefore).toMatchObject({
        status: "awaiting_review",
        pendingRequestId: paused.pendingRequests[0]!.requestId,
        errorCode: null,
      });
      const parents = before.map((row) => row.parentId).filter((parent) => parent !== null);
      expect(new Set(parents).size).toBe(parents.length);
      const seenByA = await getRunFrom(a.url, body.runId);
      expect(seenByA.pendingRequests[0]!.draft).toBe("Drafted by B after the takeover. Pre-order today!");
    } finally {
      process.kill(-(a.child.pid as number), "SIGCONT");
    }
  }, 90_000);
});

/** The run's checkpoints, oldest first, on either store. */
function checkpointRowsOf(database: string, runId: string) {
  return queryRows<{ id: string; parentId: string | null; kind: string; superstep: number }>(
    database,
    `select checkpoint_id as "id", parent_id as "parentId", kind, superstep from checkpoints where run_id = ? order by seq`,
    runId,
  );
}

/** The run row's projection columns, on either store. */
async function runRowOf(database: string, runId: string) {
  const [row] = await queryRows(
    database,
    `select status, head_checkpoint_id as "head", pending_request_id as "pendingRequestId", error_code as "errorCode", published_text as "publishedText" from runs where run_id = ?`,
    runId,
  );
  return row;
}
