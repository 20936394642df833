import { randomUUID } from "node:crypto";
import os from "node:os";
import type { CheckpointHeader, CheckpointStorage, Workflow, WorkflowEvent } from "@/lib/workflow";
import type { Lease } from "@/db/run-queries";
import type { Store } from "@/db/store";
import type { RunEvent } from "./dto";
import { ServiceError } from "./errors";
import { ExecutionTrace } from "./execution-trace";
import { LiveRelay, trackLiveText, type EventTransport } from "./live-relay";
import { RunEventLog, type CatchUp } from "./run-event-log";
import { notifyRunFailed } from "./notifications/run-notifications";
import type { Outbox } from "./notifications/outbox";
import { describeRunFailure, type RunFailure } from "./run-failures";
import { FencedCheckpointStorage, leaseLostError, runHeadOf, type ExecutionIntent } from "./run-projection";

/** Receives each event with its id (stable across connections: see run-event-log.ts). */
type Listener = (event: RunEvent, eventId: string) => void;

interface Execution {
  lease: Lease;
  done: Promise<void>;
  controller: AbortController;
  /** Text the writer has streamed in the current attempt, for pages that open mid-stream. */
  liveText: string;
  liveAttempt: number;
  /** Recent events with their ids, so a client that reconnects gets exactly the ones it missed. */
  events: RunEventLog;
  trace: ExecutionTrace;
  /** The last "queued" mark written, so marks land in the order they were made. */
  queuedMark: Promise<void>;
}

export interface LaunchOptions {
  /** Turns "another process holds the lease" into a better error (e.g. who answered the request first). */
  explainBusy?: () => Promise<Error>;
  /**
   * The checkpoint the call resumes from without answering anything (a retry, a recovery): the run row is set
   * from it once the call has started, so a failed run that is retried no longer reads as failed.
   */
  resumesFrom?: CheckpointHeader;
  /** Who the execution acts for; its saves record their answers (and its action) in the audit trail. */
  intent: ExecutionIntent;
}

export interface RunExecutorOptions {
  store: Store;
  /** A workflow whose saves go through `storage` (the execution's fenced storage). */
  createWorkflow: (storage: CheckpointStorage) => Workflow;
  /** How long a lease lasts without renewal. */
  leaseMs: number;
  /** How often a held lease is renewed; a third of the lease by default. */
  renewEveryMs?: number;
  onUnexpectedError: (error: unknown, context: Record<string, unknown>) => void;
  /** Told of every run failure this process records, with its raw detail (for the log). */
  onRunFailed?: (runId: string, failure: RunFailure) => void;
  /** Where saves and failures record the notifications they cause (its clock: deadlines count from it too). */
  outbox: Outbox;
  /**
   * A web instance's executor (DRAFTGATE_ROLE=web): it runs a call only as far as its pre-flight (the brief's
   * first checkpoint, an answer's exclusive save), then stops and releases the lease; a worker continues the run.
   */
  handsOver?: boolean;
  /**
   * How this process hears the live events of runs other processes execute (and tells them of its own): with it,
   * a web instance's subscribers see a worker's tokens as they stream. Without it, only this process's runs.
   */
  liveEvents?: EventTransport;
}

/**
 * The runs this process executes: each under a lease on its row (so no other process executes it at the
 * same time), in the background, with its engine events fanned out to subscribers.
 *
 * Every write of an execution (checkpoints with their run-row projection, answers, a failure) is fenced by
 * its lease: it succeeds only while the lease's owner and token are still in the row. An execution that
 * loses its lease (it stalled, and another process took the run over) is cancelled and writes nothing more.
 */
export class RunExecutor {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly executions = new Map<string, Execution>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Subscribers told when relayed events may have been missed (see CatchUp.onGap), by run. */
  private readonly gapListeners = new Map<string, Set<() => void>>();
  private closed = false;
  private readonly relay: LiveRelay | undefined;

  constructor(private readonly options: RunExecutorOptions) {
    this.relay = options.liveEvents
      ? new LiveRelay(options.liveEvents, {
          isLocal: (runId) => this.executions.has(runId),
          onEvent: (runId, event, eventId) => this.deliver(runId, event, eventId),
          onGap: () => this.reportGap(),
          onError: options.onUnexpectedError,
        })
      : undefined;
  }

