import { isServiceError, type Assignee, type ReviewPolicy } from "@/lib/services";
import { CliError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { formatDuration } from "./durations";
import { ExitCode } from "./exit-codes";
import { requirePerson } from "./people-commands";

/**
 * How drafts are reviewed: the approval policy with its deadline (`policy`, `policy set`) and who is asked to
 * review a run (`assign`, `unassign`). The services check the actor's role, like for any other caller.
 */

/** What `policy set` changes; what is left out keeps its current value. Durations in minutes, null: off. */
export interface PolicyChanges {
  requiredApprovals?: number;
  deadlineMinutes?: number;
  reminderMinutesBefore?: number | null;
  /** Emails or user ids; empty: the admins. */
  escalateTo?: string[];
  expireAfterMinutes?: number | null;
}

/** The option of `policy set` behind each field of the services' policy input, to name it in errors. */
const OPTION_OF_FIELD: Record<string, string> = {
  requiredApprovals: "--approvals",
  deadlineMinutes: "--deadline",
  reminderMinutesBefore: "--remind-before",
  escalateToUserIds: "--escalate-to",
  expireAfterMinutes: "--expire-after",
};

export async function showPolicyCommand(ctx: CliContext): Promise<CommandResult> {
  const policy = await ctx.service.getReviewPolicy(ctx.actor);
  for (const line of describePolicy(policy)) ctx.out.line(line);
  return { exitCode: ExitCode.done, document: { ok: true, command: "policy", policy } };
}

export async function setPolicyCommand(ctx: CliContext, changes: PolicyChanges): Promise<CommandResult> {
  if (Object.values(changes).every((value) => value === undefined)) {
    throw new CliError(
      "BAD_OPTION",
      "Say what to change: --approvals, --deadline, --remind-before, --escalate-to or --expire-after.",
    );
  }
  const { escalateTo, ...rest } = changes;
  const escalateToUserIds: string[] = [];
  // one by one, so the first unknown email is the one reported
  for (const person of escalateTo ?? []) escalateToUserIds.push(await userIdOf(ctx, person));
  const input = { ...rest, ...(escalateTo ? { escalateToUserIds } : {}) };
  let policy: ReviewPolicy;
  try {
    policy = await ctx.service.updateReviewPolicy(ctx.actor, input);
  } catch (error) {
    throw withOptionNames(error);
  }
  for (const line of describePolicy(policy)) ctx.out.line(line);
  ctx.out.line("Runs started from now on follow it; runs already started keep the policy they started with.");
  return { exitCode: ExitCode.done, document: { ok: true, command: "policy set", policy } };
}

export async function assignCommand(ctx: CliContext, runId: string, email: string): Promise<CommandResult> {
  const person = await requirePerson(ctx, email);
  const before = (await ctx.service.getRun(ctx.actor, runId)).assignees;
  const assignees = await ctx.service.assignReviewer(ctx.actor, { runId, userId: person.userId });
  const isNew = !before.some((assignee) => assignee.userId === person.userId);
  ctx.out.line(
    isNew
      ? `Assigned ${person.name} <${person.email}> to review run ${runId}.`
      : `${person.name} <${person.email}> was already assigned to run ${runId}.`,
  );
  ctx.out.line(describeAssignees(assignees));
  return { exitCode: ExitCode.done, document: { ok: true, command: "assign", runId, changed: isNew, assignees } };
}

export async function unassignCommand(ctx: CliContext, runId: string, email: string): Promise<CommandResult> {
  const person = await requirePerson(ctx, email);
  const before = (await ctx.service.getRun(ctx.actor, runId)).assignees;
  const assignees = await ctx.service.unassignReviewer(ctx.actor, { runId, userId: person.userId });
  const wasAssigned = before.some((assignee) => assignee.userId === person.userId);
  ctx.out.line(
    wasAssigned
      ? `${person.name} <${person.email}> no longer reviews run ${runId}.`
      : `${person.name} <${person.email}> was not assigned to run ${runId}; nothing changed.`,
  );
  ctx.out.line(describeAssignees(assignees));
  return {
    exitCode: ExitCode.done,
    document: { ok: true, command: "unassign", runId, changed: wasAssigned, assignees },
  };
}

function describePolicy(policy: ReviewPolicy): string[] {
  const count = `${policy.requiredApprovals} ${policy.requiredApprovals === 1 ? "approval" : "approvals"}`;
  const version =
    policy.version === null
      ? "the default; never changed"
      : `version ${policy.version}, set by ${policy.updatedBy ?? "unknown"} at ${policy.updatedAt ?? "an unknown time"}`;
  const group = policy.escalateTo.length > 0 ? policy.escalateTo.map((person) => person.name).join(", ") : "the admins";
  return [
    `Approval policy of ${policy.workflowName}: ${count} per draft (${version}).`,
    `Deadline: ${formatDuration(policy.deadlineMinutes)} after a draft is asked for review.`,
    `Reminder: ${policy.reminderMinutesBefore === null ? "off" : `${formatDuration(policy.reminderMinutesBefore)} before the deadline`}.`,
    `Escalation: to ${group} at the deadline.`,
    `Expiry: ${policy.expireAfterMinutes === null ? "never (a draft waits for a decision)" : `${formatDuration(policy.expireAfterMinutes)} after the deadline (rejected as expired)`}.`,
  ];
}

/** A person for `--escalate-to`: an email, resolved as `assign` resolves it, else a user id (the services check it). */
async function userIdOf(ctx: CliContext, person: string): Promise<string> {
  return person.includes("@") ? (await requirePerson(ctx, person)).userId : person;
}

/**
 * The services' field errors under the options a person typed: `--remind-before: The reminder must come before
 * the deadline.` (the field's own label, `Deadline: `, gives way to the option), and `fieldErrors` by option in
 * `--json`. Other errors pass unchanged.
 */
function withOptionNames(error: unknown): unknown {
  if (!isServiceError(error) || !error.fieldErrors) return error;
  const fieldErrors = Object.fromEntries(
    Object.entries(error.fieldErrors).map(([field, messages]) => [OPTION_OF_FIELD[field] ?? field, messages]),
  );
  // the message is the first field's (the first rule broken); --json lists every field's
  const message = error.message.replace(/^[A-Z][a-z]*(?: [a-z]+)*: /, "");
  return new CliError(error.code, `${Object.keys(fieldErrors)[0] ?? "policy"}: ${message}`, { fieldErrors });
}

function describeAssignees(assignees: readonly Assignee[]): string {
  return assignees.length === 0
    ? "Nobody is assigned: any reviewer may review it."
    : `Assigned reviewers: ${assignees.map((assignee) => assignee.name).join(", ")}.`;
}
