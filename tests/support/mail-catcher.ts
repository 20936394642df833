import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a loopback port that keeps every message it receives, parsed (mailparser): tests point
 * SMTP_URL at it and read back what people would get.
 */
export interface CaughtMail {
  /** Envelope recipients. */
  to: string[];
  parsed: ParsedMail;
  raw: string;
}

export async function startMailCatcher(options: { port?: number; onMessage?: (mail: CaughtMail) => void } = {}) {
  const messages: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            const mail = { to: session.envelope.rcptTo.map((address) => address.address), parsed, raw };
            messages.push(mail);
            options.onMessage?.(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Messages to `address`, oldest first. */
    to: (address: string) => messages.filter((mail) => mail.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
