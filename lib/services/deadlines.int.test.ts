import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorFor } from "@/tests/support/actors";
import { runSql, serviceHarness } from "@/tests/support/service-harness";
import type { Actor } from "./actor";
import type { DraftgateService } from "./draftgate-service";

// Deadlines, reminders, escalation and expiry on durable timers, with an injected clock: tests move time, they
// do not sleep.

const MINUTE = 60_000;
const pat = actorFor("author", "Pat");
const rita = actorFor("reviewer", "Rita");

let now: number;
let ada: Actor;
let errors: Array<{ error: unknown; context: Record<string, unknown> }> = [];

beforeEach(async () => {
  errors = [];
  now = Date.parse("2026-12-01T09:00:00.000Z");
});
afterEach(() => {
  expect(errors).toEqual([]);
});
// registered after the hook above, so its services are closed before their errors are checked
const services = serviceHarness({
  clock: () => now,
  onUnexpectedError: (error, context) => errors.push({ error, context }),
});

/** A service whose policy is due in 60 minutes, reminds 15 minutes before, and (optionally) expires 30 after. */
async function withPolicy(expireAfterMinutes: number | null = null) {
  const service = await services.make();
  const admin = await service.people.addPerson(actorFor("admin", "Setup"), {
    email: "ada@example.com",
    name: "Ada",
    role: "admin",
  });
  ada = (await service.people.actorForUser(admin.userId, "password"))!;
  await service.updateReviewPolicy(ada, { deadlineMinutes: 60, reminderMinutesBefore: 15, expireAfterMinutes });
  return service;
}

async function pausedRun(service: DraftgateService) {
  const { runId } = await service.submitBrief(pat, { brief: "Introduce the smart grinder at $249." });
  await service.waitForIdle(runId);
  return service.getRun(rita, runId);
}

const at = (minutes: number, from: number) => from + minutes * MINUTE;

