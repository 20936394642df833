import { randomUUID } from "node:crypto";
import {
  CHECKPOINT_SCHEMA_VERSION,
  type Checkpoint,
  type CheckpointKind,
  type CheckpointStorage,
  type ResponseRecord,
} from "./checkpoint";
import { CheckpointEncoder, decodeCheckpoint, encodeCheckpoint } from "./codec";
import { INPUT_SOURCE_ID } from "./context";
import type { Edge } from "./edges";
import { isWorkflowError, requestAlreadyAnsweredError, toWorkflowError, WorkflowError } from "./errors";
import { EventChannel } from "./event-channel";
import { collectRunResult, type RequestInfo, type RunResult, type RunStatus, type WorkflowEvent } from "./events";
import type { Executor } from "./executor";
import { freezeJson, type JsonValue } from "./json";
import { toTypedMessage, type MessageTypeRegistry, type SendableMessage } from "./messages";
import { RequestInfoExecutor } from "./requests";
import { routeMessage, runSuperstep, type Emit } from "./runner";
import type { RunState } from "./state";
import { checkpointSummary } from "./summary";
import { isoNow } from "./time";

/** A validated graph, as `WorkflowBuilder.build()` produces it. */
export interface WorkflowDefinition {
  name: string;
  startExecutorId: string;
  executors: ReadonlyMap<string, Executor>;
  edges: readonly Edge[];
  registry: MessageTypeRegistry;
  maxIterations: number;
  storage: CheckpointStorage | undefined;
  preview: ((checkpoint: Checkpoint) => string | null) | undefined;
  graphSignature: string;
}

export interface CallOptions {
  /** Cancels between supersteps (and aborts model calls in flight). */
  signal?: AbortSignal;
}

export interface RespondOptions extends CallOptions {
  /** Who answered; recorded with the answer and named to anyone who answers the same request later. */
  respondedBy?: string | null;
}

export interface ResumeOptions extends RespondOptions {
  /** Answers for pending requests, applied without re-emitting their `RequestInfo` events. */
  responses?: Record<string, unknown>;
  /**
   * When false (the default) pre-supplied answers are exclusive: if someone already answered a request from
   * the same checkpoint, the resume fails with REQUEST_ALREADY_ANSWERED. When true the resume deliberately
   * starts another branch from a checkpoint that was already continued.
   */
  branch?: boolean;
}

/** A result of `resume` on a checkpoint that had already completed: nothing ran, nothing changed. */
export interface ResumeResult extends RunResult {
  alreadyCompleted: boolean;
}

/**
 * A runnable workflow. One instance runs one call at a time (a second concurrent call throws RUN_IN_PROGRESS).
 *
 * Streams (`runStream`, `sendResponsesStream`, `resumeStream`) yield events as they happen. Failures of
 * the call itself (bad responses, a missing/corrupt/incompatible checkpoint, an answer that lost a race)
 * are thrown by the stream before any event; failures of the run (a handler, the model, the convergence
 * limit, a checkpoint write) end the stream with `WorkflowFailed` and status FAILED, and the last
 * checkpoint stays resumable.
 */
export class Workflow {
  readonly definition: WorkflowDefinition;
  private state: RunState | undefined;
  private busy = false;
  /** Set by a resume that found its checkpoint already completed (nothing ran). */
  private resumedCompleted = false;
  private readonly encoder = new CheckpointEncoder();

  constructor(definition: WorkflowDefinition) {
    this.definition = definition;
  }

  get name(): string {
    return this.definition.name;
  }

  get graphSignature(): string {
    return this.definition.graphSignature;
  }

  /** The run this instance holds (after a call), or undefined. */
  get runId(): string | undefined {
    return this.state?.runId;
  }

  /** Every output the held run has yielded so far (across calls). */
  get outputs(): JsonValue[] {
    return (this.state?.outputs ?? []).map((output) => output.data);
  }

