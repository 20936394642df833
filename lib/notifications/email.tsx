import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
  render,
} from "@react-email/components";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { CSSProperties } from "react";
import { DeliveryError } from "./delivery-error";
import { excerpt, type NotificationPayload } from "./events";

/**
 * Email: one React Email template for every event (a heading and a line saying who did what, then the brief
 * and the draft as plain text: React escapes it, so a draft's HTML arrives as text, never as markup), rendered
 * to HTML and a plain-text part, and sent over SMTP with nodemailer.
 */

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

export interface EmailLinks {
  /** The run page (sign-in required there: the email never approves anything by itself). */
  runUrl: string | null;
  /** Where the recipient turns notifications off. */
  settingsUrl: string;
}

const EXCERPT = 4_000;

/** The subject and the opening line of each kind. */
function wordsFor(payload: NotificationPayload): { subject: string; headline: string; line: string; action: string } {
  const draft = payload.iteration ? `draft ${payload.iteration}` : "a draft";
  const briefTitle = excerpt(payload.brief ?? "a brief", 60).replace(/\s+/g, " ");
  switch (payload.kind) {
    case "review.requested":
      return {
        subject: `Review ${draft}: ${briefTitle}`,
        headline: "A draft awaits your review",
        line: `${payload.submittedBy ?? "Someone"}'s brief has ${draft} ready for review${payload.dueAt ? `, due ${when(payload.dueAt)}` : ""}.`,
        action: "Open the review",
      };
    case "review.reminder":
      return {
        subject: `Reminder: review due ${when(payload.dueAt)}: ${briefTitle}`,
        headline: "A review is due soon",
        line: `The review of ${draft} is due ${when(payload.dueAt)}.`,
        action: "Open the review",
      };
    case "review.escalated":
      return {
        subject: `Escalated to you: ${briefTitle}`,
        headline: "A review was escalated to you",
        line: `Nobody decided on ${draft} by its deadline (${when(payload.dueAt)}); it is now offered to ${payload.escalatedTo ?? "you"}.`,
        action: "Open the review",
      };
    case "review.expired":
      return {
        subject: `Expired unanswered: ${briefTitle}`,
        headline: "A review expired",
        line: `Nobody decided on ${draft} in time, so the run ended without publishing.`,
        action: "Open the run",
      };
    case "run.published":
      return {
        subject: `Published: ${briefTitle}`,
        headline: "Your release notes were approved and published",
        line: `${payload.actor ?? "A reviewer"} approved ${draft}.`,
        action: "Open the run",
      };
    case "run.revision_requested":
      return {
        subject: `Revision requested: ${briefTitle}`,
        headline: "A reviewer asked for a revision",
        line: `${payload.actor ?? "A reviewer"} sent ${draft} back to the writer with this guidance:`,
        action: "Follow the run",
      };
    case "run.rejected":
      return {
        subject: `Rejected: ${briefTitle}`,
        headline: "Your draft was rejected",
        line: `${payload.actor ?? "A reviewer"} rejected ${draft}; the run ended without publishing. The reason:`,
        action: "Open the run",
      };
    case "run.failed":
      return {
        subject: `Run failed: ${briefTitle}`,
        headline: "A run failed",
        line: "The run stopped. What happened:",
        action: "Open the run",
      };
    case "webhook.test":
      return {
        subject: "Draftgate test message",
        headline: "Test message",
        line: "Notifications from Draftgate reach this address.",
        action: "Open Draftgate",
      };
  }
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toUTCString().replace(/:\d\d GMT$/, " UTC") : "soon";
}

