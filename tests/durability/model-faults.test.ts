import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeResponse } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import { api, signIn, startServer, waitForStatus, type RunDetailBody, type ServerProcess } from "./harness";

let fake: FakeOpenAIServer;
/** host:port of the fake model server: what must not reach anyone but admins. */
let fakeAddress: string;
let server: ServerProcess;
const temp = makeTempDir();

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  fakeAddress = new URL(fake.baseURL).host;
  // three attempts per model call (two retries), a 1 s timeout, so every fault is exhausted in a few seconds
  server = await startServer({
    dbFile: temp.file("faults.db"),
    modelBaseUrl: fake.baseURL,
    env: { MODEL_MAX_RETRIES: "2", MODEL_TIMEOUT_MS: "1000" },
  });
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

/** `message` is the provider's (in the admin's detail); `cause` is what everyone who may act on the run reads. */
const faults: Array<{ name: string; response: FakeResponse; message: RegExp; cause: string }> = [
  {
    name: "429 with retry-after",
    response: {
      kind: "error",
      status: 429,
      message: "Rate limit reached for gpt-4o-mini",
      headers: { "retry-after": "1" },
    },
    message: /Rate limit reached for gpt-4o-mini/,
    cause: "The model provider refused the request: rate limited.",
  },
  {
    name: "500",
    response: { kind: "error", status: 500, message: "The server had an error while processing your request" },
    message: /The server had an error while processing your request/,
    cause: "The model server had an internal error.",
  },
  {
    name: "a hung connection past the timeout",
    response: { kind: "hang" },
    message: /time/i,
    cause: "The model server did not answer in time.",
  },
  {
    name: "a malformed stream",
    response: { kind: "malformed", fault: "garbage" },
    message: /stream|JSON|malformed/i,
    cause: "The model's reply broke off before it was complete.",
  },
];

describe("model faults against next start", () => {
  it("does not reveal the model server's address in the health check", async () => {
    const health = await api(server.url, "GET", "/api/health");
    expect(health.status).toBe(200);
    expect(JSON.stringify(health.body)).not.toContain(fakeAddress);
    expect(health.body).toMatchObject({ writer: { provider: "openai-compatible", isModel: true } });
  });

  for (const fault of faults) {
    it(`retries ${fault.name} within bounds, fails the run with the provider's message, and retries from the last checkpoint`, async () => {
      fake.setHandler(() => fault.response);
      const created = await api<{ runId: string }>(
        server.url,
        "POST",
        "/api/runs",
        { brief: `Fault test: ${fault.name}` },
        server.as("Pat"),
      );
      expect(created.status).toBe(201);
      const runId = created.body.runId;
      const failed = await waitForStatus(server.url, runId, "failed", 60_000);
      expect(fake.requests).toHaveLength(3);

      // the admin reads the plain cause and the provider's own message
      expect(failed.error).toMatchObject({ code: "MODEL_ERROR", message: expect.stringContaining(fault.cause) });
      expect(failed.error?.detail).toMatch(fault.message);
      expect(failed.error?.detail).toMatch(/after 3 attempts/);

      // the author who submitted it reads the cause and the way out, and nothing of the provider's message or address
      const asAuthor = await api<RunDetailBody>(server.url, "GET", `/api/runs/${runId}`, undefined, server.as("Pat"));
      expect(asAuthor.body.error).toEqual({ code: "MODEL_ERROR", message: failed.error?.message, detail: null });
      const page = await fetch(`${server.url}/runs/${runId}`, {
        headers: { cookie: await signIn(server.url, server.people.Pat) },
      });
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toContain(fault.cause);
      expect(html).toMatch(/Retry from last checkpoint/);
      for (const text of [JSON.stringify(asAuthor.body), html]) {
        expect(text).not.toContain(fakeAddress);
        expect(text).not.toContain("after 3 attempts");
      }
      const adminPage = await (
        await fetch(`${server.url}/runs/${runId}`, { headers: { cookie: await signIn(server.url, server.people.Ada) } })
      ).text();
      expect(adminPage).toContain("after 3 attempts");

      fake.setHandler(undefined);
      const retried = await api(server.url, "POST", `/api/runs/${runId}/retry`, undefined, server.as("Pat"));
      expect(retried.status).toBe(202);
      const paused = await waitForStatus(server.url, runId, "awaiting_review", 30_000);
      expect(paused.error).toBeNull();
      expect(paused.pendingRequests).toHaveLength(1);
    }, 90_000);
  }
});
