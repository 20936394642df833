import { z } from "zod";

/**
 * What people can be notified of, and the payload stored with each event. The payload is a shipped format
 * (it sits in the outbox across upgrades, and webhook receivers read it): `v` names its version, and a change is
 * a new version with its own decoder, never an edit of this one.
 */
export const NOTIFICATION_KINDS = [
  "review.requested",
  "review.reminder",
  "review.escalated",
  "review.expired",
  "run.published",
  "run.revision_requested",
  "run.rejected",
  "run.failed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What the workspace's Slack channel hears: the team's news, not each person's reminders. */
export const SLACK_KINDS: readonly NotificationKind[] = [
  "review.requested",
  "review.escalated",
  "review.expired",
  "run.published",
  "run.rejected",
  "run.failed",
];

/** What an admin's "send test event" sends; never stored as a person's notification. */
export const TEST_KIND = "webhook.test";

/** Short words for each kind, for settings pages and the deliveries list. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  "review.requested": "A draft awaits my review",
  "review.reminder": "Reminder before a review's deadline",
  "review.escalated": "A review was escalated to me",
  "review.expired": "A review expired unanswered",
  "run.published": "My brief was approved and published",
  "run.revision_requested": "A revision of my brief's draft was requested",
  "run.rejected": "My brief's draft was rejected",
  "run.failed": "A run failed",
};

const MAX_TEXT = 20_000;
const text = z.string().max(MAX_TEXT);

export const notificationPayloadV1Schema = z.object({
  v: z.literal(1),
  kind: z.union([z.enum(NOTIFICATION_KINDS), z.literal(TEST_KIND)]),
  /** ISO time of what happened. */
  at: z.string(),
  runId: z.string().nullable(),
  /** The run page, relative to the dashboard's URL (`/runs/<id>`): links are made absolute when sent. */
  runPath: z.string().nullable(),
  brief: text.nullable(),
  /** The draft under review, or the published text, as plain text (inert: never sent as HTML). */
  draft: text.nullable(),
  /** Draft number (1 for the first). */
  iteration: z.number().int().nullable(),
  submittedBy: z.string().nullable(),
  /** Who acted (the reviewer who decided, the deadline), when someone did. */
  actor: z.string().nullable(),
  /** Revision guidance, a rejection's reason or a failure's plain cause. */
  message: text.nullable(),
  dueAt: z.string().nullable(),
  /** Names, for escalations. */
  escalatedTo: z.string().nullable(),
});
export type NotificationPayload = z.output<typeof notificationPayloadV1Schema>;

/** Decodes a stored payload of any shipped version into the current shape. */
export function decodeNotificationPayload(json: string): NotificationPayload {
  return notificationPayloadV1Schema.parse(JSON.parse(json));
}

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** `text` cut to `length` characters, with an ellipsis when it was longer (messages show excerpts, never all of it). */
export function excerpt(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
