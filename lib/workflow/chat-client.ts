/** One turn of a conversation, as the engine keeps it in executor state. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  text: string;
}

export interface ChatRequest {
  /** System instructions, sent before the conversation. */
  instructions?: string;
  messages: readonly ChatMessage[];
  signal?: AbortSignal;
  /** Which run and executor the call is for, so a client that queues or meters calls can say whose they are. */
  context?: { runId: string; executorId: string };
  /** Told the tokens the call used, when the provider reports them (at the end of the reply). */
  onUsage?: (usage: ChatUsage) => void;
}

/** Tokens of one model call, as the provider counted them. */
export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Who writes: shown wherever the writer is named, so an offline writer never passes for a model. */
export interface ChatClientInfo {
  /** e.g. "azure-openai", "openai", "offline". */
  provider: string;
  /** Deployment or model name; for the offline writer, a fixed label. */
  model: string;
  /** A sentence for people, e.g. "Offline writer (deterministic, no model)". Never contains secrets. */
  label: string;
  /** False for the offline writer. */
  isModel: boolean;
}

/**
 * The small interface an `AgentExecutor` talks to. Model clients (Azure OpenAI, OpenAI-compatible, the
 * offline writer) implement it. `streamChat` yields text deltas; the concatenation is the reply.
 * Implementations throw {@link ChatClientError} so the agent can tell transient failures from final ones.
 */
export interface ChatClient {
  readonly info: ChatClientInfo;
  streamChat(request: ChatRequest): AsyncIterable<string>;
}

/**
 * What went wrong with a model call, in terms people can act on (the run page says it in words; the provider's
 * own message, which may name addresses, goes to the log and to admins).
 */
export type ChatFailureKind =
  | "rate_limited"
  | "unreachable"
  | "timeout"
  | "server_error"
  | "refused"
  | "auth"
  | "cut_off"
  | "filtered"
  | "broken_stream"
  | "config";

/** A failed model call. `transient` ones (timeouts, 429, 5xx, a dropped stream) are retried by the agent. */
export class ChatClientError extends Error {
  override readonly name = "ChatClientError";
  readonly transient: boolean;
  readonly kind: ChatFailureKind | undefined;
  readonly status: number | undefined;
  /** From a Retry-After header, when the provider sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { transient: boolean; kind?: ChatFailureKind; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.transient = options.transient;
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isChatClientError(error: unknown): error is ChatClientError {
  return error instanceof ChatClientError;
}
