import { z } from "zod";
import { RELEASE_NOTES_WORKFLOW } from "@/lib/release-notes";
import { insertRunAudit } from "@/db/audit-queries";
import type { AppDatabase, DatabaseConnection } from "@/db/client";
import { findPeopleByRole, findUserById } from "@/db/people-queries";
import {
  findDeadline,
  insertAssignment,
  insertDeadline,
  listRunAssignments,
  listRunsWithoutDeadline,
  policyForRun,
  updateDeadline,
} from "@/db/review-queries";
import { findRun } from "@/db/run-queries";
import type { DurableTimerRow } from "@/db/schema";
import { cancelRequestTimers, scheduleTimer } from "@/db/timer-queries";
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
export function planDeadline(db: AppDatabase, params: { runId: string; requestId: string; askedAt: string }): void {
  const run = findRun(db, params.runId);
  if (!run) return;
  const policy = policyForRun(db, run, RELEASE_NOTES_WORKFLOW);
  const asked = Date.parse(params.askedAt);
  const due = asked + policy.deadlineMinutes * MINUTE;
  if (
    !insertDeadline(db, {
      requestId: params.requestId,
      runId: params.runId,
      askedAt: params.askedAt,
      dueAt: new Date(due).toISOString(),
    })
  )
    return;
  const timer = (kind: string, dueAt: number) =>
    scheduleTimer(db, {
      key: `${params.requestId}:${kind}`,
      kind,
      runId: params.runId,
      requestId: params.requestId,
      dueAt,
    });
  if (policy.reminderMinutesBefore !== null && policy.reminderMinutesBefore < policy.deadlineMinutes)
    timer(TIMER_KINDS.reminder, due - policy.reminderMinutesBefore * MINUTE);
  timer(TIMER_KINDS.escalation, due);
  if (policy.expireAfterMinutes !== null) timer(TIMER_KINDS.expiry, due + policy.expireAfterMinutes * MINUTE);
}

/** Plans deadlines for runs paused without one (before deadlines existed), from when their request was asked. */
export function planMissingDeadlines(connection: DatabaseConnection): void {
  connection.sqlite
    .transaction(() => {
      for (const run of listRunsWithoutDeadline(connection.db, 200))
        planDeadline(connection.db, { runId: run.runId, requestId: run.pendingRequestId, askedAt: run.pendingSince });
    })
    .immediate();
}

/** Closes the deadline of an answered request: its timers will not fire. */
export function closeDeadline(db: AppDatabase, requestId: string, at: string): void {
  if (findDeadline(db, requestId)?.closedAt) return;
  updateDeadline(db, requestId, { closedAt: at });
  cancelRequestTimers(db, requestId, Date.parse(at));
}

/** Whether a timer's request is still the one its run waits on, unanswered. */
function isStillPending(db: AppDatabase, timer: DurableTimerRow): boolean {
  const run = findRun(db, timer.runId);
  const deadline = timer.requestId ? findDeadline(db, timer.requestId) : undefined;
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
  const audit = (db: AppDatabase, timer: DurableTimerRow, action: "reminded" | "escalated", subjectName: string) =>
    insertRunAudit(db, {
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
    [TIMER_KINDS.reminder]: (timer, settle) => {
      settle((db) => {
        if (!isStillPending(db, timer)) return "obsolete";
        const assignees = listRunAssignments(db, timer.runId).map((row) => row.assigneeName);
        updateDeadline(db, timer.requestId!, { remindedAt: new Date(outbox.now()).toISOString() });
        audit(db, timer, "reminded", assignees.length > 0 ? assignees.join(", ") : "the reviewers");
        notifyReminder(db, outbox, {
          runId: timer.runId,
          requestId: timer.requestId!,
          dueAt: findDeadline(db, timer.requestId!)!.dueAt,
        });
        return "fired";
      });
    },
    [TIMER_KINDS.escalation]: (timer, settle) => {
      settle((db) => {
        if (!isStillPending(db, timer)) return "obsolete";
        const run = findRun(db, timer.runId)!;
        const policy = policyForRun(db, run, RELEASE_NOTES_WORKFLOW);
        const named = userIdsSchema.safeParse(JSON.parse(policy.escalateToUserIds));
        const people = (
          named.success && named.data.length > 0
            ? named.data.map((id) => findUserById(db, id))
            : findPeopleByRole(db, "admin")
        ).filter((user) => user !== undefined && !user.deactivatedAt);
        const at = new Date(outbox.now()).toISOString();
        for (const person of people) {
          insertAssignment(db, {
            runId: run.runId,
            assigneeId: person!.id,
            assigneeName: person!.name,
            assignedAt: at,
            assignedById: null,
            assignedByName: DEADLINE_ACTOR.name,
          });
        }
        const names = people.map((person) => person!.name).join(", ") || "the admins";
        updateDeadline(db, timer.requestId!, { escalatedAt: at, escalatedTo: names });
        audit(db, timer, "escalated", names);
        notifyEscalation(db, outbox, {
          runId: run.runId,
          requestId: timer.requestId!,
          dueAt: findDeadline(db, timer.requestId!)!.dueAt,
          people: people.map((person) => ({ id: person!.id, name: person!.name })),
        });
        return "fired";
      });
    },
    [TIMER_KINDS.expiry]: async (timer, settle) => {
      // the answer goes through the engine, outside the settling transaction; answering twice is refused, so a
      // process that dies before settling expires the request once in effect
      const outcome = await params.expire(timer);
      settle((db) => {
        if (outcome === "obsolete" || !timer.requestId) return "obsolete";
        updateDeadline(db, timer.requestId, { expiredAt: new Date(outbox.now()).toISOString() });
        return "fired";
      });
    },
  };
}
