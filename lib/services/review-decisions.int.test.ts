import { describe, expect, it } from "vitest";
import { actorFor } from "@/tests/support/actors";
import { serviceHarness } from "@/tests/support/service-harness";
import type { Actor } from "./actor";
import type { DraftgateService } from "./draftgate-service";
import { draftSha256 } from "./review-decisions";

// Review decisions and the approval policy: quorum, stale approvals, edit-and-approve, reject, assignment.

const pat = actorFor("author", "Pat");
const rita = actorFor("reviewer", "Rita");
const ana = actorFor("reviewer", "Ana");
const ben = actorFor("reviewer", "Ben");
const ada = actorFor("admin", "Ada");

const services = serviceHarness();

async function pausedRun(
  service: DraftgateService,
  brief = "Introduce the smart grinder at $249 and invite pre-orders.",
) {
  const { runId } = await service.submitBrief(pat, { brief });
  await service.waitForIdle(runId);
  return service.getRun(rita, runId);
}

async function decide(service: DraftgateService, actor: Actor, runId: string, response: unknown) {
  const run = await service.getRun(actor, runId);
  const result = await service.answerRequest(actor, { runId, requestId: run.pendingRequests[0]!.requestId, response });
  await service.waitForIdle(runId);
  return result;
}

describe("a quorum of two approvals", () => {
  it("publishes once two distinct reviewers approved the same draft, and shows who approved", async () => {
    const service = await services.make();
    await service.updateReviewPolicy(ada, { requiredApprovals: 2 });
    const run = await pausedRun(service);
    expect(run.policy).toMatchObject({ version: 1, requiredApprovals: 2 });
    expect(run.approvals).toEqual({ count: 0, required: 2 });

    expect(await decide(service, rita, run.runId, "approve")).toEqual({
      runId: run.runId,
      status: "awaiting_review",
      approvals: { count: 1, required: 2 },
    });
    const half = await service.getRun(ana, run.runId);
    expect(half.status).toBe("awaiting_review");
    expect(half.pendingRequests[0]!.approvals.map((approval) => approval.by)).toEqual(["Rita"]);
    expect((await service.listInbox(ana))[0]).toMatchObject({ runId: run.runId, approvals: { count: 1, required: 2 } });

    expect(await decide(service, ana, run.runId, { decision: "approve" })).toMatchObject({ status: "running" });
    const done = await service.getRun(ana, run.runId);
    expect(done).toMatchObject({ status: "completed", publishedText: run.pendingRequests[0]!.draft });
    expect(done.publications).toHaveLength(1);
    expect(done.rounds).toHaveLength(1);
    expect(done.rounds[0]).toMatchObject({ state: "approved", decision: { kind: "approve", decidedBy: "Ana" } });
    expect(done.rounds[0]!.approvals.map((approval) => [approval.by, approval.dismissed])).toEqual([
      ["Rita", null],
      ["Ana", null],
    ]);
    expect(done.audit.map((entry) => [entry.action, entry.actorName])).toEqual([
      ["submitted", "Pat"],
      ["approved", "Rita"],
      ["answered", "Ana"],
    ]);
  });

  it("dismisses an approval when a new draft arrives: the new draft has 0 of 2", async () => {
    const service = await services.make();
    await service.updateReviewPolicy(ada, { requiredApprovals: 2 });
    const run = await pausedRun(service);
    await decide(service, rita, run.runId, "approve");
    await decide(service, ana, run.runId, { decision: "revise", guidance: "Mention the ceramic burrs." });
    const revised = await service.getRun(rita, run.runId);
    expect(revised).toMatchObject({ status: "awaiting_review", iteration: 2, approvals: { count: 0, required: 2 } });
    expect(revised.pendingRequests[0]!.approvals).toEqual([]);
    expect(revised.rounds.map((round) => round.state)).toEqual(["revised", "pending"]);
    expect(revised.rounds[0]!.approvals).toMatchObject([{ by: "Rita", dismissed: "draft changed" }]);
    // Rita's approval of draft 1 means nothing for draft 2: she may approve again, and it counts once
    expect(await decide(service, rita, run.runId, "approve")).toMatchObject({ approvals: { count: 1, required: 2 } });
  });

  it("refuses the submitter's approval, and counts the same reviewer once", async () => {
    const service = await services.make();
    await service.updateReviewPolicy(ada, { requiredApprovals: 2 });
    const { runId } = await service.submitBrief(rita, { brief: "Rita's own launch note." });
    await service.waitForIdle(runId);
    await expect(decide(service, rita, runId, "approve")).rejects.toMatchObject({ code: "SELF_APPROVAL_FORBIDDEN" });
    await expect(decide(service, rita, runId, { decision: "edit", text: "Her own edit." })).rejects.toMatchObject({
      code: "SELF_APPROVAL_FORBIDDEN",
    });

    await decide(service, ana, runId, "approve");
    await expect(decide(service, ana, runId, "approve")).rejects.toMatchObject({
      code: "ALREADY_APPROVED",
      message: "You already approved this draft; it has 1 of 2 approvals. Another reviewer's approval is needed.",
    });
    expect((await service.getRun(ana, runId)).approvals).toEqual({ count: 1, required: 2 });
  });

  it("applies exactly one publish when the last two approvals race from two processes on one database", async () => {
    const first = await services.make();
    const second = await services.make();
    await first.updateReviewPolicy(ada, { requiredApprovals: 2 });
    for (let round = 0; round < 10; round++) {
      const run = await pausedRun(first, `Race ${round}: the grinder ships.`);
      const requestId = run.pendingRequests[0]!.requestId;
      const outcomes = await Promise.allSettled([
        first.answerRequest(ana, { runId: run.runId, requestId, response: "approve" }),
        second.answerRequest(ben, { runId: run.runId, requestId, response: "approve" }),
      ]);
      await first.waitForIdle(run.runId);
      await second.waitForIdle(run.runId);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled"]);
      const statuses = outcomes
        .map((outcome) => (outcome as PromiseFulfilledResult<{ status: string }>).value.status)
        .sort();
      expect(statuses).toEqual(["awaiting_review", "running"]);
      const done = await first.getRun(ada, run.runId);
      expect(done.status).toBe("completed");
      expect(done.publications).toHaveLength(1);
      expect(done.decisions).toHaveLength(1);
      expect(done.rounds[0]!.approvals.map((approval) => approval.by).sort()).toEqual(["Ana", "Ben"]);
      expect(
        done.audit
          .filter((entry) => entry.action === "approved" || entry.action === "answered")
          .map((entry) => entry.actorName)
          .sort(),
      ).toEqual(["Ana", "Ben"]);
    }
  });
});

