import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DeliveryWithEvent } from "@/db/notification-queries";
import type { WebhookEndpointRow } from "@/db/schema";
import type { Store } from "@/db/store";
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  TEST_KIND,
  type NotificationPayload,
} from "@/lib/notifications/events";
import { newWebhookSecret } from "@/lib/notifications/webhook";
import { requirePermission, type Actor } from "../actor";
import type {
  CreatedWebhookEndpoint,
  DeliveryInfo,
  NotificationChannelsInfo,
  NotificationPreferences,
  WebhookEndpointInfo,
} from "../dto";
import { ServiceError } from "../errors";
import type { Clock } from "../leased-loop";
import { NotificationDispatcher, type NotificationSenders } from "./dispatcher";

export interface NotificationServiceOptions {
  store: Store;
  senders: NotificationSenders;
  /** The sender address, shown to admins. */
  mailFrom: string | null;
  clock: Clock;
  leaseMs: number;
  random?: () => number;
  onError: (error: unknown, context: Record<string, unknown>) => void;
  onAttempt?: ConstructorParameters<typeof NotificationDispatcher>[1]["onAttempt"];
}

/**
 * Notification use cases: each person's choices, the workspace's channels (admins), the deliveries list with
 * "retry now" (admins), and the dispatcher that sends the outbox.
 */
export class NotificationService {
  readonly dispatcher: NotificationDispatcher;
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(private readonly options: NotificationServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.dispatcher = new NotificationDispatcher(options.store, {
      senders: options.senders,
      clock: options.clock,
      leaseMs: options.leaseMs,
      onError: options.onError,
      ...(options.random ? { random: options.random } : {}),
      ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
    });
  }

  /** Stops delivering (the lease is given up) and closes the mail connection. */
  async close(): Promise<void> {
    await this.dispatcher.stop();
    this.options.senders.email?.close();
  }

  // ----- each person's choices ------------------------------------------------------------------------------

  /** What the signed-in person hears of by email (on unless turned off), and whether this server sends email at all. */
  async getMyPreferences(actor: Actor): Promise<NotificationPreferences> {
    const userId = this.personOf(actor);
    const off = await this.store.queries.listDisabledKinds(userId, "email");
    return {
      emailConfigured: this.options.senders.email !== undefined,
      address: actor.email,
      preferences: NOTIFICATION_KINDS.map((kind) => ({
        kind,
        label: NOTIFICATION_KIND_LABELS[kind],
        email: !off.has(kind),
      })),
    };
  }

