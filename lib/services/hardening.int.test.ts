import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createChatClient } from "@/lib/llm";
import { actorFor, operator } from "@/tests/support/actors";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { serviceHarness } from "@/tests/support/service-harness";
import type { DraftgateService } from "./draftgate-service";

// Cost and abuse limits (issue: hardening): per-person rate limits, a bounded number of model calls at once with
// the rest queued in order, a maximum number of revision rounds, and failures that reveal provider details to
// admins only.

const pat = actorFor("author", "pat");
const quinn = actorFor("author", "quinn");
const rita = actorFor("reviewer", "rita");
const admin = actorFor("admin", "sam");

let fake: FakeOpenAIServer;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
  fake.setHandler(undefined);
});
// registered after the hook above, so its services are closed before the fake server is reset
const services = serviceHarness();

const overFakeModel = () =>
  createChatClient({ openaiBaseUrl: fake.baseURL, openaiApiKey: "test-key", timeoutMs: 5_000 });

async function pausedRun(service: DraftgateService, brief = "Dark mode is here for everyone") {
  const { runId } = await service.submitBrief(pat, { brief });
  await service.waitForIdle(runId);
  return service.getRun(rita, runId);
}

describe("rate limits", () => {
  it("refuses a person's brief past the limit with RATE_LIMITED and when to retry, while another person goes on", async () => {
    const service = await services.make({ limits: { submit: 3 } });
    for (let n = 1; n <= 3; n++) await service.submitBrief(pat, { brief: `Brief ${n}` });
    const refused = service.submitBrief(pat, { brief: "Brief 4" });
    await expect(refused).rejects.toMatchObject({ code: "RATE_LIMITED", details: { limit: 3, action: "submit" } });
    const error = (await refused.catch((caught: unknown) => caught)) as {
      message: string;
      details: { retryAfterSeconds: number };
    };
    expect(error.message).toMatch(/^Too many briefs: at most 3 a minute\. Try again in \d+ s\.$/);
    expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(service.submitBrief(quinn, { brief: "Quinn's first" })).resolves.toMatchObject({ status: "running" });
    // the refused brief left nothing behind
    expect((await service.listRuns(pat, { limit: 10 })).runs.map((run) => run.brief).sort()).toEqual([
      "Brief 1",
      "Brief 2",
      "Brief 3",
      "Quinn's first",
    ]);
  });

  it("does not limit the CLI, which runs beside the database file", async () => {
    const service = await services.make({ limits: { submit: 1 } });
    for (let n = 1; n <= 3; n++) await service.submitBrief(operator, { brief: `From the terminal ${n}` });
    expect((await service.listRuns(operator)).runs).toHaveLength(3);
  });

  it("counts in the database, so a restarted process does not reset a person's minute", async () => {
    const first = await services.make({ limits: { answer: 1 } });
    const run = await pausedRun(first);
    await first.answerRequest(rita, {
      runId: run.runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "Shorter.",
    });
    await first.waitForIdle(run.runId);
    await first.close();
    const second = await services.make({ limits: { answer: 1 } });
    const revised = await second.getRun(rita, run.runId);
    await expect(
      second.answerRequest(rita, {
        runId: run.runId,
        requestId: revised.pendingRequests[0]!.requestId,
        response: "approve",
      }),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect((await second.getRun(rita, run.runId)).status).toBe("awaiting_review");
  });
});

describe("model calls at once", () => {
  it("with one slot and a slow model: one run calls, the others wait queued in order, and all are drafted in order", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fake.setHandler(async (request) => {
      await gate;
      const brief = JSON.stringify(request.body).match(/BRIEF: (Brief [A-C])/)?.[1] ?? "?";
      return { kind: "reply", text: `Draft for ${brief}. Try it today!` };
    });
    const service = await services.make({ chatClient: overFakeModel(), modelConcurrency: 1 });
    const runIds: string[] = [];
    for (const letter of ["A", "B", "C"])
      runIds.push((await service.submitBrief(pat, { brief: `Brief ${letter}` })).runId);

    await expect
      .poll(async () => Promise.all(runIds.map(async (runId) => (await service.getRun(pat, runId)).status)))
      .toEqual(["running", "queued", "queued"]);
    expect(fake.requests).toHaveLength(1);
    const [a, b, c] = await Promise.all(runIds.map((runId) => service.getRun(pat, runId)));
    expect([a!.queuePosition, b!.queuePosition, c!.queuePosition]).toEqual([null, 1, 2]);
    expect((await service.listRuns(pat, { status: "queued" })).runs.map((run) => run.runId).sort()).toEqual(
      [runIds[1], runIds[2]].sort(),
    );
    expect((await service.listRuns(pat, { status: "running" })).runs.map((run) => run.runId)).toEqual([runIds[0]]);

    release();
    for (const runId of runIds) await service.waitForIdle(runId);
    const drafted = await Promise.all(runIds.map((runId) => service.getRun(pat, runId)));
    expect(drafted.map((run) => [run.status, run.queuePosition, run.pendingRequests[0]?.draft])).toEqual([
      ["awaiting_review", null, "Draft for Brief A. Try it today!"],
      ["awaiting_review", null, "Draft for Brief B. Try it today!"],
      ["awaiting_review", null, "Draft for Brief C. Try it today!"],
    ]);
    // the model was called one run at a time, in the order the briefs came in
    expect(fake.requests.map((request) => JSON.stringify(request.body).match(/BRIEF: (Brief [A-C])/)?.[1])).toEqual([
      "Brief A",
      "Brief B",
      "Brief C",
    ]);
  });
});

