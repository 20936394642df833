import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AzureOpenAI,
  OpenAIError,
} from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { ChatClientError, type ChatClient, type ChatClientInfo, type ChatRequest } from "@/lib/workflow";

const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface OpenAIChatClientOptions {
  /** An `OpenAI` client, or an `AzureOpenAI` one (which extends it). Create it with `maxRetries: 0`: the agent retries. */
  client: OpenAI;
  /** The model name; for Azure, the deployment name. */
  model: string;
  /** How the writer is named; derived from the client when omitted. */
  info?: ChatClientInfo;
  /**
   * The longest wait for the next stream chunk once the response has started. The SDK's own `timeout` covers
   * the wait for the response headers only, so without this a stream that stalls would hang forever.
   * Defaults to the client's `timeout`.
   */
  idleTimeoutMs?: number;
  /** The longest reply a call may produce (`max_completion_tokens`); the provider's default when omitted. */
  maxCompletionTokens?: number;
}

/**
 * A {@link ChatClient} over the official `openai` SDK: OpenAI, Azure OpenAI and OpenAI-compatible servers.
 * It always streams (`stream: true`) and yields `choices[0].delta.content` pieces. Every failure becomes a
 * {@link ChatClientError} (transient or not, with the provider's status and message), except an abort through
 * `request.signal`, which throws the signal's reason as `fetch` does.
 */
export class OpenAIChatClient implements ChatClient {
  readonly info: ChatClientInfo;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly idleTimeoutMs: number;
  private readonly maxCompletionTokens: number | undefined;

  constructor(options: OpenAIChatClientOptions) {
    this.client = options.client;
    this.model = options.model;
    this.info = options.info ?? describeOpenAIClient(options.client, options.model);
    this.idleTimeoutMs = options.idleTimeoutMs ?? options.client.timeout;
    this.maxCompletionTokens = options.maxCompletionTokens;
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    const { signal } = request;
    signal?.throwIfAborted();

    // One controller for the SDK call, aborted by the caller's signal or by the idle watchdog below.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forwardAbort, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idleTimedOut = false;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idleTimedOut = true;
        controller.abort(new Error("stream idle timeout"));
      }, this.idleTimeoutMs);
    };

    try {
      let stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
      try {
        stream = await this.client.chat.completions.create(
          {
            model: this.model,
            messages: toOpenAIMessages(request),
            stream: true,
            // a last chunk with the call's token counts (for telemetry and cost)
            stream_options: { include_usage: true },
            ...(this.maxCompletionTokens ? { max_completion_tokens: this.maxCompletionTokens } : {}),
          },
          { signal: controller.signal },
        );
      } catch (error) {
        throw this.translateError(error, signal);
      }

      let finishReason: string | null = null;
      try {
        armIdleTimer();
        for await (const chunk of stream) {
          clearTimeout(idleTimer);
          if (chunk.usage)
            request.onUsage?.({ inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens });
          const choice = chunk.choices[0];
          finishReason = choice?.finish_reason ?? finishReason;
          const delta = choice?.delta?.content;
          // The watchdog only runs while we wait for the provider, not while the caller handles a piece.
          if (delta) yield delta;
          armIdleTimer();
        }
      } catch (error) {
        throw this.translateError(error, signal);
      }

      // The SDK ends the iteration quietly when its request is aborted, so find out why it ended.
      signal?.throwIfAborted();
      if (idleTimedOut) {
        throw new ChatClientError(`${this.info.label}: no stream data for ${this.idleTimeoutMs} ms; gave up waiting`, {
          transient: true,
          kind: "timeout",
        });
      }
      if (finishReason === null) {
        throw new ChatClientError(`${this.info.label}: the stream ended before the model finished its reply`, {
          transient: true,
          kind: "broken_stream",
        });
      }
      if (finishReason === "length") {
        // a draft cut off mid-sentence must not reach a reviewer as if it were whole; retrying would cut it again
        throw new ChatClientError(
          `${this.info.label}: the reply was cut off at the model's length limit (finish_reason "length"), so it is not a whole draft`,
          {
            transient: false,
            kind: "cut_off",
          },
        );
      }
      if (finishReason === "content_filter") {
        throw new ChatClientError(`${this.info.label}: the reply was stopped by the provider's content filter`, {
          transient: false,
          kind: "filtered",
        });
      }
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener("abort", forwardAbort);
      // Releases the connection when the caller stops early (break) or something threw.
      controller.abort();
    }
  }

  /** Turns anything the SDK throws into a ChatClientError; an abort by the caller rethrows the abort reason. */
  private translateError(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return abortReason(signal);
    if (error instanceof ChatClientError) return error;
    const label = this.info.label;

    if (error instanceof APIUserAbortError) {
      // Aborted, but not by the caller: only the idle watchdog aborts otherwise.
      return new ChatClientError(`${label}: no stream data for ${this.idleTimeoutMs} ms; gave up waiting`, {
        transient: true,
        kind: "timeout",
        cause: error,
      });
    }
    if (error instanceof APIConnectionTimeoutError) {
      return new ChatClientError(`${label}: request timed out after ${this.client.timeout} ms`, {
        transient: true,
        kind: "timeout",
        cause: error,
      });
    }
    if (error instanceof APIConnectionError) {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
      return new ChatClientError(
        `${label}: connection to ${redactUrl(this.client.baseURL)} failed: ${error.message}${cause}`,
        { transient: true, kind: "unreachable", cause: error },
      );
    }
    if (error instanceof APIError) {
      const status = typeof error.status === "number" ? error.status : undefined;
      const retryAfterMs = error.headers ? parseRetryAfter(error.headers) : undefined;
      const message = providerMessage(error);
      if (status === undefined) {
        // An `error` event inside an SSE stream: the provider gave up mid-reply.
        return new ChatClientError(`${label}: the stream reported an error: ${message}`, {
          transient: true,
          kind: "broken_stream",
          cause: error,
        });
      }
      return new ChatClientError(`${label}: HTTP ${status}: ${message}`, {
        transient: isTransientStatus(status, error.headers),
        kind:
          status === 429
            ? "rate_limited"
            : status === 401 || status === 403
              ? "auth"
              : status >= 500
                ? "server_error"
                : "refused",
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        cause: error,
      });
    }
    if (error instanceof SyntaxError) {
      return new ChatClientError(`${label}: malformed stream from the provider: ${error.message}`, {
        transient: true,
        kind: "broken_stream",
        cause: error,
      });
    }
    if (error instanceof OpenAIError && error.cause instanceof TokenAcquisitionError) {
      // An Entra ID outage passes, so it is retried like a 5xx; a machine with no credential at all does not.
      const { cause } = error;
      return new ChatClientError(`${label}: could not get a Microsoft Entra ID token: ${cause.message}`, {
        transient: cause.isTransient,
        kind: "auth",
        cause,
      });
    }
    if (error instanceof OpenAIError) {
      // Raised before any request is sent: bad options.
      return new ChatClientError(`${label}: ${error.message}`, { transient: false, kind: "config", cause: error });
    }
    // What is left comes from reading the body: a dropped connection ("terminated"), a broken chunk.
    const message = error instanceof Error ? error.message : String(error);
    return new ChatClientError(`${label}: the stream broke off: ${message}`, {
      transient: true,
      kind: "broken_stream",
      cause: error,
    });
  }
}