  /** Requests the held run is waiting on. */
  get pendingRequests(): RequestInfo[] {
    return (this.state?.pendingRequests ?? []).map(toRequestInfo);
  }

  /**
   * Starts a new run with `input` delivered to the start executor in superstep 1.
   * @example
   * for await (const event of workflow.runStream("Launch the grinder")) console.log(event.type);
   * @throws WorkflowError RUN_IN_PROGRESS at once when another call is running on this instance.
   */
  runStream(input: SendableMessage, options: CallOptions & { runId?: string } = {}): AsyncIterable<WorkflowEvent> {
    return this.call(options.signal, async (emit, signal) => {
      const typed = toTypedMessage(input);
      const startId = this.definition.startExecutorId;
      if (!this.definition.executors.get(startId)?.handles(typed.type.name)) {
        throw new WorkflowError("MESSAGE_UNDELIVERABLE", `Start executor "${startId}" does not handle "${typed.type.name}"`);
      }
      if (!typed.type.schema.safeParse(typed.value).success) throw new WorkflowError("MESSAGE_INVALID", `Run input does not match "${typed.type.name}"`);
      const value = freezeJson(typed.value as JsonValue, "run input");
      let state: RunState = {
        runId: options.runId ?? randomUUID(),
        superstep: 0,
        lastCheckpointId: null,
        messages: [{ sourceId: INPUT_SOURCE_ID, targetId: startId, type: typed.type.name, value }],
        sharedState: {},
        executorStates: {},
        fanInBuffers: {},
        pendingRequests: [],
        answeredRequests: [],
        outputs: [],
      };
      emit({ type: "WorkflowStarted", runId: state.runId });
      emit({ type: "WorkflowStatus", runId: state.runId, state: "IN_PROGRESS" });
      try {
        state = await this.saveCheckpoint(state, "initial", emit);
      } catch (error) {
        // not even the input is durable: report it as a failed run, like any other write failure
        this.failRun(state, toWorkflowError(error, "CHECKPOINT_WRITE_FAILED"), emit);
        return;
      }
      this.state = state;
      await this.runToIdle(emit, signal);
    });
  }

  /** Collects {@link runStream}. */
  async run(input: SendableMessage, options: CallOptions & { runId?: string } = {}): Promise<RunResult> {
    return this.collect(this.runStream(input, options));
  }

  /**
   * Answers pending requests of the run this instance holds. Validated whole first: REQUEST_NOT_FOUND,
   * REQUEST_ALREADY_ANSWERED or RESPONSE_INVALID leave every request pending and nothing applied.
   */
  sendResponsesStream(responses: Record<string, unknown>, options: RespondOptions = {}): AsyncIterable<WorkflowEvent> {
    return this.call(options.signal, async (emit, signal) => {
      const state = this.state;
      if (!state) throw new WorkflowError("REQUEST_NOT_FOUND", `No run is held by this workflow instance; requests ${Object.keys(responses).join(", ")} are unknown`);
      const saved: WorkflowEvent[] = [];
      this.state = await this.acceptResponses(state, responses, options.respondedBy ?? null, true, (event) => saved.push(event));
      emit({ type: "WorkflowStarted", runId: state.runId });
      saved.forEach(emit);
      emit({ type: "WorkflowStatus", runId: state.runId, state: "IN_PROGRESS" });
      await this.runToIdle(emit, signal);
    });
  }

  /** Collects {@link sendResponsesStream}. */
  async sendResponses(responses: Record<string, unknown>, options: RespondOptions = {}): Promise<RunResult> {
    return this.collect(this.sendResponsesStream(responses, options));
  }

