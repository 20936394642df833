import { and, asc, desc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import {
  notificationDeliveries,
  notificationEvents,
  notificationPreferences,
  users,
  webhookEndpoints,
  workspaceSettings,
  type NotificationChannel,
  type NotificationDeliveryRow,
  type NotificationEventRow,
  type WebhookEndpointRow,
} from "./schema";

/** Query functions for the notification outbox, preferences, webhook endpoints and the Slack channel. */

/** Records an event once: false when an event with the same key exists (it was recorded by an earlier write). */
export function insertNotificationEvent(db: AppDatabase, event: NotificationEventRow): boolean {
  return db.insert(notificationEvents).values(event).onConflictDoNothing().run().changes === 1;
}

export function insertDelivery(
  db: AppDatabase,
  delivery: Pick<
    NotificationDeliveryRow,
    "id" | "eventId" | "channel" | "recipientId" | "address" | "nextAttemptAt" | "createdAt"
  >,
): void {
  // inside the outbox's transaction (BEGIN IMMEDIATE): no other writer, so max + 1 is unique and increasing
  db.insert(notificationDeliveries)
    .values({ ...delivery, seq: sql`(select coalesce(max(seq), 0) + 1 from notification_deliveries)` })
    .run();
}

export interface DeliveryWithEvent {
  delivery: NotificationDeliveryRow;
  event: NotificationEventRow;
}

const withEvent = { delivery: notificationDeliveries, event: notificationEvents };

/** Pending deliveries due at `now`, oldest first. */
export function listDueDeliveries(db: AppDatabase, params: { now: number; limit: number }): DeliveryWithEvent[] {
  return db
    .select(withEvent)
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .where(and(eq(notificationDeliveries.status, "pending"), lte(notificationDeliveries.nextAttemptAt, params.now)))
    .orderBy(
      asc(notificationDeliveries.nextAttemptAt),
      asc(notificationDeliveries.createdAt),
      asc(notificationDeliveries.seq),
    )
    .limit(params.limit)
    .all();
}

/** Newest first; `before` (a created-at in ms) pages back. */
export function listDeliveries(
  db: AppDatabase,
  params: { status?: NotificationDeliveryRow["status"]; limit: number; before?: number },
): DeliveryWithEvent[] {
  return db
    .select(withEvent)
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .where(
      and(
        params.status ? eq(notificationDeliveries.status, params.status) : undefined,
        params.before !== undefined ? lt(notificationDeliveries.createdAt, params.before) : undefined,
      ),
    )
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(params.limit)
    .all();
}

export function findDelivery(db: AppDatabase, id: string): DeliveryWithEvent | undefined {
  return db
    .select(withEvent)
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .where(eq(notificationDeliveries.id, id))
    .get();
}

export function countDeliveriesByStatus(db: AppDatabase): Record<NotificationDeliveryRow["status"], number> {
  const counts = { pending: 0, delivered: 0, dead: 0 };
  for (const row of db
    .select({ status: notificationDeliveries.status, count: sql<number>`count(*)` })
    .from(notificationDeliveries)
    .groupBy(notificationDeliveries.status)
    .all())
    counts[row.status] = row.count;
  return counts;
}

/** Records an attempt that delivered; only a pending delivery changes (a retry cannot undo "delivered"). */
export function markDelivered(db: AppDatabase, params: { id: string; at: number }): boolean {
  return (
    db
      .update(notificationDeliveries)
      .set({
        status: "delivered",
        deliveredAt: params.at,
        lastAttemptAt: params.at,
        attempts: sql`${notificationDeliveries.attempts} + 1`,
        lastError: null,
      })
      .where(and(eq(notificationDeliveries.id, params.id), eq(notificationDeliveries.status, "pending")))
      .run().changes === 1
  );
}

/** Records an attempt that failed: tried again at `nextAttemptAt`, or dead (null) with its last error. */
export function recordDeliveryFailure(
  db: AppDatabase,
  params: { id: string; at: number; error: string; nextAttemptAt: number | null },
): boolean {
  return (
    db
      .update(notificationDeliveries)
      .set({
        status: params.nextAttemptAt === null ? "dead" : "pending",
        attempts: sql`${notificationDeliveries.attempts} + 1`,
        lastAttemptAt: params.at,
        lastError: params.error,
        ...(params.nextAttemptAt !== null ? { nextAttemptAt: params.nextAttemptAt } : {}),
      })
      .where(and(eq(notificationDeliveries.id, params.id), eq(notificationDeliveries.status, "pending")))
      .run().changes === 1
  );
}

/** An admin's "retry now": a dead or pending delivery is due again at once, with a fresh round of attempts. */
export function retryDeliveryNow(db: AppDatabase, params: { id: string; at: number }): boolean {
  return (
    db
      .update(notificationDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: params.at })
      .where(and(eq(notificationDeliveries.id, params.id), inArray(notificationDeliveries.status, ["pending", "dead"])))
      .run().changes === 1
  );
}