/**
 * A token provider's failure (thrown by the wrapper `createChatClient` puts around it), so it can be told apart
 * from the SDK's own errors. Transient unless no credential is configured at all (@azure/identity's
 * CredentialUnavailableError), which no retry can fix.
 */
export class TokenAcquisitionError extends Error {
  override readonly name = "TokenAcquisitionError";
  readonly isTransient: boolean;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.isTransient = !(cause instanceof Error && cause.name === "CredentialUnavailableError");
  }
}

/** Wraps a token provider so its failures reach the client as {@link TokenAcquisitionError}. */
export function reportingTokenFailures(provider: () => Promise<string>): () => Promise<string> {
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw new TokenAcquisitionError(error);
    }
  };
}

/** The messages the API receives: system instructions first, then the conversation. */
export function toOpenAIMessages(request: ChatRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.instructions) messages.push({ role: "system", content: request.instructions });
  for (const message of request.messages) messages.push({ role: message.role, content: message.text });
  return messages;
}

/** Names the writer from the client: Azure, OpenAI itself, or a compatible server at another base URL. */
export function describeOpenAIClient(client: OpenAI, model: string): ChatClientInfo {
  if (client instanceof AzureOpenAI) {
    return { provider: "azure-openai", model, label: `Azure OpenAI · ${model} (deployment)`, isModel: true };
  }
  const baseURL = client.baseURL.replace(/(?<!\/)\/+$/, "");
  if (baseURL === OPENAI_DEFAULT_BASE_URL) {
    return { provider: "openai", model, label: `OpenAI · ${model}`, isModel: true };
  }
  // the server's address stays out of the label, which pages and /api/health show (it is in the startup log)
  return { provider: "openai-compatible", model, label: `OpenAI-compatible · ${model}`, isModel: true };
}

/** A URL without credentials, query or fragment, safe for logs and labels. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/(?<!\/)\/+$/, "")}`;
  } catch {
    return "(invalid URL)";
  }
}

/** `retry-after-ms` (milliseconds) wins over `retry-after` (seconds, or an HTTP date). */
export function parseRetryAfter(headers: Headers): number | undefined {
  const millis = headers.get("retry-after-ms");
  if (millis !== null && millis.trim() !== "") {
    const value = Number(millis);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null || retryAfter.trim() === "") return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** 408, 409 (OpenAI's lock timeouts), 429 and 5xx are worth retrying, as in the SDK; an `x-should-retry` header overrides. */
function isTransientStatus(status: number, headers: Headers | undefined): boolean {
  const shouldRetry = headers?.get("x-should-retry");
  if (shouldRetry === "true") return true;
  if (shouldRetry === "false") return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The provider's own words: `error.message` from the body when there is one. */
function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === "string" && body.message !== "") return body.message;
  // The SDK prefixes its message with the status; drop it, we add our own.
  return error.message.replace(/^\d{3} /, "");
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
