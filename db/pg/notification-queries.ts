import { and, asc, desc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import type { DeliveryWithEvent } from "../notification-queries";
import type { NotificationChannel, NotificationDeliveryRow, NotificationEventRow, WebhookEndpointRow } from "../schema";
import type { PgExecutor } from "./client";
import {
  notificationDeliveries,
  notificationEvents,
  notificationPreferences,
  users,
  webhookEndpoints,
  workspaceSettings,
} from "./schema";

/**
 * The notification outbox, preferences, webhook endpoints and the Slack channel on PostgreSQL, each the twin of the
 * one of the same name in db/notification-queries.ts (same rows, same order, same outcomes;
 * db/pg/notification-queries.int.test.ts compares them). Each takes the database or a transaction of the caller's
 * (an event and its deliveries are written in the transaction of the change that causes them). No write reads
 * first: each is one statement (a conditional UPDATE ... RETURNING, or an INSERT ... ON CONFLICT) whose row lock
 * makes a concurrent writer wait and then re-check its condition, so none relies on SQLite's single writer.
 */

/**
 * Records an event once: false when an event with the same key exists (it was recorded by an earlier write). ON
 * CONFLICT DO NOTHING: of two writers inserting the same key at once, the second waits for the first to commit
 * and then inserts nothing (false); if the first rolls back, the second inserts it (true).
 */
export async function insertNotificationEvent(db: PgExecutor, event: NotificationEventRow): Promise<boolean> {
  const rows = await db
    .insert(notificationEvents)
    .values(event)
    .onConflictDoNothing()
    .returning({ id: notificationEvents.id });
  return rows.length === 1;
}

export async function insertDelivery(
  db: PgExecutor,
  delivery: Pick<
    NotificationDeliveryRow,
    "id" | "eventId" | "channel" | "recipientId" | "address" | "nextAttemptAt" | "createdAt"
  >,
): Promise<void> {
  await db.insert(notificationDeliveries).values(delivery);
}

const withEvent = { delivery: notificationDeliveries, event: notificationEvents };

/**
 * Pending deliveries due at `now`, oldest first; ties of (next attempt, creation) in insertion order (`seq`), as on
 * SQLite.
 */
export async function listDueDeliveries(
  db: PgExecutor,
  params: { now: number; limit: number },
): Promise<DeliveryWithEvent[]> {
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
    .limit(params.limit);
}

/** Newest first; `before` (a created-at in ms) pages back. */
export async function listDeliveries(
  db: PgExecutor,
  params: { status?: NotificationDeliveryRow["status"]; limit: number; before?: number },
): Promise<DeliveryWithEvent[]> {
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
    .limit(params.limit);
}

export async function findDelivery(db: PgExecutor, id: string): Promise<DeliveryWithEvent | undefined> {
  const [row] = await db
    .select(withEvent)
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .where(eq(notificationDeliveries.id, id))
    .limit(1);
  return row;
}

export async function countDeliveriesByStatus(
  db: PgExecutor,
): Promise<Record<NotificationDeliveryRow["status"], number>> {
  const counts = { pending: 0, delivered: 0, dead: 0 };
  // count(*) is a bigint, which node-postgres reads as a string
  const rows = await db
    .select({ status: notificationDeliveries.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(notificationDeliveries)
    .groupBy(notificationDeliveries.status);
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

/** Records an attempt that delivered; only a pending delivery changes (a retry cannot undo "delivered"). */
export async function markDelivered(db: PgExecutor, params: { id: string; at: number }): Promise<boolean> {
  const rows = await db
    .update(notificationDeliveries)
    .set({
      status: "delivered",
      deliveredAt: params.at,
      lastAttemptAt: params.at,
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastError: null,
    })
    .where(and(eq(notificationDeliveries.id, params.id), eq(notificationDeliveries.status, "pending")))
    .returning({ id: notificationDeliveries.id });
  return rows.length === 1;
}

/** Records an attempt that failed: tried again at `nextAttemptAt`, or dead (null) with its last error. */
export async function recordDeliveryFailure(
  db: PgExecutor,
  params: { id: string; at: number; error: string; nextAttemptAt: number | null },
): Promise<boolean> {
  const rows = await db
    .update(notificationDeliveries)
    .set({
      status: params.nextAttemptAt === null ? "dead" : "pending",
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastAttemptAt: params.at,
      lastError: params.error,
      ...(params.nextAttemptAt !== null ? { nextAttemptAt: params.nextAttemptAt } : {}),
    })
    .where(and(eq(notificationDeliveries.id, params.id), eq(notificationDeliveries.status, "pending")))
    .returning({ id: notificationDeliveries.id });
  return rows.length === 1;
}

/** An admin's "retry now": a dead or pending delivery is due again at once, with a fresh round of attempts. */
export async function retryDeliveryNow(db: PgExecutor, params: { id: string; at: number }): Promise<boolean> {
  const rows = await db
    .update(notificationDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: params.at })
    .where(and(eq(notificationDeliveries.id, params.id), inArray(notificationDeliveries.status, ["pending", "dead"])))
    .returning({ id: notificationDeliveries.id });
  return rows.length === 1;
}

// ----- preferences ------------------------------------------------------------------------------------------

/** The kinds a person turned off on `channel`. */
export async function listDisabledKinds(
  db: PgExecutor,
  userId: string,
  channel: NotificationChannel,
): Promise<Set<string>> {
  const rows = await db
    .select({ kind: notificationPreferences.kind })
    .from(notificationPreferences)
    .where(
      and(
        eq(notificationPreferences.userId, userId),
        eq(notificationPreferences.channel, channel),
        eq(notificationPreferences.enabled, false),
      ),
    );
  return new Set(rows.map((row) => row.kind));
}

/** One upsert: two writers of the same preference at once both succeed, the later commit's choice staying. */
export async function setPreference(
  db: PgExecutor,
  params: { userId: string; kind: string; channel: NotificationChannel; enabled: boolean },
): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
      set: { enabled: params.enabled },
    });
}

