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
import { collectRunResult, type RequestInfo, type RunResult, type WorkflowEvent } from "./events";
import type { Executor } from "./executor";
import { freezeJson, type JsonValue } from "./json";
import { toTypedMessage, type MessageTypeRegistry, type SendableMessage } from "./messages";
import { RequestInfoExecutor } from "./requests";
import { failRun, routeMessage, runSuperstepsUntilIdle, type Emit } from "./runner";
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
  describe: CheckpointDescriber | undefined;
  graphSignature: string;
}

/** What a workflow adds to each checkpoint's summary: a short preview, and structured details for programs. */
export type CheckpointDescriber = (checkpoint: Checkpoint) => { preview: string | null; details?: JsonValue };

/** How a call ended, as far as its result needs: which outputs are new, and whether nothing ran at all. */
interface CallOutcome {
  /** Outputs before this index were yielded by earlier calls. */
  firstNewOutput: number;
  /** A resume of a checkpoint that had already completed: nothing ran, nothing changed. */
  alreadyCompleted?: boolean;
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
  private readonly storage: CheckpointStorage | undefined;
  private state: RunState | undefined;
  private busy = false;
  private readonly encoder = new CheckpointEncoder();

  /**
   * @param options.storage where this instance saves and loads checkpoints, instead of the definition's (a
   * caller that guards its writes, e.g. with a lease, passes a storage that checks the guard on every save).
   */
  constructor(definition: WorkflowDefinition, options: { storage?: CheckpointStorage } = {}) {
    this.definition = definition;
    this.storage = options.storage ?? definition.storage;
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
    return this.startRun(input, options).events;
  }

  /** Collects {@link runStream}. */
  async run(input: SendableMessage, options: CallOptions & { runId?: string } = {}): Promise<RunResult> {
    return this.collect(this.startRun(input, options));
  }

  /**
   * Answers pending requests of the run this instance holds. Validated whole first: REQUEST_NOT_FOUND,
   * REQUEST_ALREADY_ANSWERED or RESPONSE_INVALID leave every request pending and nothing applied.
   */
  sendResponsesStream(responses: Record<string, unknown>, options: RespondOptions = {}): AsyncIterable<WorkflowEvent> {
    return this.startResponses(responses, options).events;
  }

  /** Collects {@link sendResponsesStream}. */
  async sendResponses(responses: Record<string, unknown>, options: RespondOptions = {}): Promise<RunResult> {
    return this.collect(this.startResponses(responses, options));
  }

  /**
   * Restores a checkpoint (in any process, on a new instance built from the same definition) and continues.
   * Pre-supplied `responses` are applied without re-emitting their requests; requests left unanswered are
   * emitted again. Resuming a checkpoint that is not the newest of its run starts a branch.
   * @throws WorkflowError CHECKPOINT_NOT_FOUND, CHECKPOINT_CORRUPT, CHECKPOINT_INCOMPATIBLE, and the response errors of `sendResponses`.
   */
  resumeStream(checkpointId: string, options: ResumeOptions = {}): AsyncIterable<WorkflowEvent> {
    return this.startResume(checkpointId, options).events;
  }

  /** Collects {@link resumeStream}; `alreadyCompleted` tells a completed checkpoint apart (its outputs are returned). */
  async resume(checkpointId: string, options: ResumeOptions = {}): Promise<ResumeResult> {
    const call = this.startResume(checkpointId, options);
    const result = await this.collect(call);
    return { ...result, alreadyCompleted: (await call.outcome).alreadyCompleted === true };
  }

