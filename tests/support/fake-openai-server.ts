/**
 * A local stand-in for the OpenAI and Azure OpenAI chat completions APIs, for integration and e2e tests.
 *
 * It listens on 127.0.0.1 only and answers:
 * - `POST /v1/chat/completions` (OpenAI and OpenAI-compatible servers)
 * - `POST /openai/deployments/:deployment/chat/completions?api-version=...` (Azure OpenAI)
 *
 * with a JSON `chat.completion`, or with SSE `chat.completion.chunk` events ending in `data: [DONE]` when the
 * body has `stream: true`. Every request is recorded. What it answers is scriptable per request: queue
 * responses with `respondWith(...)`, or install a function with `setHandler(...)`; otherwise it replies with a
 * deterministic text derived from the last user message (see {@link defaultFakeReply}).
 *
 * For tests in other processes it also serves a small control API under `/_fake/`:
 * `GET /_fake/requests` (the recorded requests), `POST /_fake/responses` (a JSON array of responses to queue),
 * `POST /_fake/reset` (forget requests and queued responses).
 */
import http from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";

/** One request as the fake server received it. */
export interface FakeRequest {
  /** 1-based, in arrival order. */
  index: number;
  method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** `openai` for `/v1/...`, `azure` for `/openai/deployments/...`. */
  api: "openai" | "azure";
  /** The Azure deployment from the path. */
  deployment?: string;
  /** True when the body asked for `stream: true`. */
  stream: boolean;
}

/** A reply with text: JSON, or SSE chunks when the request streams. */
export interface FakeReply {
  kind: "reply";
  text: string;
  /** How to split the text into stream chunks; by default word-sized pieces. */
  chunks?: string[];
  /** Pause before each content chunk, so a test can act mid-stream (e.g. kill a process). */
  chunkDelayMs?: number;
  /** Defaults to "stop". */
  finishReason?: "stop" | "length" | "content_filter";
  /** Model name to report; defaults to the request's model or deployment. */
  model?: string;
  headers?: Record<string, string>;
}

/** An HTTP error with an OpenAI-shaped body `{ error: { message, type, code } }`. */
export interface FakeError {
  kind: "error";
  status: number;
  message: string;
  type?: string;
  code?: string | null;
  /** e.g. `{ "retry-after": "2" }` or `{ "retry-after-ms": "150" }`. */
  headers?: Record<string, string>;
}

/** Accept the request and never answer (until the client gives up or the server closes). */
export interface FakeHang {
  kind: "hang";
}

/**
 * A broken stream. After `afterChunks` good content chunks (default 1):
 * - `garbage`: a `data:` line that is not JSON, then the stream ends;
 * - `cut`: the connection is destroyed;
 * - `no-finish`: the stream ends cleanly but without a finish_reason or `[DONE]`;
 * - `stall`: nothing more is sent, and the connection stays open.
 * For a non-streaming request, `garbage` sends a body that is not JSON, the others behave as named.
 */
export interface FakeMalformed {
  kind: "malformed";
  fault: "garbage" | "cut" | "no-finish" | "stall";
  text?: string;
  afterChunks?: number;
}

