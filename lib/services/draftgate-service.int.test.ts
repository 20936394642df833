import { describe, expect, it } from "vitest";
import { actorFor } from "@/tests/support/actors";
import { runSql, serviceHarness } from "@/tests/support/service-harness";
import type { DraftgateService } from "./draftgate-service";

const pat = actorFor("author", "pat");
const rita = actorFor("reviewer", "rita");
const admin = actorFor("admin", "sam");

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite customers to pre-order";

const services = serviceHarness();

async function submitAndPause(service: DraftgateService, brief = BRIEF) {
  const { runId } = await service.submitBrief(pat, { brief });
  await service.waitForIdle(runId);
  return service.getRun(pat, runId);
}

describe("DraftgateService", () => {
  it("submits a brief, pauses for review, and publishes on approval with an audit trail", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    expect(paused).toMatchObject({
      status: "awaiting_review",
      iteration: 1,
      submittedBy: "pat",
      writer: "Offline writer — deterministic, no model",
    });
    expect(paused.pendingRequests).toHaveLength(1);
    const request = paused.pendingRequests[0]!;
    expect((await service.listInbox(rita)).map((run) => run.runId)).toEqual([paused.runId]);
    expect(await service.countAwaitingReview(rita)).toBe(1);

    await service.answerRequest(rita, { runId: paused.runId, requestId: request.requestId, response: "approve" });
    await service.waitForIdle(paused.runId);
    const done = await service.getRun(rita, paused.runId);
    expect(done.status).toBe("completed");
    expect(done.publishedText).toBe(request.draft);
    expect(done.decisions).toMatchObject([
      { requestId: request.requestId, response: "approve", isApproval: true, decidedBy: "rita", iteration: 1 },
    ]);
    expect(await service.listInbox(rita)).toEqual([]);
  });

  it("revises on guidance and keeps every draft for the diff", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    await service.answerRequest(rita, {
      runId: paused.runId,
      requestId: paused.pendingRequests[0]!.requestId,
      response: "Mention free shipping.",
    });
    await service.waitForIdle(paused.runId);
    const revised = await service.getRun(rita, paused.runId);
    expect(revised.status).toBe("awaiting_review");
    expect(revised.iteration).toBe(2);
    expect(revised.drafts.map((draft) => draft.iteration)).toEqual([1, 2]);
    expect(revised.drafts[1]!.text).not.toBe(revised.drafts[0]!.text);
  });

  it("refuses empty, whitespace-only, oversized and binary briefs before any run starts", async () => {
    const service = await services.make();
    for (const brief of ["", "   \n\t ", "x".repeat(20_001), "ok\u0000binary", 42]) {
      await expect(service.submitBrief(pat, { brief })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        fieldErrors: { brief: [expect.any(String)] },
      });
    }
    expect((await service.listRuns(pat)).runs).toEqual([]);
  });

  it("lets exactly one of two concurrent answers win and names the winner to the loser", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    const requestId = paused.pendingRequests[0]!.requestId;
    const results = await Promise.allSettled([
      service.answerRequest(actorFor("reviewer", "ana"), { runId: paused.runId, requestId, response: "approve" }),
      service.answerRequest(actorFor("reviewer", "ben"), { runId: paused.runId, requestId, response: "Shorter." }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: "REQUEST_ALREADY_ANSWERED", details: { answeredBy: "ana" } });
    await service.waitForIdle(paused.runId);
    expect((await service.getRun(rita, paused.runId)).decisions).toHaveLength(1);
  });

  it("tells unknown requests, runs and checkpoints apart", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    await expect(
      service.answerRequest(rita, { runId: paused.runId, requestId: "nope", response: "approve" }),
    ).rejects.toMatchObject({ code: "REQUEST_NOT_FOUND" });
    await expect(
      service.answerRequest(rita, { runId: "missing", requestId: "nope", response: "approve" }),
    ).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    await expect(service.getCheckpoint(rita, "missing")).rejects.toMatchObject({ code: "CHECKPOINT_NOT_FOUND" });
    await expect(service.resumeFromCheckpoint(admin, { checkpointId: "missing" })).rejects.toMatchObject({
      code: "CHECKPOINT_NOT_FOUND",
    });
  });

  it("branches from an older checkpoint with a pre-supplied answer and marks the old request superseded", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    const firstRequest = paused.pendingRequests[0]!;
    await service.answerRequest(rita, {
      runId: paused.runId,
      requestId: firstRequest.requestId,
      response: "Add a joke.",
    });
    await service.waitForIdle(paused.runId);
    const second = (await service.getRun(rita, paused.runId)).pendingRequests[0]!;

    await expect(
      service.resumeFromCheckpoint(admin, {
        checkpointId: firstRequest.checkpointId,
        responses: { [firstRequest.requestId]: "approve" },
      }),
    ).rejects.toMatchObject({
      code: "REQUEST_ALREADY_ANSWERED",
      details: { answeredBy: "rita" },
    });
    await service.resumeFromCheckpoint(admin, {
      checkpointId: firstRequest.checkpointId,
      responses: { [firstRequest.requestId]: "approve" },
      branch: true,
    });
    await service.waitForIdle(paused.runId);
    const branched = await service.getRun(rita, paused.runId);
    expect(branched.status).toBe("completed");
    expect(branched.iteration).toBe(1);
    expect(branched.writerIsModel).toBe(false);
    expect(branched.publishedText).toBe(firstRequest.draft);
    expect(branched.supersededRequests.map((request) => request.requestId)).toEqual([second.requestId]);
    await expect(
      service.answerRequest(rita, { runId: paused.runId, requestId: second.requestId, response: "approve" }),
    ).rejects.toMatchObject({ code: "REQUEST_SUPERSEDED" });

    const checkpoints = await service.listCheckpoints(rita, paused.runId);
    const children = checkpoints.filter((checkpoint) => checkpoint.parentId === firstRequest.checkpointId);
    expect(children).toHaveLength(2);
    expect(checkpoints.filter((checkpoint) => checkpoint.isHead)).toHaveLength(1);
    const detail = await service.getCheckpoint(rita, firstRequest.checkpointId);
    expect(detail.summary.status).toBe("awaiting human response");
    expect(detail.checkpoint).toHaveProperty("executorStates.review_gateway.iteration", 1);
  });

  it("pages through runs newest first with a cursor and filters by status", async () => {
    const service = await services.make();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submitAndPause(service, `Brief number ${i}`)).runId);
    const first = await service.listRuns(pat, { limit: 2 });
    const second = await service.listRuns(pat, { limit: 2, cursor: first.nextCursor });
    const third = await service.listRuns(pat, { limit: 2, cursor: second.nextCursor });
    expect([...first.runs, ...second.runs, ...third.runs].map((run) => run.runId)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
    expect((await service.listRuns(pat, { status: "completed" })).runs).toEqual([]);
    await expect(service.listRuns(pat, { cursor: "garbage" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { cursor: [expect.any(String)] },
    });
  });

  it("picks up a run whose process died, once its lease expires", async () => {
    const file = services.file("shared.db");
    const crashed = await services.make({ file, leaseMs: 200 });
    const { runId } = await crashed.submitBrief(pat, { brief: BRIEF });
    await crashed.waitForIdle(runId);
    // pretend the process died mid-run: the run row says running and holds a lease nobody renews
    await runSql(
      crashed.store,
      "update runs set status='running', lease_owner='dead', lease_expires_at=? where run_id=?",
      Date.now() + 150,
      runId,
    );
    const survivor = await services.make({ file, leaseMs: 200 });
    expect(await survivor.recoverRuns()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await survivor.recoverRuns()).toEqual([runId]);
    await survivor.waitForIdle(runId);
    expect((await survivor.getRun(pat, runId)).status).toBe("awaiting_review");
  });

  it("refuses to branch or re-open from a checkpoint that only waits for its review unless it is given the answer", async () => {
    const service = await services.make();
    const paused = await submitAndPause(service);
    const request = paused.pendingRequests[0]!;
    await service.answerRequest(rita, { runId: paused.runId, requestId: request.requestId, response: "approve" });
    await service.waitForIdle(paused.runId);
    await expect(
      service.resumeFromCheckpoint(admin, { checkpointId: request.checkpointId, reason: "Legal wants another look." }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/give the answer to start from here/),
    });
    expect((await service.getRun(admin, paused.runId)).audit.map((entry) => entry.action)).toEqual([
      "submitted",
      "answered",
    ]);
    await service.resumeFromCheckpoint(admin, {
      checkpointId: request.checkpointId,
      responses: { [request.requestId]: "Add the legal note." },
      branch: true,
      reason: "Legal wants another look.",
    });
    await service.waitForIdle(paused.runId);
    const reopened = await service.getRun(admin, paused.runId);
    expect(reopened).toMatchObject({ status: "awaiting_review", iteration: 2 });
    expect(reopened.audit.map((entry) => [entry.action, entry.reason])).toEqual([
      ["submitted", null],
      ["answered", null],
      ["reopened", "Legal wants another look."],
      ["answered", null],
    ]);
  });
});
