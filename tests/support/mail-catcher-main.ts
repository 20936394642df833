/**
 * Runs the mail catcher (tests/support/mail-catcher.ts) as its own process until killed: Playwright starts it as a
 * webServer (`node --import tsx tests/support/mail-catcher-main.ts`) before the app, whose SMTP_URL points at it.
 * Tests read what arrived over HTTP:
 *
 * - `GET /health`: 200 once both servers listen
 * - `GET /messages`: every message so far, oldest first, as JSON
 *   `[{ to, subject, html, text, messageId, listUnsubscribe, receivedAt }]`; `?to=<address>` keeps those to one address
 *
 * Environment (test tooling, so it reads process.env itself): MAIL_CATCHER_SMTP_PORT, MAIL_CATCHER_HTTP_PORT.
 */
import http from "node:http";
import { startMailCatcher, type CaughtMail } from "./mail-catcher";

function requiredPort(name: string): number {
  const port = Number(process.env[name]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${name} must be a port number`);
  return port;
}

/** What `GET /messages` answers for one message. */
export interface CaughtMessage {
  /** Envelope recipients. */
  to: string[];
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** The `List-Unsubscribe` header as sent (`<https://…>`), or null. */
  listUnsubscribe: string | null;
  receivedAt: string;
}

const received: CaughtMessage[] = [];

function messageOf(mail: CaughtMail): CaughtMessage {
  const { parsed } = mail;
  const unsubscribe = parsed.headerLines.find((line) => line.key === "list-unsubscribe");
  return {
    to: mail.to,
    subject: parsed.subject ?? "",
    html: typeof parsed.html === "string" ? parsed.html : "",
    text: parsed.text ?? "",
    messageId: parsed.messageId ?? "",
    listUnsubscribe: unsubscribe ? unsubscribe.line.replace(/^list-unsubscribe:\s*/i, "") : null,
    receivedAt: new Date().toISOString(),
  };
}

const smtpPort = requiredPort("MAIL_CATCHER_SMTP_PORT");
const httpPort = requiredPort("MAIL_CATCHER_HTTP_PORT");
const catcher = await startMailCatcher({ port: smtpPort, onMessage: (mail) => received.push(messageOf(mail)) });

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (request.method === "GET" && path === "/health") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  } else if (request.method === "GET" && path === "/messages") {
    const to = url.searchParams.get("to");
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(to ? received.filter((message) => message.to.includes(to)) : received));
  } else {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});
server.listen(httpPort, "127.0.0.1", () => {
  console.log(`mail catcher: SMTP ${catcher.url}, messages at http://127.0.0.1:${httpPort}/messages`);
});

const stop = () => {
  server.close();
  void catcher.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