  /** Turns kinds on or off for the signed-in person; the kinds not named keep their setting. */
  async updateMyPreferences(actor: Actor, input: unknown): Promise<NotificationPreferences> {
    const userId = this.personOf(actor);
    const parsed = z
      .array(
        z.object({ kind: z.enum(NOTIFICATION_KINDS, { error: "Unknown notification kind." }), email: z.boolean() }),
      )
      .max(NOTIFICATION_KINDS.length * 2)
      .safeParse(input);
    if (!parsed.success)
      throw new ServiceError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "The preferences are invalid.", {
        fieldErrors: { preferences: parsed.error.issues.map((issue) => issue.message) },
      });
    await this.store.transaction(async (tx) => {
      for (const choice of parsed.data)
        await tx.setPreference({ userId, kind: choice.kind, channel: "email", enabled: choice.email });
    });
    return this.getMyPreferences(actor);
  }

  // ----- the workspace's channels (admins) -------------------------------------------------------------------

  async getChannels(actor: Actor): Promise<NotificationChannelsInfo> {
    requirePermission(actor, "settings:manage", "see the notification channels");
    const slack = await this.store.queries.readSlackWebhookUrl();
    const webhooks = await this.store.queries.listWebhookEndpoints({ activeOnly: true });
    const deliveryCounts = await this.store.queries.countDeliveriesByStatus();
    return {
      email: {
        configured: this.options.senders.email !== undefined,
        from: this.options.senders.email ? this.options.mailFrom : null,
      },
      slack: { connected: slack !== undefined, urlHint: slack ? hintOf(slack) : null },
      webhooks: webhooks.map(endpointInfo),
      deliveryCounts,
    };
  }

  /** Connects the workspace's Slack incoming webhook (null disconnects it). */
  async setSlackWebhook(actor: Actor, input: { url: unknown }): Promise<NotificationChannelsInfo> {
    requirePermission(actor, "settings:manage", "connect Slack");
    const url = input.url === null || input.url === "" ? null : parseEndpointUrl(input.url, "url");
    await this.store.queries.writeSlackWebhookUrl({ url, at: new Date(this.clock()), byId: actor.userId });
    return this.getChannels(actor);
  }

  async addWebhookEndpoint(
    actor: Actor,
    input: { url: unknown; description?: unknown; kinds: unknown },
  ): Promise<CreatedWebhookEndpoint> {
    requirePermission(actor, "settings:manage", "add webhook endpoints");
    const url = parseEndpointUrl(input.url, "url");
    const description = z
      .string()
      .trim()
      .max(200, "Describe it in at most 200 characters.")
      .default("")
      .safeParse(input.description ?? "");
    const kinds = z
      .array(z.enum(NOTIFICATION_KINDS, { error: "Unknown event kind." }))
      .min(1, "Choose at least one event.")
      .safeParse(input.kinds);
    if (!description.success || !kinds.success) {
      const fieldErrors = {
        ...(description.success ? {} : { description: description.error.issues.map((issue) => issue.message) }),
        ...(kinds.success ? {} : { kinds: kinds.error.issues.map((issue) => issue.message) }),
      };
      throw new ServiceError("VALIDATION_FAILED", Object.values(fieldErrors)[0]?.[0] ?? "The endpoint is invalid.", {
        fieldErrors,
      });
    }
    const row: WebhookEndpointRow = {
      id: randomUUID(),
      url,
      description: description.data,
      kinds: JSON.stringify([...new Set(kinds.data)]),
      secret: newWebhookSecret(),
      createdAt: this.clock(),
      createdById: actor.userId,
      disabledAt: null,
    };
    await this.store.queries.insertWebhookEndpoint(row);
    return { ...endpointInfo(row), secret: row.secret };
  }

  /** Removes an endpoint: its pending deliveries die with "The endpoint was removed." at their next attempt. */
  async removeWebhookEndpoint(actor: Actor, endpointId: string): Promise<void> {
    requirePermission(actor, "settings:manage", "remove webhook endpoints");
    if (!(await this.store.queries.disableWebhookEndpoint({ id: endpointId, at: this.clock() })))
      throw new ServiceError("NOT_FOUND", "No such webhook endpoint.");
  }

  /** Sends a `webhook.test` event to one endpoint now and says how it went. */
  async sendTestEvent(actor: Actor, endpointId: string): Promise<DeliveryInfo> {
    requirePermission(actor, "settings:manage", "send test events");
    const endpoint = await this.store.queries.findWebhookEndpoint(endpointId);
    if (!endpoint || endpoint.disabledAt) throw new ServiceError("NOT_FOUND", "No such webhook endpoint.");
    const now = this.clock();
    const payload: NotificationPayload = {
      v: 1,
      kind: TEST_KIND,
      at: new Date(now).toISOString(),
      runId: null,
      runPath: null,
      brief: null,
      draft: null,
      iteration: null,
      submittedBy: null,
      actor: actor.name,
      message: "A test event from Draftgate's notification settings.",
      dueAt: null,
      escalatedTo: null,
    };
    const eventId = randomUUID();
    const deliveryId = randomUUID();
    await this.store.transaction(async (tx) => {
      await tx.insertNotificationEvent({
        id: eventId,
        key: `${TEST_KIND}:${eventId}`,
        kind: TEST_KIND,
        runId: null,
        payload: JSON.stringify(payload),
        createdAt: now,
      });
      await tx.insertDelivery({
        id: deliveryId,
        eventId,
        channel: "webhook",
        recipientId: endpoint.id,
        address: endpoint.url,
        nextAttemptAt: now,
        createdAt: now,
      });
    });
    await this.dispatcher.tick();
    return deliveryInfo((await this.store.queries.findDelivery(deliveryId))!);
  }

  /** Sends what is due now (a shell's `notifications dispatch`; a server does it every TIMER_TICK_MS). */
  async dispatchDue(actor: Actor): Promise<{ delivered: number; counts: NotificationChannelsInfo["deliveryCounts"] }> {
    requirePermission(actor, "settings:manage", "send due notifications");
    const delivered = await this.dispatcher.drain();
    return { delivered, counts: await this.store.queries.countDeliveriesByStatus() };
  }

  // ----- deliveries (admins) ----------------------------------------------------------------------------------

  async listDeliveries(actor: Actor, query: { status?: unknown; before?: unknown } = {}): Promise<DeliveryInfo[]> {
    requirePermission(actor, "settings:manage", "see notification deliveries");
    const status = z
      .enum(["pending", "delivered", "dead"])
      .optional()
      .safeParse(query.status || undefined);
    const before = z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .safeParse(query.before || undefined);
    if (!status.success || !before.success)
      throw new ServiceError(
        "VALIDATION_FAILED",
        "status must be pending, delivered or dead; before a time in milliseconds.",
      );
    const deliveries = await this.store.queries.listDeliveries({
      limit: 100,
      ...(status.data ? { status: status.data } : {}),
      ...(before.data ? { before: before.data } : {}),
    });
    return deliveries.map(deliveryInfo);
  }

  /** Makes a dead (or waiting) delivery due now, with a fresh round of attempts, and tries it at once. */
  async retryDelivery(actor: Actor, deliveryId: string): Promise<DeliveryInfo> {
    requirePermission(actor, "settings:manage", "retry deliveries");
    if (!(await this.store.queries.retryDeliveryNow({ id: deliveryId, at: this.clock() }))) {
      const found = await this.store.queries.findDelivery(deliveryId);
      throw found
        ? new ServiceError("VALIDATION_FAILED", "That delivery was delivered already.")
        : new ServiceError("NOT_FOUND", "No such delivery.");
    }
    await this.dispatcher.tick();
    return deliveryInfo((await this.store.queries.findDelivery(deliveryId))!);
  }

  /** The person's account id: preferences belong to accounts (the CLI's local operator has none). */
  private personOf(actor: Actor): string {
    requirePermission(actor, "runs:read", "choose notifications");
    if (!actor.userId)
      throw new ServiceError(
        "VALIDATION_FAILED",
        "Notification settings belong to a signed-in account; the local operator has none.",
      );
    return actor.userId;
  }
}

