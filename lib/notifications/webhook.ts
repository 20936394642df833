import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { DeliveryError, parseRetryAfter } from "./delivery-error";
import type { NotificationPayload } from "./events";

/**
 * Webhooks signed per the Standard Webhooks spec: `webhook-id` (the delivery's idempotency key, the same on every
 * attempt), `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 with the endpoint's `whsec_` secret), over a
 * JSON body `{ type, timestamp, data }` documented in docs/WEBHOOKS.md.
 */

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** The body receivers get: the event's kind as `type`, its payload as `data`. */
export function webhookBody(payload: NotificationPayload, links: { runUrl: string | null }): string {
  const { v: _version, kind, at, ...data } = payload;
  return JSON.stringify({ type: kind, timestamp: at, data: { version: 1, ...data, runUrl: links.runUrl } });
}

export interface OutgoingWebhook {
  url: string;
  secret: string;
  deliveryId: string;
  body: string;
  /** When this attempt is sent (epoch ms): the signed timestamp. */
  at: number;
}

/** Posts one signed delivery; a non-2xx answer or no answer in time is a {@link DeliveryError}. */
export async function sendWebhook(message: OutgoingWebhook, options: { timeoutMs?: number } = {}): Promise<void> {
  const timestamp = new Date(message.at);
  const signature = new Webhook(message.secret).sign(message.deliveryId, timestamp, message.body);
  let response: Response;
  try {
    response = await fetch(message.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Draftgate-Webhooks/1",
        "webhook-id": message.deliveryId,
        "webhook-timestamp": String(Math.floor(message.at / 1_000)),
        "webhook-signature": signature,
      },
      body: message.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.name === "TimeoutError"
        ? "no answer in time"
        : error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error);
    throw new DeliveryError(`The endpoint could not be reached: ${cause}`, { cause: error });
  }
  await response.body?.cancel().catch(() => {});
  if (response.ok) return;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), message.at);
  // 410 Gone is the spec's way to say "stop sending"; other answers may change
  throw new DeliveryError(`The endpoint answered HTTP ${response.status}`, {
    status: response.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    permanent: response.status === 410,
  });
}