describe("edit and approve", () => {
  it("publishes the reviewer's edit with one approval required, and keeps the writer's draft beside it", async () => {
    const service = await services.make();
    const run = await pausedRun(service);
    const writerDraft = run.pendingRequests[0]!.draft;
    await decide(service, rita, run.runId, {
      decision: "edit",
      text: "The grinder that tunes itself: $249. Pre-order today!",
    });
    const done = await service.getRun(rita, run.runId);
    expect(done).toMatchObject({
      status: "completed",
      publishedText: "The grinder that tunes itself: $249. Pre-order today!",
    });
    expect(done.rounds).toHaveLength(1);
    expect(done.rounds[0]).toMatchObject({
      draft: writerDraft,
      state: "approved",
      decision: {
        kind: "edit",
        response: "The grinder that tunes itself: $249. Pre-order today!",
        isApproval: true,
        decidedBy: "Rita",
      },
    });
    expect(done.publications[0]).toMatchObject({
      text: "The grinder that tunes itself: $249. Pre-order today!",
      approvedBy: "Rita",
    });
  });

  it("with a quorum of two, an edit dismisses the other approval and counts as its author's approval of the edited text", async () => {
    const service = await services.make();
    await service.updateReviewPolicy(ada, { requiredApprovals: 2 });
    const run = await pausedRun(service);
    await decide(service, rita, run.runId, "approve");
    await decide(service, ana, run.runId, { decision: "edit", text: "Edited by Ana. Pre-order today!" });
    const edited = await service.getRun(ben, run.runId);
    expect(edited).toMatchObject({ status: "awaiting_review", iteration: 1, approvals: { count: 1, required: 2 } });
    expect(edited.pendingRequests[0]).toMatchObject({
      draft: "Edited by Ana. Pre-order today!",
      editedBy: "Ana",
      approvals: [{ by: "Ana", kind: "edit" }],
    });
    expect(edited.rounds.map((round) => [round.state, round.editedBy])).toEqual([
      ["edited", null],
      ["pending", "Ana"],
    ]);
    expect(edited.rounds[0]!.approvals).toMatchObject([{ by: "Rita", dismissed: "draft changed" }]);
    // Ana already approved her own edit; Ben's approval completes the quorum
    await expect(decide(service, ana, run.runId, "approve")).rejects.toMatchObject({ code: "ALREADY_APPROVED" });
    await decide(service, ben, run.runId, "approve");
    expect(await service.getRun(ben, run.runId)).toMatchObject({
      status: "completed",
      publishedText: "Edited by Ana. Pre-order today!",
    });
  });

  it("refuses a decision on a draft that changed since the reviewer read it", async () => {
    const service = await services.make();
    const run = await pausedRun(service);
    const stale = draftSha256("an older draft");
    await expect(decide(service, rita, run.runId, { decision: "approve", draftSha256: stale })).rejects.toMatchObject({
      code: "DRAFT_CHANGED",
    });
    expect((await service.getRun(rita, run.runId)).status).toBe("awaiting_review");
    await decide(service, rita, run.runId, { decision: "approve", draftSha256: run.pendingRequests[0]!.draftSha256 });
    expect((await service.getRun(rita, run.runId)).status).toBe("completed");
  });
});