export type FakeResponse = FakeReply | FakeError | FakeHang | FakeMalformed;

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeOpenAIServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Per-chunk delay for replies that do not set their own. */
  chunkDelayMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or `api-key: <apiKey>`, else 401. */
  apiKey?: string;
  /** Decides responses when the queue is empty; defaults to a reply of {@link defaultFakeReply}. */
  handler?: FakeHandler;
}

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>` (the Azure endpoint). */
  url: string;
  /** `url + "/v1"` (the OpenAI base URL). */
  baseURL: string;
  port: number;
  /** Every request so far, in arrival order (chat completion calls and unknown routes; not `/_fake/`). */
  requests: FakeRequest[];
  /** Queue responses; each request takes the next one before the handler is asked. */
  respondWith(...responses: FakeResponse[]): void;
  /** Replace the handler used when the queue is empty; `undefined` restores the default reply. */
  setHandler(handler: FakeHandler | undefined): void;
  /** Forget recorded requests and queued responses. */
  reset(): void;
  close(): Promise<void>;
}

/** The text the fake model answers by default: stable for the same last user message. */
export function defaultFakeReply(request: FakeRequest): string {
  const last = lastUserText(request.body);
  const lastLine =
    last
      .trim()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .at(-1) ?? "";
  const excerpt = lastLine.length > 120 ? `${lastLine.slice(0, 119)}…` : lastLine;
  const digest = createHash("sha256").update(last).digest("hex").slice(0, 8);
  return `Fake model reply ${digest}: ${excerpt || "(no user message)"}`;
}

/** Splits text into word-sized pieces whose concatenation is the text. */
export function splitIntoWordChunks(text: string): string[] {
  return text.match(/^\s*\S+\s*|\S+\s*/g) ?? (text === "" ? [] : [text]);
}

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const requests: FakeRequest[] = [];
  const queue: FakeResponse[] = [];
  let handler: FakeHandler | undefined = options.handler;

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { message: String(error), type: "fake_server_error", code: null } });
      else res.destroy();
    });
  });

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawBody = await readBody(req);

    if (url.pathname.startsWith("/_fake/")) {
      handleControl(req.method ?? "GET", url.pathname, rawBody, res);
      return;
    }

    const route = matchRoute(req.method ?? "GET", url.pathname);
    const body = parseJson(rawBody);
    const request: FakeRequest = {
      index: requests.length + 1,
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      headers: flattenHeaders(req.headers),
      body,
      api: route?.api ?? "openai",
      ...(route?.deployment !== undefined ? { deployment: route.deployment } : {}),
      stream: isRecord(body) && body["stream"] === true,
    };
    requests.push(request);

    if (!route) {
      sendError(res, {
        kind: "error",
        status: 404,
        message: `No route for ${request.method} ${request.path}`,
        type: "invalid_request_error",
        code: "not_found",
      });
      return;
    }
    if (route.api === "azure" && !request.query["api-version"]) {
      sendError(res, {
        kind: "error",
        status: 404,
        message: "Resource not found (missing api-version)",
        type: "invalid_request_error",
        code: "404",
      });
      return;
    }
    if (options.apiKey !== undefined && !isAuthorized(request, options.apiKey)) {
      sendError(res, {
        kind: "error",
        status: 401,
        message: "Incorrect API key provided.",
        type: "invalid_request_error",
        code: "invalid_api_key",
      });
      return;
    }
    if (!isRecord(request.body) || !Array.isArray(request.body["messages"])) {
      sendError(res, {
        kind: "error",
        status: 400,
        message: "'messages' is a required property",
        type: "invalid_request_error",
        code: null,
      });
      return;
    }

    const response =
      queue.shift() ?? (handler ? await handler(request) : { kind: "reply", text: defaultFakeReply(request) });
    await sendResponse(req, res, request, response, options.chunkDelayMs ?? 0);
  }

  function handleControl(method: string, pathname: string, rawBody: string, res: http.ServerResponse): void {
    if (method === "GET" && pathname === "/_fake/requests") {
      sendJson(res, 200, requests);
    } else if (method === "POST" && pathname === "/_fake/responses") {
      const parsed = parseJson(rawBody);
      if (!Array.isArray(parsed)) {
        sendJson(res, 400, {
          error: { message: "Expected a JSON array of responses", type: "fake_control", code: null },
        });
        return;
      }
      queue.push(...(parsed as FakeResponse[]));
      sendJson(res, 200, { queued: queue.length });
    } else if (method === "POST" && pathname === "/_fake/reset") {
      requests.length = 0;
      queue.length = 0;
      sendJson(res, 200, { ok: true });
    } else {
      sendJson(res, 404, {
        error: { message: `Unknown control route ${method} ${pathname}`, type: "fake_control", code: null },
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    port,
    requests,
    respondWith: (...responses) => {
      queue.push(...responses);
    },
    setHandler: (next) => {
      handler = next;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging and stalled responses would keep close() waiting forever.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function sendResponse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: FakeRequest,
  response: FakeResponse,
  defaultChunkDelayMs: number,
): Promise<void> {
  switch (response.kind) {
    case "error":
      sendError(res, response);
      return;
    case "hang":
      // Keep the socket open; the client's timeout or the server's close() ends it.
      return;
    case "reply":
      if (request.stream) {
        await streamReply(req, res, request, response, response.chunkDelayMs ?? defaultChunkDelayMs);
      } else {
        sendJson(
          res,
          200,
          completionBody(request, response.text, response.finishReason ?? "stop", response.model),
          response.headers,
        );
      }
      return;
    case "malformed":
      await sendMalformed(req, res, request, response, defaultChunkDelayMs);
      return;
  }
}

async function streamReply(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: FakeRequest,
  reply: FakeReply,
  chunkDelayMs: number,
): Promise<void> {
  const id = completionId(request);
  const model = reply.model ?? requestedModel(request);
  const created = 1_700_000_000;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

  startEventStream(res, reply.headers);
  res.write(chunk({ role: "assistant", content: "" }, null));
  for (const piece of reply.chunks ?? splitIntoWordChunks(reply.text)) {
    if (chunkDelayMs > 0) await sleep(chunkDelayMs);
    if (isGone(req, res)) return;
    res.write(chunk({ content: piece }, null));
  }
  if (isGone(req, res)) return;
  res.write(chunk({}, reply.finishReason ?? "stop"));
  if ((request.body as { stream_options?: { include_usage?: boolean } } | null)?.stream_options?.include_usage) {
    // as OpenAI does: a last chunk without choices, with the counts (here words, and a quarter of the prompt's characters)
    const usage = usageOf(request, reply.text);
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`,
    );
  }
  res.end("data: [DONE]\n\n");
}