const styles = {
  body: {
    backgroundColor: "#f4f4f5",
    fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    margin: 0,
    padding: "24px 0",
  },
  container: {
    backgroundColor: "#ffffff",
    border: "1px solid #e4e4e7",
    borderRadius: "8px",
    margin: "0 auto",
    maxWidth: "600px",
    padding: "24px",
  },
  brand: {
    color: "#52525b",
    fontSize: "13px",
    fontWeight: 600,
    letterSpacing: "0.04em",
    margin: "0 0 16px",
    textTransform: "uppercase",
  },
  heading: { color: "#18181b", fontSize: "20px", lineHeight: "28px", margin: "0 0 8px" },
  text: { color: "#27272a", fontSize: "15px", lineHeight: "22px", margin: "0 0 12px" },
  label: {
    color: "#52525b",
    fontSize: "12px",
    fontWeight: 600,
    letterSpacing: "0.04em",
    margin: "16px 0 4px",
    textTransform: "uppercase",
  },
  quote: {
    backgroundColor: "#fafafa",
    border: "1px solid #e4e4e7",
    borderRadius: "6px",
    color: "#27272a",
    fontSize: "14px",
    lineHeight: "21px",
    margin: 0,
    padding: "12px",
    whiteSpace: "pre-wrap",
  },
  button: {
    backgroundColor: "#047857",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "10px 18px",
    textDecoration: "none",
  },
  footer: { color: "#52525b", fontSize: "12px", lineHeight: "18px", margin: "0" },
} satisfies Record<string, CSSProperties>;

export function NotificationEmail({ payload, links }: { payload: NotificationPayload; links: EmailLinks }) {
  const words = wordsFor(payload);
  const draftLabel = payload.kind === "run.published" ? "Published text" : "Draft";
  return (
    <Html lang="en">
      <Head />
      <Preview>{words.line}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>Draftgate</Text>
          <Heading as="h1" style={styles.heading}>
            {words.headline}
          </Heading>
          <Text style={styles.text}>{words.line}</Text>
          {payload.message ? <Text style={styles.quote}>{excerpt(payload.message, EXCERPT)}</Text> : null}
          {payload.brief ? (
            <Section>
              <Text style={styles.label}>Brief</Text>
              <Text style={styles.quote}>{excerpt(payload.brief, EXCERPT)}</Text>
            </Section>
          ) : null}
          {payload.draft ? (
            <Section>
              <Text style={styles.label}>{draftLabel}</Text>
              <Text style={styles.quote}>{excerpt(payload.draft, EXCERPT)}</Text>
            </Section>
          ) : null}
          {links.runUrl ? (
            <Section style={{ margin: "20px 0 8px" }}>
              <Button href={links.runUrl} style={styles.button}>
                {words.action}
              </Button>
            </Section>
          ) : null}
          <Hr style={{ borderColor: "#e4e4e7", margin: "20px 0 12px" }} />
          <Text style={styles.footer}>
            You get this because of your role in Draftgate. Choose what you hear about on your{" "}
            <Link href={links.settingsUrl} style={{ color: "#047857" }}>
              notification settings
            </Link>
            .
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The message for one event: subject, HTML and plain text. */
export async function renderNotificationEmail(payload: NotificationPayload, links: EmailLinks): Promise<EmailContent> {
  const element = <NotificationEmail payload={payload} links={links} />;
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: wordsFor(payload).subject, html, text };
}

export interface OutgoingEmail extends EmailContent {
  to: string;
  /** The delivery's idempotency key: the Message-ID is made from it, so a retried send is recognisable. */
  deliveryId: string;
  unsubscribeUrl: string;
}

export interface EmailSender {
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

/** An SMTP sender (`smtp://user:pass@host:port`, `smtps://…`). */
export function createSmtpSender(params: { smtpUrl: string; from: string; timeoutMs?: number }): EmailSender {
  const timeout = params.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    url: params.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as SMTPTransport.Options);
  const domain = params.from.match(/@([^>\s]+)/)?.[1] ?? "draftgate.local";
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: params.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: `<${message.deliveryId}@${domain}>`,
          headers: { "List-Unsubscribe": `<${message.unsubscribeUrl}>`, "X-Draftgate-Delivery": message.deliveryId },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx from the server: the address or the message is refused, and will be next time too
        throw new DeliveryError(error instanceof Error ? error.message : String(error), {
          ...(code ? { status: code } : {}),
          permanent: code !== undefined && code >= 500,
          cause: error,
        });
      }
    },
    close: () => transport.close(),
  };
}
