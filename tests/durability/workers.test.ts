import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import {
  api,
  getRun,
  startServer,
  startWorker,
  waitFor,
  waitForStatus,
  type ServerProcess,
  freshDatabase,
  STORES,
  type WorkerProcess,
} from "./harness";

// A web instance (DRAFTGATE_ROLE=web) and workers (`npm run worker`) on one SQLite file: the web instance only
// makes each step durable (a brief's first checkpoint, an answer) and never calls the model; workers draft,
// publish and take over from a worker that died.

const LONG_DRAFT = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

let fake: FakeOpenAIServer;
const temp = makeTempDir();
const servers: ServerProcess[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  await fake.close();
  temp.cleanup();
});
afterEach(async () => {
  await Promise.all([
    ...servers.splice(0).map((server) => server.crash()),
    ...workers.splice(0).map((worker) => worker.crash()),
  ]);
  fake.reset();
  fake.setHandler(undefined);
});

function checkpointCount(dbFile: string, runId: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from checkpoints where run_id = ?").get(runId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("web instances and workers", () => {
  it("drafts, revises and publishes in the worker what is submitted and answered through the web instance", async () => {
    const dbFile = temp.file("split.db");
    const web = await startServer({ dbFile, modelBaseUrl: fake.baseURL, env: { DRAFTGATE_ROLE: "web" } });
    servers.push(web);
    const brief = await api<{ runId: string; status: string }>(
      web.url,
      "POST",
      "/api/runs",
      { brief: "Split web and worker" },
      web.as("Pat"),
    );
    expect(brief.status).toBe(201);
    // no worker yet: the run is durable and waits, and nobody called the model
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fake.requests).toHaveLength(0);
    expect(checkpointCount(dbFile, brief.body.runId)).toBeGreaterThanOrEqual(1);

    const worker = await startWorker({ dbFile, modelBaseUrl: fake.baseURL });
    workers.push(worker);
    const paused = await waitForStatus(web.url, brief.body.runId, "awaiting_review");
    expect(fake.requests).toHaveLength(1);

    const revise = await api(
      web.url,
      "POST",
      `/api/runs/${brief.body.runId}/responses`,
      { responses: { [paused.pendingRequests[0]!.requestId]: "Mention the free grinder." } },
      web.as("Rita"),
    );
    expect(revise.status).toBe(202);
    const second = await waitFor("the second draft", async () => {
      const run = await getRun(web.url, brief.body.runId);
      return run.status === "awaiting_review" &&
        run.pendingRequests[0]!.requestId !== paused.pendingRequests[0]!.requestId
        ? run
        : undefined;
    });
    expect(fake.requests).toHaveLength(2);
    const approve = await api(
      web.url,
      "POST",
      `/api/runs/${brief.body.runId}/responses`,
      { responses: { [second.pendingRequests[0]!.requestId]: "approve" } },
      web.as("Rita"),
    );
    expect(approve.status).toBe(202);
    await waitForStatus(web.url, brief.body.runId, "completed");
    expect(fake.requests).toHaveLength(2);
    expect(await worker.stop()).toBe(0);
    expect(worker.output()).toContain("stopped after claiming 3 runs");
  }, 120_000);
});

describe.each(STORES)("workers on %s", (store) => {
  it("finishes in a second worker a run whose worker was killed mid-call", async () => {
    const dbFile = await freshDatabase(store, "takeover.db", temp);
    fake.setHandler((request) =>
      request.index === 1
        ? { kind: "reply", text: LONG_DRAFT, chunkDelayMs: 100 }
        : { kind: "reply", text: "Drafted by the second worker. Pre-order today!" },
    );
    const web = await startServer({ dbFile, modelBaseUrl: fake.baseURL, env: { DRAFTGATE_ROLE: "web" } });
    servers.push(web);
    const first = await startWorker({ dbFile, modelBaseUrl: fake.baseURL });
    workers.push(first);
    const brief = await api<{ runId: string }>(
      web.url,
      "POST",
      "/api/runs",
      { brief: "Worker killed mid-call" },
      web.as("Pat"),
    );
    const started = Date.now();
    for (;;) {
      if (fake.requests.length >= 1) break;
      if (Date.now() - started > 20_000) throw new Error("the first worker never called the model");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.crash(); // kill -9 while it streams
    const killed = Date.now();
    const second = await startWorker({ dbFile, modelBaseUrl: fake.baseURL });
    workers.push(second);
    const paused = await waitForStatus(web.url, brief.body.runId, "awaiting_review");
    const takeoverMs = Date.now() - killed;
    console.log(
      `worker takeover on ${store}: killed mid-call, the second worker had the run paused for review ${takeoverMs} ms later (lease 1500 ms, poll 100 ms)`,
    );
    expect(paused.pendingRequests[0]!.draft).toContain("Drafted by the second worker.");
    expect(fake.requests).toHaveLength(2);
  }, 120_000);
});
