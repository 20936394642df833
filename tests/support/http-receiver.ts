import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers: a status (and headers), or "hang" (never answers: the sender's timeout ends it). */
export type Answer = { status: number; headers?: Record<string, string> } | "hang";

/**
 * A local HTTP server standing in for a webhook endpoint or Slack: records every request and answers from a
 * script (the last answer repeats).
 */
export async function startHttpReceiver(answers: Answer[] = [{ status: 200 }]) {
  const received: ReceivedRequest[] = [];
  const script = [...answers];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const answer = script.length > 1 ? script.shift()! : script[0]!;
      if (answer === "hang") return;
      response
        .writeHead(answer.status, { "content-type": "text/plain", ...answer.headers })
        .end(answer.status < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