describe("reject", () => {
  it("ends the run without publishing, with the reason; it leaves the inbox and only an admin re-opens it", async () => {
    const service = await services.make();
    const run = await pausedRun(service);
    await expect(decide(service, rita, run.runId, { decision: "reject", reason: "  " })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { reason: [expect.any(String)] },
    });
    await decide(service, rita, run.runId, { decision: "reject", reason: "The grinder launch was cancelled." });
    const rejected = await service.getRun(pat, run.runId);
    expect(rejected).toMatchObject({
      status: "rejected",
      publishedText: null,
      outputs: [],
      rejection: { reason: "The grinder launch was cancelled.", by: "Rita" },
    });
    expect(rejected.rounds[0]).toMatchObject({
      state: "rejected",
      decision: { kind: "reject", response: "The grinder launch was cancelled." },
    });
    expect(await service.listInbox(rita)).toEqual([]);
    expect((await service.listRuns(rita, { status: "rejected" })).runs.map((listed) => listed.runId)).toEqual([
      run.runId,
    ]);
    // terminal: answering again is refused, and re-opening is for admins, with a reason
    await expect(
      service.answerRequest(rita, {
        runId: run.runId,
        requestId: run.pendingRequests[0]!.requestId,
        response: "approve",
      }),
    ).rejects.toMatchObject({ code: "REQUEST_ALREADY_ANSWERED" });
    const reopen = {
      checkpointId: run.pendingRequests[0]!.checkpointId,
      responses: { [run.pendingRequests[0]!.requestId]: "Relaunch it as a limited edition." },
      branch: true,
    };
    await expect(service.resumeFromCheckpoint(rita, { ...reopen, reason: "Back on." })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(service.resumeFromCheckpoint(ada, reopen)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await service.resumeFromCheckpoint(ada, { ...reopen, reason: "The launch is back on." });
    await service.waitForIdle(run.runId);
    expect(await service.getRun(ada, run.runId)).toMatchObject({
      status: "awaiting_review",
      iteration: 2,
      rejection: null,
    });
  });
});

describe("re-opening", () => {
  it("shows the approval that published before an admin re-opened the run as superseded, not as counted", async () => {
    const service = await services.make();
    const run = await pausedRun(service);
    const request = run.pendingRequests[0]!;
    await decide(service, rita, run.runId, "approve");
    await service.resumeFromCheckpoint(ada, {
      checkpointId: request.checkpointId,
      responses: { [request.requestId]: "Mention the warranty." },
      branch: true,
      reason: "The warranty was left out.",
    });
    await service.waitForIdle(run.runId);
    const reopened = await service.getRun(ada, run.runId);
    expect(reopened.rounds.map((round) => round.state)).toEqual(["revised", "pending"]);
    expect(reopened.rounds[0]!.approvals).toMatchObject([{ by: "Rita", dismissed: "superseded" }]);
    expect(reopened.publications).toHaveLength(1);
  });
});

describe("policy versions", () => {
  it("keeps the policy a run started with when an admin changes it", async () => {
    const service = await services.make();
    expect(await service.getReviewPolicy(pat)).toMatchObject({ version: null, requiredApprovals: 1 });
    const before = await pausedRun(service);
    expect(await service.updateReviewPolicy(ada, { requiredApprovals: 3 })).toMatchObject({
      version: 1,
      requiredApprovals: 3,
      updatedBy: "Ada",
    });
    await expect(service.updateReviewPolicy(ada, { requiredApprovals: 0 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const after = await pausedRun(service);
    expect(before.policy).toMatchObject({ version: null, requiredApprovals: 1 });
    expect(after.policy).toMatchObject({ version: 1, requiredApprovals: 3 });
    // the older run still publishes with one approval
    await decide(service, rita, before.runId, "approve");
    expect((await service.getRun(rita, before.runId)).status).toBe("completed");
    await decide(service, rita, after.runId, "approve");
    expect(await service.getRun(rita, after.runId)).toMatchObject({
      status: "awaiting_review",
      approvals: { count: 1, required: 3 },
    });
  });

  it("refuses an approval on a branch when the run needs more than one", async () => {
    const service = await services.make();
    await service.updateReviewPolicy(ada, { requiredApprovals: 2 });
    const run = await pausedRun(service);
    const request = run.pendingRequests[0]!;
    await decide(service, rita, run.runId, { decision: "revise", guidance: "Shorter." });
    await expect(
      service.resumeFromCheckpoint(ada, {
        checkpointId: request.checkpointId,
        responses: { [request.requestId]: "approve" },
        branch: true,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("needs 2 approvals") });
  });
});

describe("assignment", () => {
  it("asks named reviewers; their inbox shows the run under 'assigned to me', and the audit says who assigned whom", async () => {
    const service = await services.make();
    const rhea = await service.people.addPerson(ada, { email: "rhea@example.com", name: "Rhea", role: "reviewer" });
    const rheaActor = (await service.people.actorForUser(rhea.userId, "password"))!;
    const assigned = await pausedRun(service, "Assigned: the grinder ships.");
    const pool = await pausedRun(service, "Pool: the kettle ships.");
    expect(await service.assignReviewer(rita, { runId: assigned.runId, userId: rhea.userId })).toEqual([
      { userId: rhea.userId, name: "Rhea" },
    ]);
    expect((await service.listInbox(rheaActor, { assigned: "me" })).map((run) => run.runId)).toEqual([assigned.runId]);
    expect((await service.listInbox(rheaActor)).map((run) => run.runId).sort()).toEqual(
      [assigned.runId, pool.runId].sort(),
    );
    expect(await service.listInbox(rita, { assigned: "me" })).toEqual([]);
    expect((await service.listInbox(rita)).find((run) => run.runId === assigned.runId)?.assignees).toEqual([
      { userId: rhea.userId, name: "Rhea" },
    ]);
    // authors cannot be assigned
    const author = await service.people.addPerson(ada, { email: "ann@example.com", name: "Ann", role: "author" });
    await expect(service.assignReviewer(rita, { runId: assigned.runId, userId: author.userId })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(await service.unassignReviewer(ana, { runId: assigned.runId, userId: rhea.userId })).toEqual([]);
    const audit = (await service.getRun(rita, assigned.runId)).audit.filter(
      (entry) => entry.action === "assigned" || entry.action === "unassigned",
    );
    expect(audit.map((entry) => [entry.action, entry.actorName, entry.subjectName])).toEqual([
      ["assigned", "Rita", "Rhea"],
      ["unassigned", "Ana", "Rhea"],
    ]);
  });
});