  /**
   * Restores a checkpoint (in any process, on a new instance built from the same definition) and continues.
   * Pre-supplied `responses` are applied without re-emitting their requests; requests left unanswered are
   * emitted again. Resuming a checkpoint that is not the newest of its run starts a branch.
   * @throws WorkflowError CHECKPOINT_NOT_FOUND, CHECKPOINT_CORRUPT, CHECKPOINT_INCOMPATIBLE, and the response errors of `sendResponses`.
   */
  resumeStream(checkpointId: string, options: ResumeOptions = {}): AsyncIterable<WorkflowEvent> {
    return this.call(options.signal, async (emit, signal) => {
      const checkpoint = await this.loadCheckpoint(checkpointId);
      let state = stateFromCheckpoint(checkpoint);
      const responses = options.responses ?? {};
      const saved: WorkflowEvent[] = [];
      if (Object.keys(responses).length > 0) {
        state = await this.acceptResponses(state, responses, options.respondedBy ?? null, !options.branch, (event) => saved.push(event));
      }
      this.state = state;
      this.resumedCompleted = checkpoint.status === "completed" && saved.length === 0;
      emit({ type: "WorkflowStarted", runId: state.runId });
      saved.forEach(emit);
      if (state.messages.length === 0 && state.pendingRequests.length === 0) {
        emit({ type: "WorkflowStatus", runId: state.runId, state: "IDLE" });
        return;
      }
      emit({ type: "WorkflowStatus", runId: state.runId, state: "IN_PROGRESS" });
      for (const request of state.pendingRequests) {
        emit({ type: "RequestInfo", runId: state.runId, ...toRequestInfo(request) });
      }
      await this.runToIdle(emit, signal);
    });
  }

  /** Collects {@link resumeStream}; `alreadyCompleted` tells a completed checkpoint apart (its outputs are returned). */
  async resume(checkpointId: string, options: ResumeOptions = {}): Promise<ResumeResult> {
    this.resumedCompleted = false;
    const result = await this.collect(this.resumeStream(checkpointId, options));
    if (this.resumedCompleted && this.state) {
      return { ...result, outputs: this.state.outputs.map((output) => output.data), alreadyCompleted: true };
    }
    return { ...result, alreadyCompleted: false };
  }

