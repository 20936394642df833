import { z } from "zod";
import { isChatClientError, type ChatClient, type ChatMessage } from "./chat-client";
import { WorkflowError } from "./errors";
import { Executor } from "./executor";
import type { WorkflowContext } from "./context";
import { defineMessageType } from "./messages";

/** The shape of one conversation turn, as requests, responses and checkpoints carry it. */
export const chatMessageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), text: z.string() });

/** Asks an agent to append `messages` to its conversation and, when `shouldRespond`, to reply. */
export const AgentExecutorRequest = defineMessageType(
  "AgentExecutorRequest",
  z.object({ messages: z.array(chatMessageSchema), shouldRespond: z.boolean() }),
);
export type AgentExecutorRequest = z.infer<typeof AgentExecutorRequest.schema>;

/** An agent's reply, with the whole conversation so far. */
export const AgentExecutorResponse = defineMessageType(
  "AgentExecutorResponse",
  z.object({ executorId: z.string(), text: z.string(), conversation: z.array(chatMessageSchema) }),
);
export type AgentExecutorResponse = z.infer<typeof AgentExecutorResponse.schema>;

/** The agent's executor state: its conversation, so checkpoints carry it and a resume continues it. */
export interface AgentState {
  conversation: ChatMessage[];
}

/** How an `AgentExecutor` retries transient model errors: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Four attempts, waiting 0.5 s, 1 s, 2 s (or what Retry-After asks, up to 8 s). */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * Which turns of the conversation a model call sends, given the whole conversation (kept in the executor's state,
 * so checkpoints carry it) and how many turns at its end the current request added. By default all of them; a
 * workflow whose later prompts restate what they need sends a bounded window instead, so a call's cost does not
 * grow with the conversation.
 */
export type ContextWindow = (conversation: readonly ChatMessage[], newTurns: number) => ChatMessage[];

/**
 * Wraps a chat client as an executor (SPEC §8). Streams deltas as `AgentRunUpdate` events, retries transient
 * model errors with exponential backoff (honouring Retry-After), and fails the run with MODEL_ERROR and the
 * provider's message when retries are exhausted.
 */
export class AgentExecutor extends Executor {
  readonly client: ChatClient;
  private readonly instructions: string | undefined;
  private readonly retry: RetryPolicy;
  private readonly contextOf: ContextWindow;

  constructor(
    id: string,
    options: { client: ChatClient; instructions?: string; retry?: Partial<RetryPolicy>; contextWindow?: ContextWindow },
  ) {
    super(id, { sends: [AgentExecutorResponse] });
    this.client = options.client;
    this.instructions = options.instructions;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.contextOf = options.contextWindow ?? ((conversation) => [...conversation]);
    this.on(AgentExecutorRequest, (request, ctx) => this.handleRequest(request, ctx));
  }

  private async handleRequest(request: AgentExecutorRequest, ctx: WorkflowContext): Promise<void> {
    const previous = ctx.getState<AgentState>()?.conversation ?? [];
    const conversation = [...previous, ...request.messages];
    if (!request.shouldRespond) {
      ctx.setState({ conversation });
      return;
    }
    const text = await this.complete(this.contextOf(conversation, request.messages.length), ctx);
    const withReply = [...conversation, { role: "assistant" as const, text }];
    ctx.setState({ conversation: withReply });
    ctx.sendMessage(AgentExecutorResponse.of({ executorId: this.id, text, conversation: withReply }));
  }

  private async complete(messages: ChatMessage[], ctx: WorkflowContext): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let text = "";
      try {
        const stream = this.client.streamChat({
          instructions: this.instructions,
          messages,
          signal: ctx.signal,
          context: { runId: ctx.runId, executorId: this.id },
        });
        for await (const delta of stream) {
          text += delta;
          ctx.emitAgentRunUpdate(delta, attempt);
        }
        return text;
      } catch (error) {
        if (ctx.signal.aborted)
          throw new WorkflowError("CANCELLED", `Model call of ${this.id} was cancelled`, { executorId: this.id });
        const transient = isChatClientError(error) && error.transient;
        const message = error instanceof Error ? error.message : String(error);
        if (!transient || attempt >= this.retry.maxAttempts) {
          const tries = attempt === 1 ? "" : ` after ${attempt} attempts`;
          throw new WorkflowError(
            "MODEL_ERROR",
            `Model call of ${this.id} failed${tries}: ${message}`,
            {
              executorId: this.id,
              ...(isChatClientError(error) && error.status ? { status: error.status } : {}),
              ...(isChatClientError(error) && error.kind ? { modelFailure: error.kind } : {}),
            },
            { cause: error },
          );
        }
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        const retryAfter = isChatClientError(error) ? error.retryAfterMs : undefined;
        await sleep(Math.min(this.retry.maxDelayMs, retryAfter ?? backoff), ctx.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new WorkflowError("CANCELLED", "Cancelled while waiting to retry"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WorkflowError("CANCELLED", "Cancelled while waiting to retry"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