describe("a review request's deadline", () => {
  it("reminds once before it, escalates to the admins once at it, and shows both in the inbox and the audit", async () => {
    const service = await withPolicy();
    const asked = now;
    const run = await pausedRun(service);
    expect(run.deadline).toEqual({
      askedAt: new Date(asked).toISOString(),
      dueAt: new Date(at(60, asked)).toISOString(),
      remindedAt: null,
      escalatedAt: null,
      escalatedTo: null,
    });
    expect(run.policy).toMatchObject({ deadlineMinutes: 60, reminderMinutesBefore: 15, expireAfterMinutes: null });

    now = at(44, asked);
    expect(await service.timers.tick()).toBe(0);
    now = at(45, asked);
    expect(await service.timers.tick()).toBe(1);
    expect(await service.timers.tick()).toBe(0);
    const reminded = await service.getRun(rita, run.runId);
    expect(reminded.deadline?.remindedAt).toBe(new Date(now).toISOString());
    expect(
      reminded.audit
        .filter((entry) => entry.action === "reminded")
        .map((entry) => [entry.actorName, entry.subjectName]),
    ).toEqual([["Draftgate (deadline)", "the reviewers"]]);

    now = at(61, asked);
    expect(await service.timers.tick()).toBe(1);
    expect(await service.timers.tick()).toBe(0);
    const escalated = await service.getRun(rita, run.runId);
    expect(escalated).toMatchObject({
      status: "awaiting_review",
      deadline: { escalatedAt: new Date(now).toISOString(), escalatedTo: "Ada" },
      assignees: [{ name: "Ada" }],
    });
    expect(escalated.audit.filter((entry) => entry.action === "escalated").map((entry) => entry.subjectName)).toEqual([
      "Ada",
    ]);
    expect(
      (await service.listInbox(ada, { assigned: "me" })).map((item) => [item.runId, item.deadline?.escalatedTo]),
    ).toEqual([[run.runId, "Ada"]]);
    // never an automatic decision without an expiry in the policy
    now = at(24 * 60, asked);
    expect(await service.timers.tick()).toBe(0);
    expect((await service.getRun(rita, run.runId)).status).toBe("awaiting_review");
  });

  it("escalates to the policy's named group instead of the admins", async () => {
    const service = await withPolicy();
    const rhea = await service.people.addPerson(ada, { email: "rhea@example.com", name: "Rhea", role: "reviewer" });
    await service.updateReviewPolicy(ada, { escalateToUserIds: [rhea.userId] });
    expect((await service.getReviewPolicy(pat)).escalateTo).toEqual([{ userId: rhea.userId, name: "Rhea" }]);
    const run = await pausedRun(service);
    now = at(60, now);
    await service.timers.tick();
    expect((await service.getRun(rita, run.runId)).assignees.map((assignee) => assignee.name)).toEqual(["Rhea"]);
  });

  it("rejects the request as expired once when the policy says so, never approving it", async () => {
    const service = await withPolicy(30);
    const asked = now;
    const run = await pausedRun(service);
    now = at(89, asked);
    await service.timers.tick(); // reminder and escalation
    expect((await service.getRun(rita, run.runId)).status).toBe("awaiting_review");
    now = at(90, asked);
    expect(await service.timers.tick()).toBe(1);
    await service.waitForIdle(run.runId);
    const expired = await service.getRun(pat, run.runId);
    expect(expired).toMatchObject({
      status: "rejected",
      publishedText: null,
      rejection: { reason: "Expired: no decision by the deadline.", by: "Draftgate (deadline)" },
    });
    expect(expired.decisions).toMatchObject([
      { kind: "reject", decidedBy: "Draftgate (deadline)", decidedVia: "system" },
    ]);
    expect(await service.timers.tick()).toBe(0);
    expect(
      (await service.store.queries.listRunTimers(run.runId)).map((timer) => [
        timer.kind,
        timer.firedAt !== null,
        timer.cancelledAt !== null,
      ]),
    ).toEqual([
      ["review-reminder", true, false],
      ["review-escalation", true, false],
      ["review-expiry", true, false],
    ]);
  });

  it("cancels the timers of a request answered before its deadline, and restarts the deadline with the new draft", async () => {
    const service = await withPolicy(30);
    const asked = now;
    const run = await pausedRun(service);
    now = at(30, asked);
    await service.answerRequest(rita, {
      runId: run.runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "Mention the ceramic burrs.",
    });
    await service.waitForIdle(run.runId);
    const second = await service.getRun(rita, run.runId);
    expect(second.deadline).toMatchObject({
      askedAt: new Date(now).toISOString(),
      dueAt: new Date(at(90, asked)).toISOString(),
    });
    const timers = await service.store.queries.listRunTimers(run.runId);
    expect(
      timers
        .filter((timer) => timer.requestId === run.pendingRequests[0]!.requestId)
        .every((timer) => timer.cancelledAt !== null && timer.firedAt === null),
    ).toBe(true);

    // past the first draft's deadline, before the second's: nothing fires
    now = at(61, asked);
    expect(await service.timers.tick()).toBe(0);
    expect(
      (await service.getRun(rita, run.runId)).audit.some(
        (entry) => entry.action === "escalated" || entry.action === "reminded",
      ),
    ).toBe(false);
    now = at(90, asked);
    expect(await service.timers.tick()).toBe(2); // the second draft's reminder and escalation
    expect((await service.getRun(rita, run.runId)).status).toBe("awaiting_review");
  });

  it("fires each timer once in effect when two processes tick the same database", async () => {
    const first = await withPolicy();
    const second = await services.make();
    const runs = await Promise.all([pausedRun(first), pausedRun(first), pausedRun(first)]);
    now = at(61, now);
    // the first to tick takes the scheduler lease and fires all six; the other holds no lease and fires none
    expect((await Promise.all([first.timers.tick(), second.timers.tick()])).sort()).toEqual([0, 6]);
    expect(await second.timers.tick()).toBe(0);
    // once the holder stops (or its lease expires), the other takes over, and finds nothing left to fire
    await first.timers.stop();
    expect(await second.timers.tick()).toBe(0);
    for (const run of runs) {
      const audit = (await first.getRun(rita, run.runId)).audit;
      expect(audit.filter((entry) => entry.action === "reminded")).toHaveLength(1);
      expect(audit.filter((entry) => entry.action === "escalated")).toHaveLength(1);
    }
  });

  it("gives runs paused before deadlines existed a deadline from when they were asked", async () => {
    const service = await withPolicy();
    const run = await pausedRun(service);
    // as a database from before this release: no deadline, no timers
    await runSql(service.store, "delete from review_deadlines");
    await runSql(service.store, "delete from durable_timers");
    expect((await service.getRun(rita, run.runId)).deadline).toBeNull();
    await service.timers.tick();
    expect((await service.getRun(rita, run.runId)).deadline).toMatchObject({ askedAt: run.pendingSince });
  });
});
