import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Workflow, WorkflowEvent } from "@/lib/workflow";
import type { AppDatabase } from "@/db/client";
import { releaseLease, tryAcquireLease } from "@/db/run-queries";
import type { RunEvent } from "./dto";
import { ServiceError } from "./errors";

type Listener = (event: RunEvent) => void;

/** How an execution ended: normally (the workflow holds the final state), or with the run's failure. */
export type ExecutionOutcome = { kind: "finished"; workflow: Workflow } | { kind: "failed"; error: unknown };

interface Execution {
  done: Promise<void>;
  controller: AbortController;
  /** Text the writer has streamed in the current attempt, for pages that open mid-stream. */
  liveText: string;
  liveAttempt: number;
}

/**
 * The runs this process executes: each under a lease on its row (so no other process executes it at the
 * same time), in the background, with its engine events fanned out to subscribers.
 */
export class RunExecutor {
  private readonly db: AppDatabase;
  private readonly leaseMs: number;
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly executions = new Map<string, Execution>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly onFinished: (runId: string, outcome: ExecutionOutcome) => Promise<void>;
  private readonly onUnexpectedError: (error: unknown, context: Record<string, unknown>) => void;
  private closed = false;

  constructor(options: {
    db: AppDatabase;
    leaseMs: number;
    onFinished: (runId: string, outcome: ExecutionOutcome) => Promise<void>;
    onUnexpectedError: (error: unknown, context: Record<string, unknown>) => void;
  }) {
    this.db = options.db;
    this.leaseMs = options.leaseMs;
    this.onFinished = options.onFinished;
    this.onUnexpectedError = options.onUnexpectedError;
  }

  /**
   * Takes the run's lease, starts the engine call and waits for its first event: by then the call's
   * pre-flight (validation, the exclusive save of answers) has succeeded and is durable. The rest of the call
   * continues in the background. `explainBusy` turns "another process holds the lease" into a better error.
   */
  async launch(
    runId: string,
    workflow: Workflow,
    start: (workflow: Workflow, signal: AbortSignal) => AsyncIterable<WorkflowEvent>,
    explainBusy?: () => Promise<Error>,
  ): Promise<void> {
    if (this.closed) throw new ServiceError("RUN_BUSY", "The service is shutting down");
    if (this.executions.has(runId)) throw new ServiceError("RUN_BUSY", `Run ${runId} is executing; wait until it pauses for review`, { details: { runId } });
    if (!(await this.acquireLease(runId))) {
      throw explainBusy ? await explainBusy() : new ServiceError("RUN_BUSY", `Run ${runId} is executing in another process`, { details: { runId } });
    }
    const controller = new AbortController();
    let iterator: AsyncIterator<WorkflowEvent>;
    let first: IteratorResult<WorkflowEvent>;
    try {
      iterator = start(workflow, controller.signal)[Symbol.asyncIterator]();
      first = await iterator.next();
    } catch (error) {
      releaseLease(this.db, { runId, owner: this.owner });
      throw error;
    }
    const execution: Execution = { done: Promise.resolve(), controller, liveText: "", liveAttempt: 1 };
    const renew = setInterval(() => {
      if (!this.renewLease(runId)) controller.abort(new ServiceError("RUN_BUSY", `Lost the lease on run ${runId}`));
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    renew.unref?.();
    execution.done = (async () => {
      let failure: { code: string; message: string } | undefined;
      try {
        for (let result = first; !result.done; result = await iterator.next()) {
          const event = result.value;
          trackLiveText(execution, event);
          if (event.type === "WorkflowFailed") failure = { code: event.code, message: event.message };
          this.publish(runId, event);
        }
        // a cancelled execution (shutdown, lost lease) stays "running": whoever holds the lease next resumes it
        if (!controller.signal.aborted || !failure) await this.onFinished(runId, failure ? { kind: "failed", error: failure } : { kind: "finished", workflow });
      } catch (error) {
        this.onUnexpectedError(error, { runId, during: "execution" });
        await this.onFinished(runId, { kind: "failed", error }).catch(() => {});
      } finally {
        clearInterval(renew);
        this.executions.delete(runId);
        releaseLease(this.db, { runId, owner: this.owner });
      }
    })();
    this.executions.set(runId, execution);
  }

  isExecuting(runId: string): boolean {
    return this.executions.has(runId);
  }

  liveText(runId: string): string | null {
    return this.executions.get(runId)?.liveText ?? null;
  }

  subscribe(runId: string, listener: Listener): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  async waitForIdle(runId: string): Promise<void> {
    await this.executions.get(runId)?.done;
  }

  /** Cancels every execution (their leases are released) and waits for them to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const execution of this.executions.values()) execution.controller.abort();
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.done));
  }

  private acquireLease(runId: string): Promise<boolean> {
    // A competing process may hold the lease only for the instant it takes to save its own answer; wait that out.
    const deadline = Date.now() + 2_000;
    return new Promise((resolve) => {
      const attempt = () => {
        if (this.renewLease(runId)) return resolve(true);
        if (Date.now() >= deadline) return resolve(false);
        setTimeout(attempt, 25);
      };
      attempt();
    });
  }

  private renewLease(runId: string): boolean {
    const now = Date.now();
    return tryAcquireLease(this.db, { runId, owner: this.owner, now, expiresAt: now + this.leaseMs });
  }

  private publish(runId: string, event: WorkflowEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.onUnexpectedError(error, { runId, during: "publish" });
      }
    }
  }
}

function trackLiveText(execution: Execution, event: WorkflowEvent): void {
  if (event.type === "SuperstepStarted") execution.liveText = "";
  if (event.type !== "AgentRunUpdate") return;
  // a retried model call starts its text over
  const attempt = event.attempt ?? 1;
  if (attempt !== execution.liveAttempt) execution.liveText = "";
  execution.liveAttempt = attempt;
  execution.liveText += event.textDelta;
}