  /**
   * Loads and validates a checkpoint of this workflow.
   * @throws WorkflowError CHECKPOINT_NOT_FOUND, CHECKPOINT_INCOMPATIBLE (another workflow or graph), CHECKPOINT_CORRUPT.
   */
  async loadCheckpoint(checkpointId: string): Promise<Checkpoint> {
    const storage = this.requireStorage(checkpointId);
    const record = await storage.load(checkpointId);
    if (!record)
      throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${checkpointId} was not found`, { checkpointId });
    return decodeCheckpoint(record, storage, this.definition.registry, {
      encoder: this.encoder,
      expected: { workflowName: this.definition.name, graphSignature: this.definition.graphSignature },
    });
  }

  private startRun(input: SendableMessage, options: CallOptions & { runId?: string }): Call {
    return this.call(options.signal, async (emit, signal) => {
      const typed = toTypedMessage(input);
      const startId = this.definition.startExecutorId;
      if (!this.definition.executors.get(startId)?.handles(typed.type.name)) {
        throw new WorkflowError(
          "MESSAGE_UNDELIVERABLE",
          `Start executor "${startId}" does not handle "${typed.type.name}"`,
        );
      }
      if (!typed.type.schema.safeParse(typed.value).success)
        throw new WorkflowError("MESSAGE_INVALID", `Run input does not match "${typed.type.name}"`);
      const value = freezeJson(typed.value as JsonValue, "run input");
      const state: RunState = {
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
        this.state = await this.saveCheckpoint(state, "initial", emit, signal);
      } catch (error) {
        // not even the input is durable: report it as a failed run, like any other write failure
        failRun(state, toWorkflowError(error, "CHECKPOINT_WRITE_FAILED"), emit);
        return { firstNewOutput: 0 };
      }
      await this.runToIdle(emit, signal);
      return { firstNewOutput: 0 };
    });
  }

  private startResponses(responses: Record<string, unknown>, options: RespondOptions): Call {
    return this.call(options.signal, async (emit, signal) => {
      const state = this.state;
      if (!state)
        throw new WorkflowError(
          "REQUEST_NOT_FOUND",
          `No run is held by this workflow instance; requests ${Object.keys(responses).join(", ")} are unknown`,
        );
      const saved: WorkflowEvent[] = [];
      this.state = await this.acceptResponses(
        state,
        responses,
        options.respondedBy ?? null,
        true,
        (event) => saved.push(event),
        signal,
      );
      emit({ type: "WorkflowStarted", runId: state.runId });
      saved.forEach(emit);
      emit({ type: "WorkflowStatus", runId: state.runId, state: "IN_PROGRESS" });
      await this.runToIdle(emit, signal);
      return { firstNewOutput: state.outputs.length };
    });
  }

  private startResume(checkpointId: string, options: ResumeOptions): Call {
    return this.call(options.signal, async (emit, signal) => {
      const checkpoint = await this.loadCheckpoint(checkpointId);
      let state = stateFromCheckpoint(checkpoint);
      const responses = options.responses ?? {};
      const saved: WorkflowEvent[] = [];
      if (Object.keys(responses).length > 0) {
        state = await this.acceptResponses(
          state,
          responses,
          options.respondedBy ?? null,
          !options.branch,
          (event) => saved.push(event),
          signal,
        );
      }
      this.state = state;
      const alreadyCompleted = checkpoint.status === "completed" && saved.length === 0;
      emit({ type: "WorkflowStarted", runId: state.runId });
      saved.forEach(emit);
      if (state.messages.length === 0 && state.pendingRequests.length === 0) {
        emit({ type: "WorkflowStatus", runId: state.runId, state: "IDLE" });
        return { firstNewOutput: alreadyCompleted ? 0 : checkpoint.outputs.length, alreadyCompleted };
      }
      emit({ type: "WorkflowStatus", runId: state.runId, state: "IN_PROGRESS" });
      for (const request of state.pendingRequests) {
        emit({ type: "RequestInfo", runId: state.runId, ...toRequestInfo(request) });
      }
      await this.runToIdle(emit, signal);
      return { firstNewOutput: checkpoint.outputs.length };
    });
  }

  private requireStorage(checkpointId: string): CheckpointStorage {
    if (!this.storage)
      throw new WorkflowError(
        "CHECKPOINT_NOT_FOUND",
        `Checkpoint ${checkpointId} cannot be loaded: checkpointing is off`,
        { checkpointId },
      );
    return this.storage;
  }

  private call(
    userSignal: AbortSignal | undefined,
    body: (emit: Emit, signal: AbortSignal) => Promise<CallOutcome>,
  ): Call {
    if (this.busy)
      throw new WorkflowError(
        "RUN_IN_PROGRESS",
        `Workflow "${this.definition.name}" is already running a call${this.state ? ` for run ${this.state.runId}` : ""}`,
      );
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
    const outcome = body((event) => channel.push(event), controller.signal).then(
      (result) => {
        finish();
        channel.close();
        return result;
      },
      (error: unknown) => {
        finish();
        channel.fail(error);
        throw error;
      },
    );
    outcome.catch(() => {}); // the stream reports the failure; the outcome is only read after it
    return { events: channel, outcome };
  }

  /** Collects a call's events; outputs come from the committed (durable) state, not from events. */
  private async collect(call: Call): Promise<RunResult> {
    const result = await collectRunResult(call.events);
    const { firstNewOutput } = await call.outcome;
    const outputs = (this.state?.outputs ?? []).slice(firstNewOutput).map((output) => output.data);
    return {
      ...result,
      outputs,
      pendingRequests: this.pendingRequests,
      lastCheckpointId: this.state?.lastCheckpointId ?? result.lastCheckpointId,
    };
  }

  private async runToIdle(emit: Emit, signal: AbortSignal): Promise<void> {
    this.state = await runSuperstepsUntilIdle(this.definition, this.state as RunState, {
      maxIterations: this.definition.maxIterations,
      emit,
      signal,
      save: async (next) => {
        const saved = await this.saveCheckpoint(next, "superstep", emit, signal);
        this.state = saved;
        return saved;
      },
    });
  }

  /** Validates answers as a whole, queues them as RequestResponse messages and saves a `responses` checkpoint. */
  private async acceptResponses(
    state: RunState,
    responses: Record<string, unknown>,
    respondedBy: string | null,
    exclusive: boolean,
    emit: Emit,
    signal: AbortSignal,
  ): Promise<RunState> {
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
        throw new WorkflowError("REQUEST_NOT_FOUND", `Request ${requestId} is not pending in run ${state.runId}`, {
          requestId,
          runId: state.runId,
        });
      }
      const node = this.definition.executors.get(request.requestExecutorId);
      const kind = node instanceof RequestInfoExecutor ? node.responseFor(request.type) : undefined;
      if (!kind)
        throw new WorkflowError(
          "REQUEST_NOT_FOUND",
          `Request ${requestId} belongs to "${request.requestExecutorId}", which takes no "${request.type}" answers`,
          { requestId },
        );
      const data = responses[requestId];
      const checked = kind.responseSchema.safeParse(data);
      if (!checked.success) {
        throw new WorkflowError(
          "RESPONSE_INVALID",
          `Response to request ${requestId} is invalid: ${checked.error.issues[0]?.message ?? "wrong shape"}`,
          { requestId },
        );
      }
      const value = freezeJson(
        { requestId, data: data as JsonValue, originalRequest: request.payload },
        `response to ${requestId}`,
      );
      for (const routed of routeMessage(this.definition, request.requestExecutorId, kind.responseType.of(value))) {
        if (routed.kind === "direct") messages.push(routed.message);
      }
      records.push({
        requestId,
        runId: state.runId,
        baseCheckpointId: state.lastCheckpointId ?? "",
        checkpointId: "",
        response: data as JsonValue,
        answeredBy: respondedBy,
        answeredAt,
      });
    }
    const next: RunState = {
      ...state,
      messages,
      pendingRequests: state.pendingRequests.filter((request) => !ids.includes(request.requestId)),
      answeredRequests: [
        ...state.answeredRequests,
        ...ids.map((requestId) => ({ requestId, answeredAt, answeredBy: respondedBy })),
      ],
    };
    return this.saveCheckpoint(next, "responses", emit, signal, { responses: records, exclusive });
  }

  private async saveCheckpoint(
    state: RunState,
    kind: CheckpointKind,
    emit: Emit,
    signal: AbortSignal,
    answers?: { responses: ResponseRecord[]; exclusive: boolean },
  ): Promise<RunState> {
    const storage = this.storage;
    if (!storage) return state;
    if (signal.aborted)
      throw new WorkflowError("CANCELLED", `Run ${state.runId} was cancelled before its checkpoint was saved`, {
        runId: state.runId,
      });
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
    const description = this.definition.describe?.(checkpoint);
    const summary = checkpointSummary(checkpoint, description?.preview ?? null, description?.details ?? null);
    const { record, blobs } = encodeCheckpoint(checkpoint, summary, this.encoder);
    const responses = answers?.responses.map((response) => ({ ...response, checkpointId: checkpoint.checkpointId }));
    try {
      await storage.save(record, { blobs, ...(responses ? { responses, exclusive: answers?.exclusive ?? true } : {}) });
    } catch (error) {
      this.encoder.resetAfterFailedSave();
      if (isWorkflowError(error, "REQUEST_ALREADY_ANSWERED")) throw error;
      throw new WorkflowError(
        "CHECKPOINT_WRITE_FAILED",
        `Saving checkpoint ${checkpoint.checkpointId} of run ${state.runId} failed: ${error instanceof Error ? error.message : String(error)}`,
        { checkpointId: checkpoint.checkpointId, runId: state.runId },
        { cause: error },
      );
    }
    this.encoder.markStored(blobs);
    emit({
      type: "CheckpointSaved",
      runId: state.runId,
      checkpointId: checkpoint.checkpointId,
      superstep: state.superstep,
      kind,
    });
    return { ...state, lastCheckpointId: checkpoint.checkpointId };
  }
}

/** A call in flight: its events, and how it ended once they are read. */
interface Call {
  events: AsyncIterable<WorkflowEvent>;
  outcome: Promise<CallOutcome>;
}

function stateFromCheckpoint(checkpoint: Checkpoint): RunState {
  const {
    runId,
    superstep,
    messages,
    sharedState,
    executorStates,
    fanInBuffers,
    pendingRequests,
    answeredRequests,
    outputs,
  } = checkpoint;
  return {
    runId,
    superstep,
    messages,
    sharedState,
    executorStates,
    fanInBuffers,
    pendingRequests,
    answeredRequests,
    outputs,
    lastCheckpointId: checkpoint.checkpointId,
  };
}

function toRequestInfo(request: RunState["pendingRequests"][number]): RequestInfo {
  return {
    requestId: request.requestId,
    sourceExecutorId: request.sourceExecutorId,
    requestType: request.type,
    data: request.payload,
  };
}