  /**
   * Takes the run's lease, starts the engine call on a fenced workflow and waits for its first event: by then
   * the call's pre-flight (validation, the exclusive save of answers) has succeeded and is durable. The rest
   * of the call continues in the background.
   */
  async launch(
    runId: string,
    start: (workflow: Workflow, signal: AbortSignal) => AsyncIterable<WorkflowEvent>,
    launchOptions: LaunchOptions,
  ): Promise<void> {
    if (this.closed) throw new ServiceError("RUN_BUSY", "The service is shutting down");
    if (this.executions.has(runId))
      throw new ServiceError("RUN_BUSY", `Run ${runId} is executing; wait until it pauses for review`, {
        details: { runId },
      });
    const lease = await this.acquireLease(runId);
    if (!lease) {
      throw launchOptions.explainBusy
        ? await launchOptions.explainBusy()
        : new ServiceError("RUN_BUSY", `Run ${runId} is executing in another process`, { details: { runId } });
    }
    const controller = new AbortController();
    const loseLease = () => controller.abort(leaseLostError(lease));
    const { intent } = launchOptions;
    const executionTrace = new ExecutionTrace(runId, intent.action?.kind ?? (intent.actor ? "run" : "recover"));
    const workflow = this.options.createWorkflow(
      new FencedCheckpointStorage(
        this.options.store.checkpoints,
        lease,
        intent,
        loseLease,
        this.options.outbox,
        executionTrace,
      ),
    );
    // registered before the call starts, so what the call reports early (a wait for a model slot) finds it
    const execution: Execution = {
      lease,
      done: Promise.resolve(),
      controller,
      liveText: "",
      liveAttempt: 1,
      events: new RunEventLog(),
      trace: executionTrace,
      queuedMark: Promise.resolve(),
    };
    this.executions.set(runId, execution);
    let iterator: AsyncIterator<WorkflowEvent>;
    let first: IteratorResult<WorkflowEvent>;
    try {
      iterator = start(workflow, controller.signal)[Symbol.asyncIterator]();
      first = await iterator.next();
      if (
        launchOptions.resumesFrom &&
        !(await this.queries.projectRunHead(lease, runHeadOf(launchOptions.resumesFrom)))
      )
        loseLease();
    } catch (error) {
      this.executions.delete(runId);
      await this.tryWrite(() => this.queries.releaseLease(lease), { runId, during: "release" });
      executionTrace.end(error);
      throw error;
    }
    if (this.options.handsOver) {
      // durable now; the engine goes no further here (closed at its first yield) and a worker claims the run
      this.executions.delete(runId);
      await iterator.return?.(undefined)?.catch(() => undefined);
      await this.tryWrite(() => this.queries.releaseLease(lease), { runId, during: "hand-over" });
      executionTrace.end();
      return;
    }
    const renew = setInterval(
      () => void this.renew(lease, loseLease),
      this.options.renewEveryMs ?? Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
    renew.unref?.();
    execution.done = (async () => {
      try {
        for (let result = first; !result.done; result = await iterator.next()) {
          const event = result.value;
          executionTrace.onEvent(event);
          trackLiveText(execution, event);
          // logged in the same step as the live text, so a snapshot's text and its event id agree
          const eventId = execution.events.append(event);
          // a cancelled call (shutdown, lost lease) records nothing: whoever holds the lease next resumes it
          if (event.type === "WorkflowFailed" && !controller.signal.aborted) await this.recordFailure(lease, event);
          this.deliver(runId, event, eventId);
          this.relay?.publish(runId, event, eventId);
        }
        executionTrace.end();
      } catch (error) {
        executionTrace.end(error);
        this.options.onUnexpectedError(error, { runId, during: "execution" });
        if (!controller.signal.aborted) await this.recordFailure(lease, error);
      } finally {
        clearInterval(renew);
        this.executions.delete(runId);
        await execution.queuedMark;
        await this.tryWrite(() => this.queries.releaseLease(lease), { runId, during: "release" });
      }
    })();
  }

  /**
   * Records that a run cannot be continued (e.g. its newest checkpoint is corrupt), under a lease of its own,
   * so recovery does not pick it up again and again. Does nothing if another process executes the run.
   */
  async failRun(runId: string, error: unknown): Promise<void> {
    const lease = await this.acquireLease(runId);
    if (!lease) return;
    try {
      await this.recordFailure(lease, error);
    } finally {
      await this.tryWrite(() => this.queries.releaseLease(lease), { runId, during: "release" });
    }
  }

  /** Shows the run as waiting for a model slot (or no longer), under its execution's lease. */
  markQueued(runId: string, isQueued: boolean): void {
    const execution = this.executions.get(runId);
    if (!execution) return;
    const queuedAt = isQueued ? new Date().toISOString() : null;
    execution.queuedMark = execution.queuedMark.then(() =>
      this.tryWrite(() => this.queries.setRunQueued(execution.lease, queuedAt), {
        runId,
        during: "marking the run queued",
      }),
    );
  }

  /** The spans of the run's execution in this process, if it executes here (model calls hang under them). */
  traceOf(runId: string): ExecutionTrace | undefined {
    return this.executions.get(runId)?.trace;
  }

  isExecuting(runId: string): boolean {
    return this.executions.has(runId);
  }

  liveText(runId: string): string | null {
    return (this.executions.get(runId) ?? this.relay?.mirrorOf(runId))?.liveText ?? null;
  }

  /**
   * Adds a listener for the run's events. First, synchronously (so no event falls between), catches it up: the
   * events after `catchUp.afterEventId` if this execution still holds them, else `catchUp.onSnapshot`.
   */
  subscribe(runId: string, listener: Listener, catchUp: CatchUp = {}): () => void {
    // executing here, or mirrored from the process that executes it
    const execution = this.executions.get(runId) ?? this.relay?.mirrorOf(runId);
    const missed = catchUp.afterEventId === undefined ? undefined : execution?.events.after(catchUp.afterEventId);
    if (missed) for (const { id, event } of missed) listener(event, id);
    else
      catchUp.onSnapshot?.({
        liveText: execution?.liveText ?? null,
        liveAttempt: execution?.liveAttempt ?? null,
        eventId: execution?.events.lastId ?? null,
      });
    const removeListener = addTo(this.listeners, runId, listener);
    const removeGapListener = catchUp.onGap ? addTo(this.gapListeners, runId, catchUp.onGap) : () => {};
    return () => {
      removeListener();
      removeGapListener();
    };
  }

  /** Tells the subscribers of runs executing elsewhere that they may have missed events. */
  private reportGap(): void {
    for (const [runId, onGaps] of [...this.gapListeners]) {
      if (this.executions.has(runId)) continue; // this process's own events never travel the relay
      for (const onGap of [...onGaps]) {
        try {
          onGap();
        } catch (error) {
          this.options.onUnexpectedError(error, { runId, during: "relay gap" });
        }
      }
    }
  }

  async waitForIdle(runId: string): Promise<void> {
    await this.executions.get(runId)?.done;
  }

  /** Cancels every execution (their leases are released) and waits for them to stop. */
  async close(): Promise<void> {
    this.closed = true;
    this.relay?.close();
    for (const execution of this.executions.values()) execution.controller.abort();
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.done));
  }

  private get queries() {
    return this.options.store.queries;
  }

  private async acquireLease(runId: string): Promise<Lease | undefined> {
    // A competing process may hold the lease only for the instant it takes to save its own answer; wait that out.
    const deadline = Date.now() + 2_000;
    for (;;) {
      const now = Date.now();
      const lease = await this.queries.acquireLease({
        runId,
        owner: this.owner,
        now,
        expiresAt: now + this.options.leaseMs,
      });
      if (lease) return lease;
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Runs on a timer: a renewal that finds the run taken over cancels the execution; a busy database is only logged. */
  private async renew(lease: Lease, loseLease: () => void): Promise<void> {
    await this.tryWrite(
      async () => {
        if (!(await this.queries.renewLease(lease, Date.now() + this.options.leaseMs))) loseLease();
      },
      { runId: lease.runId, during: "lease renewal" },
    );
  }

  private async recordFailure(lease: Lease, error: unknown): Promise<void> {
    const failure = describeRunFailure(error);
    // the raw cause (provider messages, addresses) goes to the log and to admins; the run page says it in words
    this.options.onRunFailed?.(lease.runId, failure);
    const updatedAt = new Date().toISOString();
    const record = (tx: Store["queries"]) =>
      tx.recordRunFailure(lease, {
        errorCode: failure.code,
        errorMessage: failure.message,
        errorDetail: failure.detail,
        updatedAt,
      });
    // the submitter and the admins hear of it with the failure, in its transaction
    const recordAndNotify = () =>
      this.options.store.transaction(async (tx) => {
        if (await record(tx))
          await notifyRunFailed(tx, this.options.outbox, { runId: lease.runId, failure, at: updatedAt });
      });
    await this.tryWrite(recordAndNotify, {
      runId: lease.runId,
      during: "recording a failure",
    });
  }

  /** A write outside any request (timers, background executions): a failure is logged, never thrown. */
  private async tryWrite(write: () => Promise<unknown>, context: Record<string, unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.options.onUnexpectedError(error, context);
    }
  }

  private deliver(runId: string, event: WorkflowEvent, eventId: string): void {
    for (const listener of this.listeners.get(runId) ?? []) {
      try {
        listener(event, eventId);
      } catch (error) {
        this.options.onUnexpectedError(error, { runId, during: "publish" });
      }
    }
  }
}

/** Adds `item` to the set under `key`; the returned function removes it (and the set once empty). */
function addTo<T>(sets: Map<string, Set<T>>, key: string, item: T): () => void {
  const set = sets.get(key) ?? new Set<T>();
  set.add(item);
  sets.set(key, set);
  return () => {
    set.delete(item);
    if (set.size === 0) sets.delete(key);
  };
}
