import { z } from "zod";
import { RELEASE_NOTES_WORKFLOW } from "@/lib/release-notes";
import type { DurableTimerRow } from "@/db/schema";
import type { Queries, Store } from "@/db/store";
import type { Actor } from "./actor";
import type { TimerHandler } from "./durable-timers";
import type { Outbox } from "./notifications/outbox";
import { notifyEscalation, notifyReminder } from "./notifications/run-notifications";

/**
 * Deadlines of review requests (issue: deadlines, reminders and escalation). A request is due a set time after it
 * is asked (the run's policy); before the deadline its assignees (or the pool) are reminded, at the deadline it is
 * offered to the escalation group (or the admins), and, only when the policy says so, it expires some time later:
 * it is rejected as expired, never approved. The deadline and its timers are planned in the transaction of the
 * checkpoint that asks the request, and closed (timers cancelled) in the one that answers it.
 */

export const TIMER_KINDS = {
  reminder: "review-reminder",
  escalation: "review-escalation",
  expiry: "review-expiry",
} as const;

const MINUTE = 60_000;

/** The actor the process acts as when a deadline expires a request. */
export const DEADLINE_ACTOR: Actor = {
  userId: null,
  name: "Draftgate (deadline)",
  email: null,
  role: "admin",
  method: "system",
};

/** Plans the deadline of a request a run just asked, with its timers, under the run's policy. Idempotent. */
export async function planDeadline(
  tx: Queries,
  params: { runId: string; requestId: string; askedAt: string },
): Promise<void> {
  const run = await tx.findRun(params.runId);
  if (!run) return;
  const policy = await tx.policyForRun(run, RELEASE_NOTES_WORKFLOW);
  const asked = Date.parse(params.askedAt);
  const due = asked + policy.deadlineMinutes * MINUTE;
  if (
    !(await tx.insertDeadline({
      requestId: params.requestId,
      runId: params.runId,
      askedAt: params.askedAt,
      dueAt: new Date(due).toISOString(),
    }))
  )
    return;
  const timer = (kind: string, dueAt: number) =>
    tx.scheduleTimer({
      key: `${params.requestId}:${kind}`,
      kind,
      runId: params.runId,
      requestId: params.requestId,
      dueAt,
    });
  if (policy.reminderMinutesBefore !== null && policy.reminderMinutesBefore < policy.deadlineMinutes)
    await timer(TIMER_KINDS.reminder, due - policy.reminderMinutesBefore * MINUTE);
  await timer(TIMER_KINDS.escalation, due);
  if (policy.expireAfterMinutes !== null) await timer(TIMER_KINDS.expiry, due + policy.expireAfterMinutes * MINUTE);
}

/** Plans deadlines for runs paused without one (before deadlines existed), from when their request was asked. */
export async function planMissingDeadlines(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const run of await tx.listRunsWithoutDeadline(200))
      await planDeadline(tx, { runId: run.runId, requestId: run.pendingRequestId, askedAt: run.pendingSince });
  });
}

/** Closes the deadline of an answered request: its timers will not fire. */
export async function closeDeadline(tx: Queries, requestId: string, at: string): Promise<void> {
  if ((await tx.findDeadline(requestId))?.closedAt) return;
  await tx.updateDeadline(requestId, { closedAt: at });
  await tx.cancelRequestTimers(requestId, Date.parse(at));
}

/** Whether a timer's request is still the one its run waits on, unanswered. */
async function isStillPending(tx: Queries, timer: DurableTimerRow): Promise<boolean> {
  const run = await tx.findRun(timer.runId);
  const deadline = timer.requestId ? await tx.findDeadline(timer.requestId) : undefined;
  return (
    run?.status === "awaiting_review" && run.pendingRequestId === timer.requestId && !!deadline && !deadline.closedAt
  );
}

const userIdsSchema = z.array(z.string());

/**
 * The handlers of the three deadline timers. `expire` rejects the request as expired through the service and says
 * whether it is (now or already, by an earlier attempt) expired, or was answered by someone first.
 */
export function deadlineTimerHandlers(params: {
  outbox: Outbox;
  expire: (timer: DurableTimerRow) => Promise<"expired" | "obsolete">;
}): Record<string, TimerHandler> {
  const { outbox } = params;
  const audit = (tx: Queries, timer: DurableTimerRow, action: "reminded" | "escalated", subjectName: string) =>
    tx.insertRunAudit({
      runId: timer.runId,
      at: new Date(outbox.now()).toISOString(),
      action,
      actorId: null,
      actorName: DEADLINE_ACTOR.name,
      actorRole: DEADLINE_ACTOR.role,
      actorMethod: DEADLINE_ACTOR.method,
      requestId: timer.requestId,
      subjectName,
    });
  return {
    [TIMER_KINDS.reminder]: async (timer, settle) => {
      await settle(async (tx) => {
        if (!(await isStillPending(tx, timer))) return "obsolete";
        const assignees = (await tx.listRunAssignments(timer.runId)).map((row) => row.assigneeName);
        await tx.updateDeadline(timer.requestId!, { remindedAt: new Date(outbox.now()).toISOString() });
        await audit(tx, timer, "reminded", assignees.length > 0 ? assignees.join(", ") : "the reviewers");
        await notifyReminder(tx, outbox, {
          runId: timer.runId,
          requestId: timer.requestId!,
          dueAt: (await tx.findDeadline(timer.requestId!))!.dueAt,
        });
        return "fired";
      });
    },
    [TIMER_KINDS.escalation]: async (timer, settle) => {
      await settle(async (tx) => {
        if (!(await isStillPending(tx, timer))) return "obsolete";
        const run = (await tx.findRun(timer.runId))!;
        const policy = await tx.policyForRun(run, RELEASE_NOTES_WORKFLOW);
        const named = userIdsSchema.safeParse(JSON.parse(policy.escalateToUserIds));
        const people = (
          named.success && named.data.length > 0
            ? await Promise.all(named.data.map((id) => tx.findUserById(id)))
            : await tx.findPeopleByRole("admin")
        ).filter((user) => user !== undefined && !user.deactivatedAt);
        const at = new Date(outbox.now()).toISOString();
        for (const person of people) {
          await tx.insertAssignment({
            runId: run.runId,
            assigneeId: person!.id,
            assigneeName: person!.name,
            assignedAt: at,
            assignedById: null,
            assignedByName: DEADLINE_ACTOR.name,
          });
        }
        const names = people.map((person) => person!.name).join(", ") || "the admins";
        await tx.updateDeadline(timer.requestId!, { escalatedAt: at, escalatedTo: names });
        await audit(tx, timer, "escalated", names);
        await notifyEscalation(tx, outbox, {
          runId: run.runId,
          requestId: timer.requestId!,
          dueAt: (await tx.findDeadline(timer.requestId!))!.dueAt,
          people: people.map((person) => ({ id: person!.id, name: person!.name })),
        });
        return "fired";
      });
    },
    [TIMER_KINDS.expiry]: async (timer, settle) => {
      // the answer goes through the engine, outside the settling transaction; answering twice is refused, so a
      // process that dies before settling expires the request once in effect
      const outcome = await params.expire(timer);
      await settle(async (tx) => {
        if (outcome === "obsolete" || !timer.requestId) return "obsolete";
        await tx.updateDeadline(timer.requestId, { expiredAt: new Date(outbox.now()).toISOString() });
        return "fired";
      });
    },
  };
}
