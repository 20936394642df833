import type { DeliveryWithEvent } from "@/db/notification-queries";
import type { Store } from "@/db/store";
import { DeliveryError } from "@/lib/notifications/delivery-error";
import { renderNotificationEmail, type EmailSender } from "@/lib/notifications/email";
import { decodeNotificationPayload } from "@/lib/notifications/events";
import { sendSlack, slackMessage } from "@/lib/notifications/slack";
import { sendWebhook, webhookBody } from "@/lib/notifications/webhook";
import { instruments } from "@/lib/telemetry";
import { LeasedLoop, type Clock } from "../leased-loop";

/** How the dispatcher reaches people; email only when SMTP is configured. */
export interface NotificationSenders {
  /** The dashboard's URL: links in messages are made from it. */
  appUrl: string;
  email?: EmailSender;
  /** How long a webhook or Slack receiver has to answer (15 s by default). */
  httpTimeoutMs?: number;
}

/**
 * When a failed delivery is tried again: exponential backoff (30 s, 1 min, 2 min … capped at 2 h) with full
 * jitter on the upper half, at least what `Retry-After` asked; after {@link MAX_ATTEMPTS} attempts (about 10 h
 * in all) it is dead.
 */
export const BACKOFF = { baseMs: 30_000, capMs: 2 * 3_600_000, maxRetryAfterMs: 6 * 3_600_000 } as const;
export const MAX_ATTEMPTS = 12;

/** The delay before attempt `attempts + 1`, given that `attempts` have failed; `random` in [0, 1). */
export function backoffDelay(attempts: number, random: number, retryAfterMs?: number): number {
  const exponential = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exponential / 2 + (exponential / 2) * random);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, BACKOFF.maxRetryAfterMs));
}

export interface DispatcherOptions {
  senders: NotificationSenders;
  clock: Clock;
  /** Jitter source; tests fix it. */
  random?: () => number;
  leaseMs: number;
  batchSize?: number;
  onError: (error: unknown, context: Record<string, unknown>) => void;
  /** Told of each attempt's outcome (the log). */
  onAttempt?: (attempt: {
    deliveryId: string;
    channel: string;
    kind: string;
    outcome: "delivered" | "retry" | "dead";
    error?: string;
  }) => void;
}

/**
 * Delivers the outbox: whichever process holds the "notifications" scheduler lease sends the due deliveries, at
 * least once (a process that dies after sending and before recording sends again, with the same idempotency key),
 * retrying with backoff and marking a delivery that keeps failing as dead. A failure here never touches a run.
 */
export class NotificationDispatcher extends LeasedLoop<DeliveryWithEvent> {
  private readonly random: () => number;

  constructor(
    store: Store,
    private readonly options: DispatcherOptions,
  ) {
    super(store, {
      name: "notifications",
      clock: options.clock,
      leaseMs: options.leaseMs,
      batchSize: options.batchSize ?? 20,
      onError: options.onError,
    });
    this.random = options.random ?? Math.random;
  }

  protected override dueItems(now: number, limit: number): Promise<DeliveryWithEvent[]> {
    return this.store.queries.listDueDeliveries({ now, limit });
  }

  /** Sends one delivery and records the outcome; true when it was delivered. */
  protected override async handle({ delivery, event }: DeliveryWithEvent): Promise<boolean> {
    const payload = decodeNotificationPayload(event.payload);
    const { appUrl, email } = this.options.senders;
    const runUrl = payload.runPath ? `${appUrl}${payload.runPath}` : null;
    let failure: DeliveryError | undefined;
    try {
      switch (delivery.channel) {
        case "email": {
          if (!email) throw new DeliveryError("Email is not configured on this server (SMTP_URL).");
          const settingsUrl = `${appUrl}/settings#notifications`;
          const content = await renderNotificationEmail(payload, { runUrl, settingsUrl });
          await email.send({ ...content, to: delivery.address, deliveryId: delivery.id, unsubscribeUrl: settingsUrl });
          break;
        }
        case "webhook": {
          const endpoint = delivery.recipientId
            ? await this.store.queries.findWebhookEndpoint(delivery.recipientId)
            : undefined;
          if (!endpoint || endpoint.disabledAt)
            throw new DeliveryError("The endpoint was removed.", { permanent: true });
          await sendWebhook(
            {
              url: endpoint.url,
              secret: endpoint.secret,
              deliveryId: delivery.id,
              body: webhookBody(payload, { runUrl }),
              at: this.options.clock(),
            },
            this.timeout(),
          );
          break;
        }
        case "slack": {
          const url = await this.store.queries.readSlackWebhookUrl();
          if (!url) throw new DeliveryError("Slack was disconnected.", { permanent: true });
          await sendSlack(url, slackMessage(payload, { runUrl }), { now: this.options.clock(), ...this.timeout() });
          break;
        }
      }
    } catch (error) {
      failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    return this.record(delivery.id, delivery.attempts, failure, { channel: delivery.channel, kind: event.kind });
  }

  private timeout(): { timeoutMs?: number } {
    return this.options.senders.httpTimeoutMs ? { timeoutMs: this.options.senders.httpTimeoutMs } : {};
  }

  /** Records an attempt, only while this process holds the lease (one that lost it leaves the row to the new holder). */
  private record(
    id: string,
    attemptsBefore: number,
    failure: DeliveryError | undefined,
    about: { channel: string; kind: string },
  ): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const at = this.options.clock();
      if (!(await this.renew(at, tx))) return false;
      if (!failure) {
        await tx.markDelivered({ id, at });
        this.options.onAttempt?.({ deliveryId: id, ...about, outcome: "delivered" });
        return true;
      }
      instruments().deliveryFailures.add(1, {
        "draftgate.notification.channel": about.channel,
        "draftgate.notification.kind": about.kind,
      });
      const attempts = attemptsBefore + 1;
      const dead = failure.permanent || attempts >= MAX_ATTEMPTS;
      const nextAttemptAt = dead ? null : at + backoffDelay(attempts, this.random(), failure.retryAfterMs);
      await tx.recordDeliveryFailure({ id, at, error: failure.message.slice(0, 1_000), nextAttemptAt });
      this.options.onAttempt?.({
        deliveryId: id,
        ...about,
        outcome: dead ? "dead" : "retry",
        error: failure.message,
      });
      return false;
    });
  }
}
