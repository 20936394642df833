import type { RunPolicy } from "@/lib/queries";

/**
 * Deadlines in words: how long until (or since) a review request is due, and the deadline terms of a policy.
 * Pure, so the server and the browser say the same thing for the same `now`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span of time, rounded for people: minutes under an hour, hours under two days, then days ("45 min", "3 h", "2 days"). */
export function formatSpan(ms: number): string {
  const span = Math.abs(ms);
  if (span < MINUTE) return "less than a minute";
  const minutes = Math.round(span / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  if (span < 48 * HOUR) return `${Math.round(span / HOUR)} h`;
  return `${Math.round(span / DAY)} days`;
}

/** "Due in 3 h" or "Overdue by 2 h" at `now` (epoch ms); due at the very moment counts as due, not overdue. */
export function describeDue(dueAt: string, now: number): { text: string; isOverdue: boolean } {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return { text: "Due date unknown", isOverdue: false };
  const isOverdue = now > due;
  return { text: isOverdue ? `Overdue by ${formatSpan(now - due)}` : `Due in ${formatSpan(due - now)}`, isOverdue };
}

/** A policy's duration exactly as set, in its largest whole unit: "90 min" reads "1 h 30 min", 1440 "24 h", 2880 "2 days". */
export function formatPolicyMinutes(minutes: number): string {
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return `${minutes / 1440} days`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "due 24 h after each draft, reminder 2 h before, never expires": the deadline part of a run's policy. */
export function deadlineTerms(
  policy: Pick<RunPolicy, "deadlineMinutes" | "reminderMinutesBefore" | "expireAfterMinutes">,
): string {
  const reminder =
    policy.reminderMinutesBefore === null
      ? "no reminder"
      : `reminder ${formatPolicyMinutes(policy.reminderMinutesBefore)} before`;
  const expiry =
    policy.expireAfterMinutes === null
      ? "never expires"
      : `expires ${formatPolicyMinutes(policy.expireAfterMinutes)} after the deadline`;
  return `due ${formatPolicyMinutes(policy.deadlineMinutes)} after each draft, ${reminder}, ${expiry}`;
}
