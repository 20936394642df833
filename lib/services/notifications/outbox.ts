import { randomUUID } from "node:crypto";
import type { Queries } from "@/db/store";
import type { RunRow } from "@/db/schema";
import { SLACK_KINDS, type NotificationKind, type NotificationPayload } from "@/lib/notifications/events";

/**
 * The outbox: notifications are rows written inside the transaction of the state change that causes them (a
 * new request, a decision, a timer firing, a failure), so a crash can neither lose one nor invent one. An event is
 * recorded once per key; its deliveries (one per recipient and channel) are fanned out with it, under the
 * preferences and channels of that moment. Nothing here sends anything: the dispatcher does, later.
 */
export interface Outbox {
  /** Whether email can be sent (SMTP configured): without it no email deliveries are recorded. */
  emailEnabled: boolean;
  /** Epoch milliseconds now. */
  now: () => number;
}

/** The event-specific part of a payload; the run's part comes from its row. */
type EventFields = Partial<
  Pick<NotificationPayload, "draft" | "iteration" | "actor" | "message" | "dueAt" | "escalatedTo">
>;

export async function recordNotification(
  tx: Queries,
  outbox: Outbox,
  params: { kind: NotificationKind; key: string; run: RunRow; fields: EventFields; recipientIds: readonly string[] },
): Promise<void> {
  const now = outbox.now();
  const { run } = params;
  const payload: NotificationPayload = {
    v: 1,
    kind: params.kind,
    at: new Date(now).toISOString(),
    runId: run.runId,
    runPath: `/runs/${run.runId}`,
    brief: run.brief,
    draft: params.fields.draft ?? null,
    iteration: params.fields.iteration ?? null,
    submittedBy: run.submittedBy,
    actor: params.fields.actor ?? null,
    message: params.fields.message ?? null,
    dueAt: params.fields.dueAt ?? null,
    escalatedTo: params.fields.escalatedTo ?? null,
  };
  const eventId = randomUUID();
  if (
    !(await tx.insertNotificationEvent({
      id: eventId,
      key: `${params.kind}:${params.key}`,
      kind: params.kind,
      runId: run.runId,
      payload: JSON.stringify(payload),
      createdAt: now,
    }))
  )
    return;
  const deliver = (channel: "email" | "webhook" | "slack", recipientId: string | null, address: string) =>
    tx.insertDelivery({
      id: randomUUID(),
      eventId,
      channel,
      recipientId,
      address,
      nextAttemptAt: now,
      createdAt: now,
    });

  if (outbox.emailEnabled) {
    for (const person of await tx.findActivePeople([...new Set(params.recipientIds)])) {
      if (!(await tx.listDisabledKinds(person.id, "email")).has(params.kind))
        await deliver("email", person.id, person.email);
    }
  }
  for (const endpoint of await tx.listWebhookEndpoints({ activeOnly: true })) {
    if ((JSON.parse(endpoint.kinds) as string[]).includes(params.kind))
      await deliver("webhook", endpoint.id, endpoint.url);
  }
  if (SLACK_KINDS.includes(params.kind) && (await tx.readSlackWebhookUrl())) await deliver("slack", null, "Slack");
}

/** Whom a review request concerns: its assignees, or else every active reviewer and admin but the submitter. */
export async function reviewersOf(tx: Queries, run: RunRow): Promise<string[]> {
  const assigned = (await tx.listRunAssignments(run.runId)).map((row) => row.assigneeId);
  if (assigned.length > 0) return assigned;
  return [...(await tx.findPeopleByRole("reviewer")), ...(await tx.findPeopleByRole("admin"))]
    .filter((person) => !person.deactivatedAt && person.id !== run.submittedById)
    .map((person) => person.id);
}

export async function adminsOf(tx: Queries): Promise<string[]> {
  return (await tx.findPeopleByRole("admin")).filter((person) => !person.deactivatedAt).map((person) => person.id);
}

/** The submitter, when the run has one with an account (runs from before sign-in have a name only). */
export function submitterOf(run: RunRow): string[] {
  return run.submittedById ? [run.submittedById] : [];
}