describe("revision rounds", () => {
  it("refuses guidance past the workspace's limit with a message that says it, and goes on once an admin raises it", async () => {
    const service = await services.make();
    await service.people.updateSettings(admin, { maxRevisionRounds: 1 });
    const run = await pausedRun(service);
    await service.answerRequest(rita, {
      runId: run.runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "Shorter.",
    });
    await service.waitForIdle(run.runId);
    const second = (await service.getRun(rita, run.runId)).pendingRequests[0]!;
    expect(second.iteration).toBe(2);

    await expect(
      service.answerRequest(rita, { runId: run.runId, requestId: second.requestId, response: "Warmer." }),
    ).rejects.toMatchObject({
      code: "REVISION_LIMIT_REACHED",
      message:
        "This run's draft was revised once, the most this workspace allows. Approve this draft, or ask an admin to raise the limit in Settings.",
    });
    // approving is always possible; nothing was recorded by the refusal
    expect((await service.getRun(rita, run.runId)).decisions).toHaveLength(1);
    await expect(service.people.updateSettings(rita, { maxRevisionRounds: 5 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    await service.people.updateSettings(admin, { maxRevisionRounds: 2 });
    await service.answerRequest(rita, { runId: run.runId, requestId: second.requestId, response: "Warmer." });
    await service.waitForIdle(run.runId);
    expect(await service.getRun(rita, run.runId)).toMatchObject({ status: "awaiting_review", iteration: 3 });
  });
});

describe("what a failure reveals", () => {
  it("tells the author the cause in words and the admin the provider's message, address included", async () => {
    fake.setHandler(() => ({ kind: "error", status: 503, message: "upstream connect error at 10.0.0.7:443" }));
    const service = await services.make({ chatClient: overFakeModel(), retry: { maxAttempts: 1 } });
    const { runId } = await service.submitBrief(pat, { brief: "Dark mode" });
    await service.waitForIdle(runId);
    const asAuthor = await service.getRun(pat, runId);
    expect(asAuthor).toMatchObject({
      status: "failed",
      error: { code: "MODEL_ERROR", message: "The model server had an internal error.", detail: null },
    });
    expect(JSON.stringify(asAuthor)).not.toMatch(/10\.0\.0\.7|127\.0\.0\.1/);
    expect((await service.getRun(rita, runId)).error?.detail).toBeNull();
    expect((await service.getRun(admin, runId)).error?.detail).toMatch(
      /HTTP 503: upstream connect error at 10\.0\.0\.7:443/,
    );
  });

  it("says the model server could not be reached, without its address", async () => {
    const service = await services.make({
      chatClient: createChatClient({ openaiBaseUrl: "http://127.0.0.1:9/v1", openaiApiKey: "k", timeoutMs: 2_000 }),
      retry: { maxAttempts: 1 },
    });
    const { runId } = await service.submitBrief(pat, { brief: "Dark mode" });
    await service.waitForIdle(runId);
    const asAuthor = await service.getRun(pat, runId);
    expect(asAuthor.error).toEqual({
      code: "MODEL_ERROR",
      message: "The model server could not be reached.",
      detail: null,
    });
    expect((await service.getRun(admin, runId)).error?.detail).toContain("http://127.0.0.1:9/v1");
  });
});