  /** Loads and validates a checkpoint of this workflow. */
  async loadCheckpoint(checkpointId: string): Promise<Checkpoint> {
    const storage = this.requireStorage(checkpointId);
    const record = await storage.load(checkpointId);
    if (!record) throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${checkpointId} was not found`, { checkpointId });
    const checkpoint = await decodeCheckpoint(record, storage, this.definition.registry, this.encoder);
    if (checkpoint.workflowName !== this.definition.name || checkpoint.graphSignature !== this.definition.graphSignature) {
      throw new WorkflowError(
        "CHECKPOINT_INCOMPATIBLE",
        `Checkpoint ${checkpointId} was written by workflow "${checkpoint.workflowName}" with graph ${checkpoint.graphSignature}; this is "${this.definition.name}" with graph ${this.definition.graphSignature}`,
        { checkpointId },
      );
    }
    return checkpoint;
  }

  private requireStorage(checkpointId: string): CheckpointStorage {
    const storage = this.definition.storage;
    if (!storage) throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${checkpointId} cannot be loaded: checkpointing is off`, { checkpointId });
    return storage;
  }

  private call(userSignal: AbortSignal | undefined, body: (emit: Emit, signal: AbortSignal) => Promise<void>): AsyncIterable<WorkflowEvent> {
    if (this.busy) throw new WorkflowError("RUN_IN_PROGRESS", `Workflow "${this.definition.name}" is already running a call${this.state ? ` for run ${this.state.runId}` : ""}`);
    this.busy = true;
    const controller = new AbortController();
    const onUserAbort = () => controller.abort(userSignal?.reason);
    if (userSignal?.aborted) controller.abort(userSignal.reason);
    else userSignal?.addEventListener("abort", onUserAbort, { once: true });
    // a consumer that stops reading cancels the call
    const channel = new EventChannel<WorkflowEvent>(() => controller.abort());
    const finish = () => {
      this.busy = false;
      userSignal?.removeEventListener("abort", onUserAbort);
    };
    body((event) => channel.push(event), controller.signal).then(
      () => {
        finish();
        channel.close();
      },
      (error: unknown) => {
        finish();
        channel.fail(error);
      },
    );
    return channel;
  }

  private async collect(stream: AsyncIterable<WorkflowEvent>): Promise<RunResult> {
    const result = await collectRunResult(stream);
    return { ...result, pendingRequests: this.pendingRequests, lastCheckpointId: this.state?.lastCheckpointId ?? result.lastCheckpointId };
  }

  /** The superstep loop: deliver, run, commit, checkpoint — until idle, failed, cancelled or out of budget. */
  private async runToIdle(emit: Emit, signal: AbortSignal): Promise<void> {
    let state = this.state as RunState;
    let supersteps = 0;
    let status: RunStatus = "IN_PROGRESS";
    try {
      while (state.messages.length > 0) {
        if (signal.aborted) {
          emit({ type: "WorkflowStatus", runId: state.runId, state: "CANCELLED" });
          return;
        }
        if (supersteps >= this.definition.maxIterations) {
          throw new WorkflowError("CONVERGENCE_LIMIT", `Run ${state.runId} did not converge within ${this.definition.maxIterations} supersteps`, { runId: state.runId });
        }
        supersteps++;
        emit({ type: "SuperstepStarted", runId: state.runId, superstep: state.superstep + 1 });
        const next = await runSuperstep(this.definition, state, emit, signal);
        emit({ type: "SuperstepCompleted", runId: state.runId, superstep: next.superstep });
        state = await this.saveCheckpoint(next, "superstep", emit);
        this.state = state;
        if (state.pendingRequests.length > 0 && state.messages.length > 0 && status !== "IN_PROGRESS_PENDING_REQUESTS") {
          status = "IN_PROGRESS_PENDING_REQUESTS";
          emit({ type: "WorkflowStatus", runId: state.runId, state: status });
        }
      }
    } catch (error) {
      this.failRun(state, toWorkflowError(error, "EXECUTOR_FAILED"), emit);
      return;
    }
    emit({ type: "WorkflowStatus", runId: state.runId, state: state.pendingRequests.length > 0 ? "IDLE_WITH_PENDING_REQUESTS" : "IDLE" });
  }

  private failRun(state: RunState, error: WorkflowError, emit: Emit): void {
    const executorId = typeof error.details.executorId === "string" ? error.details.executorId : undefined;
    emit({ type: "WorkflowFailed", runId: state.runId, code: error.code, message: error.message, ...(executorId ? { executorId } : {}) });
    emit({ type: "WorkflowStatus", runId: state.runId, state: error.code === "CANCELLED" ? "CANCELLED" : "FAILED" });
  }

  /** Validates answers as a whole, queues them as RequestResponse messages and saves a `responses` checkpoint. */
  private async acceptResponses(state: RunState, responses: Record<string, unknown>, respondedBy: string | null, exclusive: boolean, emit: Emit): Promise<RunState> {
    const ids = Object.keys(responses);
    if (ids.length === 0) throw new WorkflowError("RESPONSE_INVALID", "No responses were given");
    const answeredAt = isoNow();
    const messages = [...state.messages];
    const records: ResponseRecord[] = [];
    for (const requestId of ids) {
      const request = state.pendingRequests.find((pending) => pending.requestId === requestId);
      if (!request) {
        const earlier = state.answeredRequests.find((answered) => answered.requestId === requestId);
        if (earlier) {
          throw requestAlreadyAnsweredError({ ...earlier, runId: state.runId });
        }
        throw new WorkflowError("REQUEST_NOT_FOUND", `Request ${requestId} is not pending in run ${state.runId}`, { requestId, runId: state.runId });
      }
      const node = this.definition.executors.get(request.requestExecutorId);
      const kind = node instanceof RequestInfoExecutor ? node.responseFor(request.type) : undefined;
      if (!kind) throw new WorkflowError("REQUEST_NOT_FOUND", `Request ${requestId} belongs to "${request.requestExecutorId}", which takes no "${request.type}" answers`, { requestId });
      const data = responses[requestId];
      const checked = kind.responseSchema.safeParse(data);
      if (!checked.success) {
        throw new WorkflowError("RESPONSE_INVALID", `Response to request ${requestId} is invalid: ${checked.error.issues[0]?.message ?? "wrong shape"}`, { requestId });
      }
      const value = freezeJson({ requestId, data: data as JsonValue, originalRequest: request.payload }, `response to ${requestId}`);
      for (const routed of routeMessage(this.definition, request.requestExecutorId, kind.responseType.of(value))) {
        if (routed.kind === "direct") messages.push(routed.message);
      }
      records.push({ requestId, runId: state.runId, baseCheckpointId: state.lastCheckpointId ?? "", checkpointId: "", response: data as JsonValue, answeredBy: respondedBy, answeredAt });
    }
    const next: RunState = {
      ...state,
      messages,
      pendingRequests: state.pendingRequests.filter((request) => !ids.includes(request.requestId)),
      answeredRequests: [...state.answeredRequests, ...ids.map((requestId) => ({ requestId, answeredAt, answeredBy: respondedBy }))],
    };
    return this.saveCheckpoint(next, "responses", emit, { responses: records, exclusive });
  }

  private async saveCheckpoint(
    state: RunState,
    kind: CheckpointKind,
    emit: Emit,
    answers?: { responses: ResponseRecord[]; exclusive: boolean },
  ): Promise<RunState> {
    const storage = this.definition.storage;
    if (!storage) return state;
    const { lastCheckpointId, ...contents } = state;
    const checkpoint: Checkpoint = {
      ...contents,
      checkpointId: randomUUID(),
      parentId: lastCheckpointId,
      workflowName: this.definition.name,
      graphSignature: this.definition.graphSignature,
      createdAt: isoNow(),
      kind,
      status: state.messages.length > 0 ? "running" : state.pendingRequests.length > 0 ? "awaiting_input" : "completed",
      schemaVersion: CHECKPOINT_SCHEMA_VERSION,
    };
    const summary = checkpointSummary(checkpoint, this.definition.preview?.(checkpoint) ?? null);
    const { record, blobs } = encodeCheckpoint(checkpoint, summary, this.encoder);
    const responses = answers?.responses.map((response) => ({ ...response, checkpointId: checkpoint.checkpointId }));
    try {
      await storage.save(record, { blobs, ...(responses ? { responses, exclusive: answers?.exclusive ?? true } : {}) });
    } catch (error) {
      this.encoder.resetAfterFailedSave();
      if (isWorkflowError(error, "REQUEST_ALREADY_ANSWERED")) throw error;
      throw new WorkflowError("CHECKPOINT_WRITE_FAILED", `Saving checkpoint ${checkpoint.checkpointId} of run ${state.runId} failed: ${error instanceof Error ? error.message : String(error)}`, { checkpointId: checkpoint.checkpointId, runId: state.runId }, { cause: error });
    }
    this.encoder.markStored(blobs);
    emit({ type: "CheckpointSaved", runId: state.runId, checkpointId: checkpoint.checkpointId, superstep: state.superstep, kind });
    return { ...state, lastCheckpointId: checkpoint.checkpointId };
  }
}

function stateFromCheckpoint(checkpoint: Checkpoint): RunState {
  const { runId, superstep, messages, sharedState, executorStates, fanInBuffers, pendingRequests, answeredRequests, outputs } = checkpoint;
  return { runId, superstep, messages, sharedState, executorStates, fanInBuffers, pendingRequests, answeredRequests, outputs, lastCheckpointId: checkpoint.checkpointId };
}

function toRequestInfo(request: RunState["pendingRequests"][number]): RequestInfo {
  return { requestId: request.requestId, sourceExecutorId: request.sourceExecutorId, requestType: request.type, data: request.payload };
}