/** Token counts the fake reports: a quarter of the prompt's characters in, the reply's words out. */
function usageOf(
  request: FakeRequest,
  text: string,
): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const messages = (request.body as { messages?: Array<{ content?: unknown }> } | null)?.messages ?? [];
  const promptCharacters = messages.reduce(
    (sum, message) => sum + (typeof message.content === "string" ? message.content.length : 0),
    0,
  );
  const prompt = Math.ceil(promptCharacters / 4);
  const completion = text.split(/\s+/).filter(Boolean).length;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

async function sendMalformed(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: FakeRequest,
  malformed: FakeMalformed,
  chunkDelayMs: number,
): Promise<void> {
  if (!request.stream) {
    if (malformed.fault === "garbage") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "chatcmpl-broken", "choices": [');
    } else if (malformed.fault === "cut") {
      res.destroy();
    } else if (malformed.fault === "no-finish") {
      sendJson(res, 200, completionBody(request, malformed.text ?? "Partial", null));
    }
    return; // stall: never answer
  }

  const id = completionId(request);
  const model = requestedModel(request);
  startEventStream(res);
  res.write(
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`,
  );
  const pieces = splitIntoWordChunks(malformed.text ?? defaultFakeReply(request)).slice(0, malformed.afterChunks ?? 1);
  for (const piece of pieces) {
    if (chunkDelayMs > 0) await sleep(chunkDelayMs);
    if (isGone(req, res)) return;
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`,
    );
  }
  switch (malformed.fault) {
    case "garbage":
      res.end("data: {this is not json\n\n");
      return;
    case "cut":
      // Let the good chunks reach the client before the connection dies.
      await sleep(20);
      res.destroy();
      return;
    case "no-finish":
      res.end();
      return;
    case "stall":
      return;
  }
}

function completionBody(request: FakeRequest, text: string, finishReason: string | null, model?: string): unknown {
  return {
    id: completionId(request),
    object: "chat.completion",
    created: 1_700_000_000,
    model: model ?? requestedModel(request),
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: usageOf(request, text),
  };
}

function startEventStream(res: http.ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
  res.flushHeaders();
}

function sendError(res: http.ServerResponse, error: FakeError): void {
  sendJson(
    res,
    error.status,
    { error: { message: error.message, type: error.type ?? "api_error", code: error.code ?? null } },
    error.headers,
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function matchRoute(method: string, pathname: string): { api: "openai" | "azure"; deployment?: string } | undefined {
  if (method !== "POST") return undefined;
  if (pathname === "/v1/chat/completions") return { api: "openai" };
  const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(pathname);
  if (azure?.[1]) return { api: "azure", deployment: decodeURIComponent(azure[1]) };
  return undefined;
}

function isAuthorized(request: FakeRequest, apiKey: string): boolean {
  return request.headers["authorization"] === `Bearer ${apiKey}` || request.headers["api-key"] === apiKey;
}

function requestedModel(request: FakeRequest): string {
  const model = isRecord(request.body) && typeof request.body["model"] === "string" ? request.body["model"] : undefined;
  return request.deployment ?? model ?? "fake-model";
}

function completionId(request: FakeRequest): string {
  return `chatcmpl-fake-${request.index}`;
}

function lastUserText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body["messages"])) return "";
  const users = body["messages"].filter((m): m is Record<string, unknown> => isRecord(m) && m["role"] === "user");
  const content = users.at(-1)?.["content"];
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("");
  }
  return "";
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True once the client hung up (or the response is over), so a slow stream stops writing. */
function isGone(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  return res.writableEnded || res.destroyed || req.socket.destroyed;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