// ----- preferences ------------------------------------------------------------------------------------------

/** The kinds a person turned off on `channel`. */
export function listDisabledKinds(db: AppDatabase, userId: string, channel: NotificationChannel): Set<string> {
  const rows = db
    .select({ kind: notificationPreferences.kind })
    .from(notificationPreferences)
    .where(
      and(
        eq(notificationPreferences.userId, userId),
        eq(notificationPreferences.channel, channel),
        eq(notificationPreferences.enabled, false),
      ),
    )
    .all();
  return new Set(rows.map((row) => row.kind));
}

export function setPreference(
  db: AppDatabase,
  params: { userId: string; kind: string; channel: NotificationChannel; enabled: boolean },
): void {
  db.insert(notificationPreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
      set: { enabled: params.enabled },
    })
    .run();
}

/** Active people with these ids, with their addresses. */
export function findActivePeople(
  db: AppDatabase,
  userIds: readonly string[],
): Array<{ id: string; name: string; email: string }> {
  if (userIds.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(inArray(users.id, [...userIds]), isNull(users.deactivatedAt)))
    .all();
}

// ----- webhook endpoints and the Slack channel --------------------------------------------------------------

export function listWebhookEndpoints(db: AppDatabase, params: { activeOnly: boolean }): WebhookEndpointRow[] {
  return db
    .select()
    .from(webhookEndpoints)
    .where(params.activeOnly ? isNull(webhookEndpoints.disabledAt) : undefined)
    .orderBy(asc(webhookEndpoints.createdAt))
    .all();
}

export function findWebhookEndpoint(db: AppDatabase, id: string): WebhookEndpointRow | undefined {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
}

export function insertWebhookEndpoint(db: AppDatabase, endpoint: WebhookEndpointRow): void {
  db.insert(webhookEndpoints).values(endpoint).run();
}

export function disableWebhookEndpoint(db: AppDatabase, params: { id: string; at: number }): boolean {
  return (
    db
      .update(webhookEndpoints)
      .set({ disabledAt: params.at })
      .where(and(eq(webhookEndpoints.id, params.id), isNull(webhookEndpoints.disabledAt)))
      .run().changes === 1
  );
}

const SLACK_SETTING = "notifications.slackWebhookUrl";

/** The workspace's Slack incoming-webhook URL (a secret: admins only), or undefined. */
export function readSlackWebhookUrl(db: AppDatabase): string | undefined {
  const row = db
    .select({ value: workspaceSettings.value })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.key, SLACK_SETTING))
    .get();
  const value = row ? (JSON.parse(row.value) as unknown) : null;
  return typeof value === "string" ? value : undefined;
}

export function writeSlackWebhookUrl(
  db: AppDatabase,
  params: { url: string | null; at: Date; byId: string | null },
): void {
  const value = JSON.stringify(params.url);
  db.insert(workspaceSettings)
    .values({ key: SLACK_SETTING, value, updatedAt: params.at, updatedById: params.byId })
    .onConflictDoUpdate({
      target: workspaceSettings.key,
      set: { value, updatedAt: params.at, updatedById: params.byId },
    })
    .run();
}
