import { IncomingWebhook, type FetchFunction, type IncomingWebhookSendArguments } from "@slack/webhook";
import { DeliveryError, parseRetryAfter } from "./delivery-error";
import { excerpt, type NotificationPayload } from "./events";

/** Slack: one incoming webhook per workspace, a Block Kit message with the draft's opening and a link to the run. */

const EXCERPT = 600;

const HEADLINES: Record<NotificationPayload["kind"], string> = {
  "review.requested": "A draft awaits review",
  "review.reminder": "A review is due soon",
  "review.escalated": "A review was escalated",
  "review.expired": "A review expired unanswered",
  "run.published": "Release notes approved and published",
  "run.revision_requested": "Revision requested",
  "run.rejected": "Draft rejected",
  "run.failed": "A run failed",
  "webhook.test": "Test message from Draftgate",
};

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters: escaped, a draft's text stays text. */
function mrkdwnText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export function slackMessage(
  payload: NotificationPayload,
  links: { runUrl: string | null },
): IncomingWebhookSendArguments {
  const headline = HEADLINES[payload.kind];
  const facts = [
    payload.submittedBy ? `*Brief by* ${mrkdwnText(payload.submittedBy)}` : null,
    payload.iteration ? `*Draft* ${payload.iteration}` : null,
    payload.actor ? `*By* ${mrkdwnText(payload.actor)}` : null,
    payload.escalatedTo ? `*Offered to* ${mrkdwnText(payload.escalatedTo)}` : null,
  ].filter((fact): fact is string => fact !== null);
  const blocks: NonNullable<IncomingWebhookSendArguments["blocks"]> = [
    { type: "header", text: { type: "plain_text", text: headline } },
    ...(payload.brief
      ? [
          {
            type: "section" as const,
            text: { type: "mrkdwn" as const, text: `*Brief*\n${mrkdwnText(excerpt(payload.brief, EXCERPT))}` },
          },
        ]
      : []),
    ...(facts.length > 0
      ? [{ type: "context" as const, elements: facts.map((fact) => ({ type: "mrkdwn" as const, text: fact })) }]
      : []),
    ...(payload.message
      ? [
          {
            type: "section" as const,
            text: {
              type: "mrkdwn" as const,
              text: `>${mrkdwnText(excerpt(payload.message, EXCERPT)).replaceAll("\n", "\n>")}`,
            },
          },
        ]
      : []),
    ...(payload.draft
      ? [
          {
            type: "section" as const,
            text: {
              type: "mrkdwn" as const,
              text: `*${payload.kind === "run.published" ? "Published" : "Draft"}*\n${mrkdwnText(excerpt(payload.draft, EXCERPT))}`,
            },
          },
        ]
      : []),
    ...(links.runUrl
      ? [
          {
            type: "actions" as const,
            elements: [
              {
                type: "button" as const,
                text: { type: "plain_text" as const, text: "Open in Draftgate" },
                url: links.runUrl,
              },
            ],
          },
        ]
      : []),
  ];
  return {
    text: `${headline}${payload.brief ? `: ${mrkdwnText(excerpt(payload.brief, EXCERPT).slice(0, 120))}` : ""}`,
    blocks,
    unfurl_links: false,
  };
}

/** Posts a message to the incoming webhook; a refusal is a {@link DeliveryError} with Slack's `Retry-After`. */
export async function sendSlack(
  url: string,
  message: IncomingWebhookSendArguments,
  options: { now: number; timeoutMs?: number },
): Promise<void> {
  let retryAfter: string | null = null;
  const fetchRecordingRetryAfter: FetchFunction = async (input, init) => {
    const response = await fetch(input, init);
    retryAfter = response.headers.get("retry-after");
    return response;
  };
  try {
    await new IncomingWebhook(url, { fetch: fetchRecordingRetryAfter, timeout: options.timeoutMs ?? 15_000 }).send(
      message,
    );
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const retryAfterMs = parseRetryAfter(retryAfter, options.now);
    throw new DeliveryError(
      status
        ? `Slack answered HTTP ${status}`
        : `Slack could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      {
        ...(status ? { status } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        // 404/403/410: the webhook was removed or revoked; sending again will not help
        permanent: status === 403 || status === 404 || status === 410,
        cause: error,
      },
    );
  }
}
