import type { APIRequestContext, APIResponse } from "@playwright/test";
import { member } from "./fixtures/people";
import { expect, test } from "./fixtures/test";

// The HTTP API of docs/API.md against the real `next start` (offline writer, the e2e database): the happy path,
// live events, and every error code. Each call carries the API key of the person acting (Pat submits, Rita and
// Ana review, Avery branches); runs are seeded over HTTP; waits are conditions (expect.poll), never time.

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite customers to pre-order";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

interface PendingRequest {
  requestId: string;
  draft: string;
  iteration: number;
  checkpointId: string;
}

interface RunDetail {
  runId: string;
  status: string;
  iteration: number;
  outputs: string[];
  pendingRequests: PendingRequest[];
  supersededRequests: PendingRequest[];
  decisions: Array<{ requestId: string; response: string; decidedBy: string | null; decidedAt: string }>;
  headCheckpointId: string | null;
  publications: Array<{ version: number; text: string; approvedBy: string | null }>;
}

async function createRun(request: APIRequestContext, brief = BRIEF): Promise<string> {
  const response = await request.post("/api/runs", { data: { brief } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { runId: string }).runId;
}

async function getRun(request: APIRequestContext, runId: string): Promise<RunDetail> {
  const response = await request.get(`/api/runs/${runId}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as RunDetail;
}

/** Polls the run until `check` holds (status and, optionally, iteration), then returns it. */
async function waitForRun(
  request: APIRequestContext,
  runId: string,
  status: string,
  iteration?: number,
): Promise<RunDetail> {
  await expect
    .poll(
      async () => {
        const run = await getRun(request, runId);
        return { status: run.status, ...(iteration === undefined ? {} : { iteration: run.iteration }) };
      },
      { timeout: 30_000 },
    )
    .toEqual({ status, ...(iteration === undefined ? {} : { iteration }) });
  return getRun(request, runId);
}

async function pausedRun(request: APIRequestContext): Promise<{ runId: string; pending: PendingRequest }> {
  const runId = await createRun(request);
  const run = await waitForRun(request, runId, "awaiting_review");
  expect(run.pendingRequests).toHaveLength(1);
  return { runId, pending: run.pendingRequests[0]! };
}

function answer(request: APIRequestContext, runId: string, requestId: string, text: string) {
  return request.post(`/api/runs/${runId}/responses`, { data: { responses: { [requestId]: text } } });
}

/** Asserts the `{ error: { code, message } }` shape and status, and that no stack trace leaked; returns the error. */
async function expectError(response: APIResponse, status: number, code: string) {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(text).not.toMatch(/^[ \t]*at /m);
  expect(text).not.toMatch(/\bat \S+ \(.*:\d+:\d+\)/);
  const body = JSON.parse(text) as {
    error: { code: string; message: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> };
  };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

test.describe("HTTP API", () => {
  test("submits a brief, approves the draft over HTTP and publishes it", async ({ apiAs }) => {
    const [request, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const created = await request.post("/api/runs", { data: { brief: BRIEF } });
    expect(created.status()).toBe(201);
    const { runId, status } = (await created.json()) as { runId: string; status: string };
    expect(status).toBe("running");

    const paused = await waitForRun(request, runId, "awaiting_review");
    expect(paused).toMatchObject({ runId, iteration: 1, outputs: [], decisions: [], submittedBy: "Pat" });
    const pending = paused.pendingRequests[0]!;
    expect(pending).toMatchObject({
      iteration: 1,
      draft: expect.any(String),
      prompt: expect.any(String),
      createdAt: expect.any(String),
    });

    const inbox = (await (await rita.get("/api/reviews")).json()) as {
      reviews: Array<{ runId: string; createdAt: string }>;
      count: number;
    };
    expect(inbox.reviews.map((review) => review.runId)).toContain(runId);
    expect(inbox.count).toBeGreaterThanOrEqual(1);
    const createdTimes = inbox.reviews.map((review) => review.createdAt);
    expect(createdTimes).toEqual([...createdTimes].sort()); // oldest first
    expect(await (await rita.get("/api/reviews/count")).json()).toEqual({ count: inbox.count });

    const answered = await answer(rita, runId, pending.requestId, "approve");
    expect(answered.status()).toBe(202);
    expect(await answered.json()).toEqual({ runId, status: "running", approvals: null });

    const done = await waitForRun(request, runId, "completed");
    expect(done.outputs).toEqual([pending.draft]);
    expect(done.pendingRequests).toEqual([]);
    expect(done.decisions).toMatchObject([
      {
        requestId: pending.requestId,
        response: "approve",
        decidedBy: "Rita",
        decidedVia: "api-key",
        decidedAt: expect.any(String),
      },
    ]);
    expect(done.publications).toMatchObject([{ version: 1, approvedBy: "Rita", text: pending.draft }]);

    const { checkpoints } = (await (await request.get(`/api/runs/${runId}/checkpoints`)).json()) as {
      checkpoints: Array<{
        checkpointId: string;
        parentId: string | null;
        superstep: number;
        status: string;
        isHead: boolean;
      }>;
    };
    expect(checkpoints[0]!.parentId).toBeNull();
    for (let i = 1; i < checkpoints.length; i++)
      expect(checkpoints[i]!.parentId).toBe(checkpoints[i - 1]!.checkpointId);
    expect(checkpoints.at(-1)).toMatchObject({
      checkpointId: done.headCheckpointId,
      status: "completed",
      isHead: true,
    });

    const detail = await request.get(`/api/checkpoints/${pending.checkpointId}`);
    expect(detail.status()).toBe(200);
    expect(await detail.json()).toMatchObject({
      summary: { checkpointId: pending.checkpointId, status: "awaiting human response" },
      checkpoint: {
        checkpointId: pending.checkpointId,
        runId,
        pendingRequests: [expect.objectContaining({ requestId: pending.requestId })],
      },
    });

    const completed = (await (await request.get("/api/runs?status=completed&limit=200")).json()) as {
      runs: Array<{ runId: string; status: string }>;
    };
    expect(completed.runs.map((run) => run.runId)).toContain(runId);
    expect(completed.runs.every((run) => run.status === "completed")).toBe(true);
  });

  test("pages through runs newest first with a cursor", async ({ apiAs }) => {
    const request = await apiAs("Pat");
    const older = await createRun(request, "First brief for paging");
    const newer = await createRun(request, "Second brief for paging");
    const first = (await (await request.get("/api/runs?limit=1")).json()) as {
      runs: Array<{ runId: string }>;
      nextCursor: string | null;
    };
    expect(first.runs.map((run) => run.runId)).toEqual([newer]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (
      await request.get(`/api/runs?limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`)
    ).json()) as { runs: Array<{ runId: string }> };
    expect(second.runs.map((run) => run.runId)).toEqual([older]);
    await expectError(await request.get("/api/runs?cursor=garbage"), 422, "VALIDATION_FAILED");
  });

  test("reports health with the active writer, to anyone", async ({ anonymousApi }) => {
    const response = await anonymousApi.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      writer: expect.objectContaining({ provider: expect.any(String), label: expect.any(String), isModel: false }),
    });
  });

  test("answers a method an endpoint does not have with 405", async ({ apiAs }) => {
    const request = await apiAs("Rita");
    expect((await request.delete("/api/runs")).status()).toBe(405);
    expect((await request.get(`/api/runs/${UNKNOWN_ID}/responses`)).status()).toBe(405);
  });

  test("streams a snapshot and then the run's live events, tokens included", async ({ apiAs, baseURL }) => {
    const [request, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const { runId, pending } = await pausedRun(request);
    const controller = new AbortController();
    const response = await fetch(`${baseURL}/api/runs/${runId}/events`, {
      signal: controller.signal,
      headers: { Authorization: `Bearer ${member("Pat").apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended before ${marker}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await readUntil("event: snapshot");
      await readUntil("\n\n");
      const snapshotData = /event: snapshot\nid: \d+\ndata: (.*)\n/.exec(text)?.[1];
      expect(JSON.parse(snapshotData!)).toMatchObject({
        runId,
        status: "awaiting_review",
        iteration: 1,
        liveText: null,
        isExecutingHere: false,
      });

      // a revision makes the writer stream a new draft over the open connection
      expect((await answer(rita, runId, pending.requestId, "Add a line about free shipping.")).status()).toBe(202);
      await readUntil("event: RequestInfo");
      expect(text).toContain("event: AgentRunUpdate");
      expect(text).toContain("event: CheckpointSaved");
      const update = /event: AgentRunUpdate\nid: [\w-]+\.\d+\ndata: (.*)\n/.exec(text)?.[1];
      expect(JSON.parse(update!)).toMatchObject({
        type: "AgentRunUpdate",
        runId,
        executorId: "writer",
        textDelta: expect.any(String),
      });
    } finally {
      controller.abort();
    }
    await waitForRun(request, runId, "awaiting_review", 2);
  });

  test("refuses a malformed JSON body with 400 BAD_REQUEST", async ({ apiAs }) => {
    const [request, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const { runId } = await pausedRun(request);
    // raw bytes: Playwright would JSON-encode a string body sent as application/json
    const raw = (body: string | number[]) => ({
      headers: { "content-type": "application/json" },
      data: typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body),
    });
    await expectError(await request.post("/api/runs", raw("{ brief: nope")), 400, "BAD_REQUEST");
    await expectError(await request.post("/api/runs", raw("")), 400, "BAD_REQUEST");
    await expectError(await request.post("/api/runs", raw([0x7b, 0xff, 0xfe, 0x7d])), 400, "BAD_REQUEST");
    await expectError(await rita.post(`/api/runs/${runId}/responses`, raw('{"responses": ')), 400, "BAD_REQUEST");
    await expectError(await request.post(`/api/checkpoints/${UNKNOWN_ID}/resume`, raw("[")), 400, "BAD_REQUEST");
    expect(await getRun(request, runId)).toMatchObject({ status: "awaiting_review", decisions: [] });
  });

  test("refuses empty, whitespace-only, 20,001-character and binary briefs with 422 and starts no run", async ({
    apiAs,
  }) => {
    const request = await apiAs("Pat");
    const newest = async () =>
      ((await (await request.get("/api/runs?limit=1")).json()) as { runs: Array<{ runId: string }> }).runs[0]?.runId;
    const before = await newest();
    for (const brief of ["", "   \n\t  ", "x".repeat(20_001), "release notes\u0000\u0001binary", "bad \uFFFD bytes"]) {
      const error = await expectError(await request.post("/api/runs", { data: { brief } }), 422, "VALIDATION_FAILED");
      expect(error.fieldErrors?.brief?.length).toBeGreaterThan(0);
    }
    const missing = await expectError(
      await request.post("/api/runs", { data: { submittedBy: "Pat" } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(missing.fieldErrors).toHaveProperty("brief");
    await expectError(await request.post("/api/runs", { data: { brief: 42 } }), 422, "VALIDATION_FAILED");
    await expectError(await request.post("/api/runs", { data: [BRIEF] }), 422, "VALIDATION_FAILED");
    expect(await newest()).toBe(before);
  });

  test("refuses bad list filters with 422 VALIDATION_FAILED", async ({ apiAs }) => {
    const request = await apiAs("Pat");
    const status = await expectError(await request.get("/api/runs?status=done"), 422, "VALIDATION_FAILED");
    expect(status.fieldErrors).toHaveProperty("status");
    const limit = await expectError(await request.get("/api/runs?limit=0"), 422, "VALIDATION_FAILED");
    expect(limit.fieldErrors).toHaveProperty("limit");
    await expectError(await request.get("/api/runs?limit=many"), 422, "VALIDATION_FAILED");
  });

  test("answers unknown runs, requests and checkpoints with 404", async ({ apiAs }) => {
    const [request, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const { runId } = await pausedRun(request);
    await expectError(await request.get(`/api/runs/${UNKNOWN_ID}`), 404, "RUN_NOT_FOUND");
    await expectError(await request.get(`/api/runs/${UNKNOWN_ID}/checkpoints`), 404, "RUN_NOT_FOUND");
    await expectError(await request.get(`/api/runs/${UNKNOWN_ID}/events`), 404, "RUN_NOT_FOUND");
    await expectError(await request.get("/api/runs/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), 404, "RUN_NOT_FOUND");
    await expectError(await answer(rita, UNKNOWN_ID, UNKNOWN_ID, "approve"), 404, "RUN_NOT_FOUND");
    await expectError(await request.post(`/api/runs/${UNKNOWN_ID}/retry`), 404, "RUN_NOT_FOUND");
    const unknownRequest = await expectError(
      await answer(rita, runId, UNKNOWN_ID, "approve"),
      404,
      "REQUEST_NOT_FOUND",
    );
    expect(unknownRequest.message).toContain(UNKNOWN_ID);
    await expectError(await request.get(`/api/checkpoints/${UNKNOWN_ID}`), 404, "CHECKPOINT_NOT_FOUND");
    await expectError(
      await request.post(`/api/checkpoints/${UNKNOWN_ID}/resume`, { data: {} }),
      404,
      "CHECKPOINT_NOT_FOUND",
    );
    // the run is untouched by all of that
    expect(await getRun(request, runId)).toMatchObject({ status: "awaiting_review", decisions: [] });
  });

  test("refuses more than one answer per call with 422", async ({ apiAs }) => {
    const [request, rita] = [await apiAs("Pat"), await apiAs("Rita")];
    const { runId, pending } = await pausedRun(request);
    const error = await expectError(
      await rita.post(`/api/runs/${runId}/responses`, {
        data: { responses: { [pending.requestId]: "approve", other: "approve" } },
      }),
      422,
      "VALIDATION_FAILED",
    );
    expect(error.fieldErrors).toHaveProperty("responses");
    await expectError(
      await rita.post(`/api/runs/${runId}/responses`, { data: { responses: {} } }),
      422,
      "VALIDATION_FAILED",
    );
    await expectError(await answer(rita, runId, pending.requestId, "x".repeat(20_001)), 422, "VALIDATION_FAILED");
    expect(await getRun(request, runId)).toMatchObject({ status: "awaiting_review", decisions: [] });
  });

  test("answers a second answer to the same request with 409 naming the first responder", async ({ apiAs }) => {
    const [request, rita, ana] = [await apiAs("Pat"), await apiAs("Rita"), await apiAs("Ana")];
    const { runId, pending } = await pausedRun(request);
    expect((await answer(rita, runId, pending.requestId, "approve")).status()).toBe(202);
    const error = await expectError(
      await answer(ana, runId, pending.requestId, "Make it shorter."),
      409,
      "REQUEST_ALREADY_ANSWERED",
    );
    expect(error.message).toContain("Rita");
    expect(error.details).toMatchObject({
      answeredBy: "Rita",
      answeredAt: expect.any(String),
      requestId: pending.requestId,
    });
    expect(error.message).toContain(String(error.details?.answeredAt));

    const done = await waitForRun(request, runId, "completed");
    expect(done.decisions).toMatchObject([{ requestId: pending.requestId, response: "approve", decidedBy: "Rita" }]);
    // Pat submitted the run, so he may retry it, but only a failed run can be retried.
    await expectError(await request.post(`/api/runs/${runId}/retry`), 409, "RUN_BUSY");
  });

  test("answers a request on a superseded branch with 409 REQUEST_SUPERSEDED", async ({ apiAs }) => {
    const [request, rita, ana, avery] = [
      await apiAs("Pat"),
      await apiAs("Rita"),
      await apiAs("Ana"),
      await apiAs("Avery"),
    ];
    const { runId, pending: first } = await pausedRun(request);
    expect((await answer(rita, runId, first.requestId, "Add a joke.")).status()).toBe(202);
    const revised = await waitForRun(request, runId, "awaiting_review", 2);
    const second = revised.pendingRequests[0]!;

    // the first request was answered from that checkpoint already: answering it again needs an explicit branch
    // (resuming an older checkpoint is an admin's: Avery)
    const refused = await expectError(
      await avery.post(`/api/checkpoints/${first.checkpointId}/resume`, {
        data: { responses: { [first.requestId]: "approve" } },
      }),
      409,
      "REQUEST_ALREADY_ANSWERED",
    );
    expect(refused.details).toMatchObject({ answeredBy: "Rita" });

    // branch: resume from the first paused checkpoint with a pre-supplied approval
    const resumed = await avery.post(`/api/checkpoints/${first.checkpointId}/resume`, {
      data: { responses: { [first.requestId]: "approve" }, branch: true },
    });
    expect(resumed.status(), await resumed.text()).toBe(202);
    expect(await resumed.json()).toEqual({ runId, status: "running", approvals: null });
    const branched = await waitForRun(request, runId, "completed");
    expect(branched.outputs).toEqual([first.draft]);
    expect(branched.supersededRequests.map((request) => request.requestId)).toEqual([second.requestId]);
    expect(branched.decisions.at(-1)).toMatchObject({ decidedBy: "Avery", isApproval: true });

    const error = await expectError(await answer(ana, runId, second.requestId, "approve"), 409, "REQUEST_SUPERSEDED");
    expect(error.message).toContain(second.requestId);

    const { checkpoints } = (await (await request.get(`/api/runs/${runId}/checkpoints`)).json()) as {
      checkpoints: Array<{ parentId: string | null }>;
    };
    expect(checkpoints.filter((checkpoint) => checkpoint.parentId === first.checkpointId)).toHaveLength(2);
  });

  test("refuses cookie-authenticated changes without this server's Origin, and lets API-key calls through from anywhere", async ({
    apiAs,
    sessionApiAs,
    baseURL,
  }) => {
    const request = await apiAs("Pat");
    const { runId, pending } = await pausedRun(request);
    const rita = await sessionApiAs("Rita"); // Rita's session cookie, as her browser holds it
    const foreign = { origin: "https://evil.example" };
    const sameOrigin = { origin: new URL(baseURL!).origin };
    await expectError(
      await rita.post("/api/runs", { headers: foreign, data: { brief: BRIEF } }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    await expectError(
      await rita.post(`/api/runs/${runId}/responses`, {
        headers: foreign,
        data: { responses: { [pending.requestId]: "approve" } },
      }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    await expectError(
      await rita.post(`/api/checkpoints/${pending.checkpointId}/resume`, { headers: foreign, data: {} }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    await expectError(await rita.post(`/api/runs/${runId}/retry`, { headers: foreign }), 403, "FORBIDDEN_ORIGIN");
    await expectError(
      await rita.post("/api/runs", { headers: { origin: "null" }, data: { brief: BRIEF } }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    // a cookie alone is an ambient credential: without any Origin the change is refused too
    await expectError(
      await rita.post(`/api/runs/${runId}/responses`, { data: { responses: { [pending.requestId]: "approve" } } }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    // same origin, but a body a cross-site form could send (not JSON)
    await expectError(
      await rita.post("/api/runs", {
        headers: { ...sameOrigin, "content-type": "text/plain" },
        data: Buffer.from(JSON.stringify({ brief: BRIEF })),
      }),
      403,
      "FORBIDDEN_ORIGIN",
    );
    expect(await getRun(request, runId)).toMatchObject({ status: "awaiting_review", decisions: [] });

    // reads are not state-changing: a foreign Origin may still GET
    expect((await rita.get(`/api/runs/${runId}`, { headers: foreign })).status()).toBe(200);
    const fromDashboard = await rita.post("/api/runs", { headers: sameOrigin, data: { brief: BRIEF } });
    expect(fromDashboard.status(), await fromDashboard.text()).toBe(201);
    // an API key is no ambient credential: it passes whatever the Origin
    const byKey = await request.post("/api/runs", { headers: foreign, data: { brief: BRIEF } });
    expect(byKey.status(), await byKey.text()).toBe(201);
  });
});
