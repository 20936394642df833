import type { Assignee, ReviewPolicy } from "@/lib/services";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";
import { requirePerson } from "./people-commands";

/**
 * How drafts are reviewed: the approval policy (`policy`, `policy set --approvals <n>`) and who is asked to review
 * a run (`assign`, `unassign`). The services check the actor's role, like for any other caller.
 */

export function showPolicyCommand(ctx: CliContext): CommandResult {
  const policy = ctx.service.getReviewPolicy(ctx.actor);
  ctx.out.line(describePolicy(policy));
  return { exitCode: ExitCode.done, document: { ok: true, command: "policy", policy } };
}

export function setPolicyCommand(ctx: CliContext, requiredApprovals: number): CommandResult {
  const policy = ctx.service.updateReviewPolicy(ctx.actor, { requiredApprovals });
  ctx.out.line(describePolicy(policy));
  ctx.out.line("Runs started from now on need this many approvals; runs already started keep the policy they started with.");
  return { exitCode: ExitCode.done, document: { ok: true, command: "policy set", policy } };
}

export async function assignCommand(ctx: CliContext, runId: string, email: string): Promise<CommandResult> {
  const person = requirePerson(ctx, email);
  const before = (await ctx.service.getRun(ctx.actor, runId)).assignees;
  const assignees = ctx.service.assignReviewer(ctx.actor, { runId, userId: person.userId });
  const isNew = !before.some((assignee) => assignee.userId === person.userId);
  ctx.out.line(isNew ? `Assigned ${person.name} <${person.email}> to review run ${runId}.` : `${person.name} <${person.email}> was already assigned to run ${runId}.`);
  ctx.out.line(describeAssignees(assignees));
  return { exitCode: ExitCode.done, document: { ok: true, command: "assign", runId, changed: isNew, assignees } };
}

export async function unassignCommand(ctx: CliContext, runId: string, email: string): Promise<CommandResult> {
  const person = requirePerson(ctx, email);
  const before = (await ctx.service.getRun(ctx.actor, runId)).assignees;
  const assignees = ctx.service.unassignReviewer(ctx.actor, { runId, userId: person.userId });
  const wasAssigned = before.some((assignee) => assignee.userId === person.userId);
  ctx.out.line(wasAssigned ? `${person.name} <${person.email}> no longer reviews run ${runId}.` : `${person.name} <${person.email}> was not assigned to run ${runId}; nothing changed.`);
  ctx.out.line(describeAssignees(assignees));
  return { exitCode: ExitCode.done, document: { ok: true, command: "unassign", runId, changed: wasAssigned, assignees } };
}

function describePolicy(policy: ReviewPolicy): string {
  const count = `${policy.requiredApprovals} ${policy.requiredApprovals === 1 ? "approval" : "approvals"}`;
  if (policy.version === null) return `Approval policy of ${policy.workflowName}: ${count} per draft (the default; never changed).`;
  return `Approval policy of ${policy.workflowName}: ${count} per draft (version ${policy.version}, set by ${policy.updatedBy ?? "unknown"} at ${policy.updatedAt ?? "an unknown time"}).`;
}

function describeAssignees(assignees: readonly Assignee[]): string {
  return assignees.length === 0 ? "Nobody is assigned: any reviewer may review it." : `Assigned reviewers: ${assignees.map((assignee) => assignee.name).join(", ")}.`;
}
