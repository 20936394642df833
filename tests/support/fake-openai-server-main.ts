/**
 * Runs the fake OpenAI/Azure server as its own process, for e2e and crash tests:
 *
 *   PORT=0 FAKE_OPENAI_CHUNK_DELAY_MS=200 npx tsx tests/support/fake-openai-server-main.ts
 *
 * Prints `listening http://127.0.0.1:<port>` on stdout once it accepts requests; point OPENAI_BASE_URL at
 * `<url>/v1`, or AZURE_OPENAI_ENDPOINT at `<url>`. Stops on SIGTERM/SIGINT.
 *
 * Environment (this is a test harness, so it reads process.env itself):
 * - PORT: port on 127.0.0.1 (default 0, a free one)
 * - FAKE_OPENAI_CHUNK_DELAY_MS: pause before each streamed chunk (default 0)
 * - FAKE_OPENAI_FAIL_STATUS: answer chat requests with this HTTP status and an OpenAI-shaped error body
 * - FAKE_OPENAI_FAIL_COUNT: how many requests fail that way before normal replies (default: all of them)
 * - FAKE_OPENAI_RETRY_AFTER: a `retry-after` header (seconds) sent with those failures
 * - FAKE_OPENAI_API_KEY: when set, requests must carry this key (Bearer or api-key header), else 401
 * More behaviour can be scripted at run time through `POST /_fake/responses` (see fake-openai-server.ts).
 */
import { defaultFakeReply, startFakeOpenAIServer, type FakeOpenAIServerOptions } from "./fake-openai-server";

function readInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} must be a non-negative integer, got "${raw}"\n`);
    process.exit(2);
  }
  return value;
}

const failStatus = readInt("FAKE_OPENAI_FAIL_STATUS");
const failCount = readInt("FAKE_OPENAI_FAIL_COUNT");
const retryAfter = process.env["FAKE_OPENAI_RETRY_AFTER"];
let failuresSent = 0;

const options: FakeOpenAIServerOptions = {
  port: readInt("PORT") ?? 0,
  chunkDelayMs: readInt("FAKE_OPENAI_CHUNK_DELAY_MS") ?? 0,
  ...(process.env["FAKE_OPENAI_API_KEY"] ? { apiKey: process.env["FAKE_OPENAI_API_KEY"] } : {}),
  handler: (request) => {
    if (failStatus !== undefined && (failCount === undefined || failuresSent < failCount)) {
      failuresSent += 1;
      return {
        kind: "error",
        status: failStatus,
        message: `Fake failure ${failuresSent} (status ${failStatus})`,
        type: failStatus >= 500 ? "server_error" : "invalid_request_error",
        code: null,
        ...(retryAfter ? { headers: { "retry-after": retryAfter } } : {}),
      };
    }
    return { kind: "reply", text: defaultFakeReply(request) };
  },
};

const server = await startFakeOpenAIServer(options);
process.stdout.write(`listening ${server.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
