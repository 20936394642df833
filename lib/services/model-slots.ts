import type { ChatClient, ChatClientInfo, ChatRequest, ChatUsage } from "@/lib/workflow";
import { ATTR, endWithError, instruments, tracer } from "@/lib/telemetry";
import type { ExecutionTrace } from "./execution-trace";

export interface ModelSlotEvents {
  /** A call for `runId` has to wait for a slot (called before it waits). */
  onQueued(runId: string): void;
  /** A call for `runId` that waited got its slot. */
  onDequeued(runId: string): void;
  /** The spans of `runId`'s execution, under which its model calls are traced. */
  traceOf?(runId: string): ExecutionTrace | undefined;
}

/**
 * A chat client that lets at most `concurrency` model calls of this process run at once. Further calls wait
 * their turn in order of arrival (first come, first served), and say so through `events`, so the run shows as
 * queued instead of every run calling the provider at once. A call whose signal aborts while it waits leaves the
 * line without ever calling the model.
 */
export class ModelSlots implements ChatClient {
  readonly info: ChatClientInfo;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly inner: ChatClient,
    private readonly concurrency: number,
    private readonly events: ModelSlotEvents,
  ) {
    this.info = inner.info;
  }

  /** Calls waiting for a slot, and calls running. */
  get load(): { waiting: number; active: number } {
    return { waiting: this.waiting.length, active: this.active };
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    await this.acquire(request);
    const runId = request.context?.runId;
    const executionTrace = runId ? this.events.traceOf?.(runId) : undefined;
    const attributes = {
      [ATTR.provider]: this.info.provider,
      [ATTR.model]: this.info.model,
      ...(runId ? { [ATTR.runId]: runId } : {}),
      ...(request.context ? { [ATTR.executorId]: request.context.executorId } : {}),
    };
    // a span per attempt, from the slot on: the wait for a slot shows as the run being queued, not as latency
    const span = tracer.startSpan(
      "model.call",
      {
        attributes: {
          ...attributes,
          ...(executionTrace && request.context
            ? { [ATTR.attempt]: executionTrace.nextAttempt(request.context.executorId) }
            : {}),
        },
      },
      executionTrace?.parent(),
    );
    const started = performance.now();
    const onUsage = (usage: ChatUsage) => {
      span.setAttributes({ [ATTR.inputTokens]: usage.inputTokens, [ATTR.outputTokens]: usage.outputTokens });
      instruments().modelTokens.add(usage.inputTokens, { ...attributes, "gen_ai.token.type": "input" });
      instruments().modelTokens.add(usage.outputTokens, { ...attributes, "gen_ai.token.type": "output" });
      request.onUsage?.(usage);
    };
    let failed = false;
    try {
      yield* this.inner.streamChat({ ...request, onUsage });
    } catch (error) {
      failed = true;
      endWithError(span, error);
      throw error;
    } finally {
      if (!failed) span.end(); // also when the caller stopped reading (cancelled)
      instruments().modelLatency.record((performance.now() - started) / 1_000, {
        [ATTR.provider]: this.info.provider,
        [ATTR.model]: this.info.model,
      });
      this.release();
    }
  }

  private async acquire(request: ChatRequest): Promise<void> {
    request.signal?.throwIfAborted();
    if (this.active < this.concurrency) {
      this.active += 1;
      return;
    }
    const runId = request.context?.runId;
    if (runId) this.events.onQueued(runId);
    try {
      await new Promise<void>((resolve, reject) => {
        const take = () => {
          request.signal?.removeEventListener("abort", leave);
          resolve();
        };
        const leave = () => {
          const at = this.waiting.indexOf(take);
          if (at !== -1) this.waiting.splice(at, 1);
          reject(request.signal?.reason);
        };
        this.waiting.push(take);
        request.signal?.addEventListener("abort", leave, { once: true });
      });
    } finally {
      if (runId) this.events.onDequeued(runId);
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    // the slot passes straight to the next in line, so a newcomer cannot overtake it
    if (next) next();
    else this.active -= 1;
  }
}
