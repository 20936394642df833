import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeResponse } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, signIn, startServer, waitForStatus, type ServerProcess } from "./harness";

let fake: FakeOpenAIServer;
let server: ServerProcess;
const temp = makeTempDir();

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  // three attempts per model call (two retries), a 1 s timeout, so every fault is exhausted in a few seconds
  server = await startServer({ dbFile: temp.file("faults.db"), modelBaseUrl: fake.baseURL, env: { MODEL_MAX_RETRIES: "2", MODEL_TIMEOUT_MS: "1000" } });
});
afterAll(async () => {
  await server.crash();
  await fake.close();
  temp.cleanup();
});
afterEach(() => {
  fake.reset();
  fake.setHandler(undefined);
});

const faults: Array<{ name: string; response: FakeResponse; message: RegExp }> = [
  { name: "429 with retry-after", response: { kind: "error", status: 429, message: "Rate limit reached for gpt-4o-mini", headers: { "retry-after": "1" } }, message: /Rate limit reached for gpt-4o-mini/ },
  { name: "500", response: { kind: "error", status: 500, message: "The server had an error while processing your request" }, message: /The server had an error while processing your request/ },
  { name: "a hung connection past the timeout", response: { kind: "hang" }, message: /time/i },
  { name: "a malformed stream", response: { kind: "malformed", fault: "garbage" }, message: /stream|JSON|malformed/i },
];

describe("model faults against next start", () => {
  for (const fault of faults) {
    it(`retries ${fault.name} within bounds, fails the run with the provider's message, and retries from the last checkpoint`, async () => {
      fake.setHandler(() => fault.response);
      const created = await api<{ runId: string }>(server.url, "POST", "/api/runs", { brief: `Fault test: ${fault.name}` });
      expect(created.status).toBe(201);
      const failed = await waitForStatus(server.url, created.body.runId, "failed", 60_000);
      expect(failed.error?.code).toBe("MODEL_ERROR");
      expect(failed.error?.message).toMatch(fault.message);
      expect(failed.error?.message).toMatch(/after 3 attempts/);
      expect(fake.requests).toHaveLength(3);

      // the submitter (here the admin) sees the failure and the way out
      const page = await fetch(`${server.url}/runs/${created.body.runId}`, { headers: { cookie: await signIn(server.url, server.people.Ada) } });
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain("MODEL_ERROR");
      expect(html).toMatch(/Retry from last checkpoint/);

      fake.setHandler(undefined);
      const retried = await api(server.url, "POST", `/api/runs/${created.body.runId}/retry`);
      expect(retried.status).toBe(202);
      const paused = await waitForStatus(server.url, created.body.runId, "awaiting_review", 30_000);
      expect(paused.error).toBeNull();
      expect(paused.pendingRequests).toHaveLength(1);
    }, 90_000);
  }
});