/** Webhook and Slack URLs: HTTPS, or plain HTTP to this machine only (local receivers, tests). */
function parseEndpointUrl(value: unknown, field: string): string {
  const parsed = z
    .url({ protocol: /^https?$/, error: "Enter an https:// URL." })
    .max(2_000)
    .safeParse(typeof value === "string" ? value.trim() : value);
  if (!parsed.success)
    throw new ServiceError("VALIDATION_FAILED", "Enter an https:// URL.", {
      fieldErrors: { [field]: ["Enter an https:// URL."] },
    });
  const url = new URL(parsed.data);
  const isLoopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol === "http:" && !isLoopback)
    throw new ServiceError("VALIDATION_FAILED", "Use https:// (plain http only to this machine).", {
      fieldErrors: { [field]: ["Use https:// (plain http only to this machine)."] },
    });
  if (url.username || url.password)
    throw new ServiceError("VALIDATION_FAILED", "Put no credentials in the URL.", {
      fieldErrors: { [field]: ["Put no credentials in the URL."] },
    });
  return url.toString();
}

/** Enough of a secret URL to recognise it: its host and the last four characters. */
function hintOf(url: string): string {
  return `${new URL(url).host}/…${url.slice(-4)}`;
}

function endpointInfo(row: WebhookEndpointRow): WebhookEndpointInfo {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    kinds: JSON.parse(row.kinds) as string[],
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function deliveryInfo({ delivery, event }: DeliveryWithEvent): DeliveryInfo {
  return {
    id: delivery.id,
    eventKind: event.kind,
    runId: event.runId,
    channel: delivery.channel,
    address: delivery.address,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === "pending" ? iso(delivery.nextAttemptAt) : null,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: iso(delivery.createdAt)!,
    payload: JSON.parse(event.payload) as unknown,
  };
}
