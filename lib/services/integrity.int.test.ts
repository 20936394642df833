import type { Store } from "@/db/store";
import { describe, expect, it } from "vitest";
import { GatedChatClient } from "@/tests/support/gated-chat-client";
import { actorFor } from "@/tests/support/actors";
import { serviceHarness } from "@/tests/support/service-harness";
import { until } from "@/tests/support/until";

const pat = actorFor("author", "pat");
const rita = actorFor("reviewer", "rita");
const admin = actorFor("admin", "sam");

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite customers to pre-order";

const services = serviceHarness();

/** What the database holds for a run, read through the store (SQLite or PostgreSQL). */
async function snapshot(store: Store, runId: string) {
  const [headers, answers, row] = await Promise.all([
    store.checkpoints.list({ runId }),
    store.queries.listRunResponses(runId),
    store.queries.findRun(runId),
  ]);
  if (!row) throw new Error(`no run ${runId}`);
  return {
    checkpoints: headers
      .reverse()
      .map((header) => ({ id: header.checkpointId, parentId: header.parentId, superstep: header.superstep })),
    answers: answers.length,
    run: {
      status: row.status,
      head: row.headCheckpointId,
      pendingRequestId: row.pendingRequestId,
      errorCode: row.errorCode,
      leaseExpiresAt: row.leaseExpiresAt,
      leaseToken: row.leaseToken,
    },
  };
}

describe("fenced execution: a process that stalled past its lease", () => {
  /**
   * A executes a run; its model call stalls longer than its lease, and its renewal timer does not notice (as
   * after SIGSTOP, a long GC or a clock step). B recovers the run from the same checkpoint and pauses for
   * review. Then A's call ends; A must not write anything.
   */
  async function stallTakeOverAndWake(endStalledCall: (gate: GatedChatClient) => void) {
    const file = services.file("shared.db");
    const gate = new GatedChatClient();
    const stalled = await services.make({ file, chatClient: gate, leaseMs: 250, leaseRenewEveryMs: 3_600_000 });
    const { runId } = await stalled.submitBrief(pat, { brief: BRIEF });
    await gate.entered();
    await until("A's lease to expire", async () => {
      const { leaseExpiresAt } = (await snapshot(stalled.store, runId)).run;
      return leaseExpiresAt !== null && leaseExpiresAt < Date.now() ? true : undefined;
    });

    const survivor = await services.make({ file, leaseMs: 250 });
    expect(await survivor.recoverRuns()).toEqual([runId]);
    await survivor.waitForIdle(runId);
    const takenOver = await snapshot(survivor.store, runId);
    const paused = await survivor.getRun(rita, runId);
    expect(paused.status).toBe("awaiting_review");

    endStalledCall(gate);
    await stalled.waitForIdle(runId);
    return { runId, takenOver, paused, stalled, survivor };
  }

  async function expectUntouched(
    store: Store,
    runId: string,
    takenOver: Awaited<ReturnType<typeof snapshot>>,
    pausedRequestId: string,
  ) {
    const after = await snapshot(store, runId);
    // A made no write after the takeover: no checkpoint, no answer, no change to the run row
    expect(after.checkpoints).toEqual(takenOver.checkpoints);
    expect(after.answers).toBe(takenOver.answers);
    expect(after.run).toMatchObject({
      status: "awaiting_review",
      pendingRequestId: pausedRequestId,
      errorCode: null,
      head: takenOver.run.head,
    });
    // one child per checkpoint: no duplicate supersteps
    const parents = after.checkpoints.map((checkpoint) => checkpoint.parentId).filter((parent) => parent !== null);
    expect(new Set(parents).size).toBe(parents.length);
    expect(after.checkpoints.map((checkpoint) => checkpoint.superstep)).toEqual([0, 1, 2, 3, 4]);
  }

  it("writes nothing once its model call completes: one child per checkpoint, and the run row and inbox show B's request", async () => {
    const { runId, takenOver, paused, stalled, survivor } = await stallTakeOverAndWake((gate) =>
      gate.reply("A's late draft, written after the takeover."),
    );
    const request = paused.pendingRequests[0]!;
    await expectUntouched(survivor.store, runId, takenOver, request.requestId);
    for (const service of [stalled, survivor]) {
      expect((await service.listInbox(rita)).map((run) => [run.runId, run.pendingRequestId])).toEqual([
        [runId, request.requestId],
      ]);
      const run = await service.getRun(rita, runId);
      expect(run.pendingRequests.map((pending) => pending.draft)).toEqual([request.draft]);
      expect(run.supersededRequests).toEqual([]);
    }
    expect(request.draft).not.toContain("A's late draft");
  });

  it("records no failure when its model call fails: the run stays in the inbox, awaiting B's request", async () => {
    const { runId, takenOver, paused, stalled, survivor } = await stallTakeOverAndWake((gate) => gate.fail());
    const request = paused.pendingRequests[0]!;
    await expectUntouched(survivor.store, runId, takenOver, request.requestId);
    expect((await stalled.listInbox(rita)).map((run) => run.runId)).toEqual([runId]);
    expect((await stalled.getRun(rita, runId)).error).toBeNull();
  });

  it("gives every takeover a new lease token", async () => {
    const file = services.file("tokens.db");
    const service = await services.make({ file });
    const { runId } = await service.submitBrief(pat, { brief: BRIEF });
    await service.waitForIdle(runId);
    const first = (await snapshot(service.store, runId)).run.leaseToken;
    const run = await service.getRun(rita, runId);
    await service.answerRequest(rita, { runId, requestId: run.pendingRequests[0]!.requestId, response: "Shorter." });
    await service.waitForIdle(runId);
    expect((await snapshot(service.store, runId)).run.leaseToken).toBe(first + 1);
  });
});