/**
 * Active people with these ids, with their addresses, by id in byte order: the order SQLite's lookup of the ids in
 * its primary-key index gives (`user.id` is not a byte-ordered column on PostgreSQL, hence the collation).
 */
export async function findActivePeople(
  db: PgExecutor,
  userIds: readonly string[],
): Promise<Array<{ id: string; name: string; email: string }>> {
  if (userIds.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(inArray(users.id, [...userIds]), isNull(users.deactivatedAt)))
    .orderBy(sql`${users.id} collate "C"`);
}

// ----- webhook endpoints and the Slack channel --------------------------------------------------------------

/**
 * Oldest first. The id (in byte order) breaks ties of the creation time, which the SQLite query leaves to its scan
 * (row insertion order there).
 */
export async function listWebhookEndpoints(
  db: PgExecutor,
  params: { activeOnly: boolean },
): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(params.activeOnly ? isNull(webhookEndpoints.disabledAt) : undefined)
    .orderBy(asc(webhookEndpoints.createdAt), sql`${webhookEndpoints.id} collate "C"`);
}

export async function findWebhookEndpoint(db: PgExecutor, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1);
  return row;
}

export async function insertWebhookEndpoint(db: PgExecutor, endpoint: WebhookEndpointRow): Promise<void> {
  await db.insert(webhookEndpoints).values(endpoint);
}

/** False when the endpoint is unknown or already disabled (of two admins disabling it at once, one gets true). */
export async function disableWebhookEndpoint(db: PgExecutor, params: { id: string; at: number }): Promise<boolean> {
  const rows = await db
    .update(webhookEndpoints)
    .set({ disabledAt: params.at })
    .where(and(eq(webhookEndpoints.id, params.id), isNull(webhookEndpoints.disabledAt)))
    .returning({ id: webhookEndpoints.id });
  return rows.length === 1;
}

const SLACK_SETTING = "notifications.slackWebhookUrl";

/** The workspace's Slack incoming-webhook URL (a secret: admins only), or undefined. */
export async function readSlackWebhookUrl(db: PgExecutor): Promise<string | undefined> {
  const [row] = await db
    .select({ value: workspaceSettings.value })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.key, SLACK_SETTING))
    .limit(1);
  const value = row ? (JSON.parse(row.value) as unknown) : null;
  return typeof value === "string" ? value : undefined;
}

/** One upsert: two admins writing it at once both succeed, the later commit's URL staying. */
export async function writeSlackWebhookUrl(
  db: PgExecutor,
  params: { url: string | null; at: Date; byId: string | null },
): Promise<void> {
  const value = JSON.stringify(params.url);
  await db
    .insert(workspaceSettings)
    .values({ key: SLACK_SETTING, value, updatedAt: params.at, updatedById: params.byId })
    .onConflictDoUpdate({
      target: workspaceSettings.key,
      set: { value, updatedAt: params.at, updatedById: params.byId },
    });
}