describe("the run record is a projection of the newest checkpoint", () => {
  it("keeps the published text of the newest completion when an older completed checkpoint is resumed", async () => {
    const file = services.file("projection.db");
    const service = await services.make({ file });
    const { runId } = await service.submitBrief(pat, { brief: BRIEF });
    await service.waitForIdle(runId);
    const first = (await service.getRun(rita, runId)).pendingRequests[0]!;
    await service.answerRequest(rita, { runId, requestId: first.requestId, response: "approve" });
    await service.waitForIdle(runId);
    const firstCompletion = (await service.getRun(rita, runId)).headCheckpointId!;
    expect((await service.getRun(rita, runId)).publishedText).toBe(first.draft);

    // branch from draft 1 with guidance, then approve draft 2
    await service.resumeFromCheckpoint(admin, {
      checkpointId: first.checkpointId,
      responses: { [first.requestId]: "Add the warranty." },
      branch: true,
      reason: "The warranty was left out.",
    });
    await service.waitForIdle(runId);
    const second = (await service.getRun(rita, runId)).pendingRequests[0]!;
    expect(second.iteration).toBe(2);
    await service.answerRequest(rita, { runId, requestId: second.requestId, response: "approve" });
    await service.waitForIdle(runId);
    const published = await service.getRun(rita, runId);
    expect(published.publishedText).toBe(second.draft);
    expect(published.publications.map((publication) => publication.text)).toEqual([first.draft, second.draft]);
    const before = await snapshot(service.store, runId);

    await service.resumeFromCheckpoint(admin, {
      checkpointId: firstCompletion,
      reason: "Checking that an old completion changes nothing.",
    });
    await service.waitForIdle(runId);
    const after = await service.getRun(rita, runId);
    expect(after).toMatchObject({
      status: "completed",
      iteration: 2,
      publishedText: second.draft,
      headCheckpointId: published.headCheckpointId,
    });
    // nothing changed but the lease token (the resume took the lease to find there was nothing to do)
    const withoutLease = ({ run: { leaseToken: _token, ...run }, ...rest }: Awaited<ReturnType<typeof snapshot>>) => ({
      ...rest,
      run,
    });
    expect(withoutLease(await snapshot(service.store, runId))).toEqual(withoutLease(before));
  });

  it("projects every field from the checkpoint being saved: status, draft number, request, preview, published text", async () => {
    const file = services.file("fields.db");
    const service = await services.make({ file });
    const { runId } = await service.submitBrief(pat, { brief: BRIEF });
    await service.waitForIdle(runId);
    const paused = await service.getRun(rita, runId);
    const checkpoints = await service.listCheckpoints(rita, runId);
    const head = checkpoints.find((checkpoint) => checkpoint.isHead)!;
    expect(paused).toMatchObject({
      status: "awaiting_review",
      iteration: 1,
      pendingRequestId: head.pendingRequests[0]!.requestId,
      pendingSince: head.createdAt,
      draftPreview: paused.pendingRequests[0]!.draft.slice(0, 200),
      headCheckpointId: head.checkpointId,
    });
    expect(head.details).toEqual({ iteration: 1, publishedText: null, approval: null, rejection: null });
  });
});
