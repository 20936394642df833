import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  requestAlreadyAnsweredError,
  WorkflowError,
  type ChatClient,
  type CheckpointHeader,
  type CheckpointStorage,
  type RetryPolicy,
  Workflow,
  type WorkflowDefinition,
} from "@/lib/workflow";
import { briefSchema, createReleaseNotesWorkflow, reviewAnswerSchema } from "@/lib/release-notes";
import type { DatabaseConnection } from "@/db/client";
import { countRunsByStatus, findRun, insertRun, listAwaitingReview, listOrphanedRuns, listRunResponses, listRunsPage } from "@/db/run-queries";
import type { RunRow } from "@/db/schema";
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import type { CheckpointDetail, CheckpointListItem, RunDetail, RunEvent, RunListItem, RunPage, RunStatus, WriterInfo } from "./dto";
import { isServiceError, ServiceError } from "./errors";
import { RunExecutor } from "./run-executor";
import { checkpointListOf, decodeCursor, encodeCursor, runDetailOf, toListItem } from "./run-views";

export interface DraftgateServiceOptions {
  connection: DatabaseConnection;
  chatClient: ChatClient;
  /** How long a lease lasts without renewal; a crashed process's runs are picked up after this. */
  leaseMs?: number;
  /** How often a held lease is renewed; a third of the lease by default. */
  leaseRenewEveryMs?: number;
  /** Overrides the writer's retry policy (tests use short delays). */
  retry?: Partial<RetryPolicy>;
  /** Called for failures that are not the client's fault. */
  onUnexpectedError?: (error: unknown, context: Record<string, unknown>) => void;
  /** Close the connection in `close()` (when the service opened it). */
  ownsConnection?: boolean;
}

const submitSchema = z.object({ brief: briefSchema, submittedBy: z.string().trim().max(100).optional() });

/**
 * The use cases of Draftgate: submit a brief, follow runs, answer reviews, read checkpoint history, resume.
 * Owns the engine, the SQLite store and the runs this process executes. Route handlers, server actions and
 * the CLI are thin callers of this class.
 *
 * Runs execute in the background of the calling process. A lease on the run row makes sure one process at a
 * time executes a run; a crashed process's lease expires and `recoverRuns` picks its runs up again.
 */
export class DraftgateService {
  /** Reads only: every write goes through an execution's fenced storage (run-executor.ts). */
  readonly storage: CheckpointStorage;
  readonly writer: WriterInfo;
  private readonly connection: DatabaseConnection;
  private readonly chatClient: ChatClient;
  private readonly retry: Partial<RetryPolicy> | undefined;
  /** Serializes decisions per run within this process, so a loser is told who won rather than "busy". */
  private readonly runLocks = new Map<string, Promise<unknown>>();
  private readonly onUnexpectedError: (error: unknown, context: Record<string, unknown>) => void;
  private readonly ownsConnection: boolean;
  private readonly executor: RunExecutor;
  /** Built and validated once (graph checks, signature); each execution gets its own Workflow over it. */
  private definition: WorkflowDefinition | undefined;
  private isClosed = false;

  constructor(options: DraftgateServiceOptions) {
    this.connection = options.connection;
    this.chatClient = options.chatClient;
    this.writer = { ...options.chatClient.info };
    this.retry = options.retry;
    this.onUnexpectedError = options.onUnexpectedError ?? (() => {});
    this.ownsConnection = options.ownsConnection ?? false;
    const store = new SqliteCheckpointStorage(options.connection);
    this.storage = store;
    this.executor = new RunExecutor({
      db: options.connection.db,
      store,
      createWorkflow: (storage) => this.createWorkflow(storage),
      leaseMs: options.leaseMs ?? 15_000,
      ...(options.leaseRenewEveryMs ? { renewEveryMs: options.leaseRenewEveryMs } : {}),
      onUnexpectedError: this.onUnexpectedError,
    });
  }

  // ----- commands -----------------------------------------------------------------------------------------

  /** Validates and stores the brief, starts the run in the background, and returns once its first checkpoint is durable. */
  async submitBrief(input: { brief: unknown; submittedBy?: unknown }): Promise<{ runId: string; status: RunStatus }> {
    const parsed = submitSchema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
      const message = fieldErrors.brief?.[0] ?? fieldErrors.submittedBy?.[0] ?? "The submission is invalid.";
      throw new ServiceError("VALIDATION_FAILED", message, { fieldErrors });
    }
    const runId = randomUUID();
    const now = new Date().toISOString();
    insertRun(this.connection.db, {
      runId,
      brief: parsed.data.brief,
      submittedBy: parsed.data.submittedBy || null,
      status: "running",
      writer: this.writer.label,
      writerIsModel: this.writer.isModel,
      createdAt: now,
      updatedAt: now,
    });
    await this.withRunLock(runId, () => this.executor.launch(runId, (workflow, signal) => workflow.runStream(parsed.data.brief, { runId, signal })));
    return { runId, status: "running" };
  }

  /**
   * Records a reviewer's decision on the run's newest branch and continues the run in the background.
   * Resolves once the decision is durable (its checkpoint is committed).
   * @throws REQUEST_NOT_FOUND, REQUEST_ALREADY_ANSWERED (naming who and when), REQUEST_SUPERSEDED, VALIDATION_FAILED, RUN_BUSY
   */
  async answerRequest(input: { runId: string; requestId: string; response: unknown; respondedBy?: string | null }): Promise<{ runId: string; status: RunStatus }> {
    const response = reviewAnswerSchema.safeParse(input.response);
    if (!response.success) {
      throw new ServiceError("VALIDATION_FAILED", response.error.issues[0]?.message ?? "The answer must be text.", { fieldErrors: { response: response.error.issues.map((issue) => issue.message) } });
    }
    const respondedBy = normalizeName(input.respondedBy);
    this.requireRun(input.runId);
    await this.withRunLock(input.runId, async () => {
      const head = await this.newestCheckpoint(input.runId);
      const pendingHere = head?.summary.pendingRequests.some((request) => request.requestId === input.requestId);
      if (!head || !pendingHere) throw await this.explainUnanswerable(input.runId, input.requestId);
      await this.executor.launch(
        input.runId,
        (workflow, signal) => workflow.resumeStream(head.checkpointId, { responses: { [input.requestId]: response.data }, respondedBy, signal }),
        { explainBusy: () => this.explainUnanswerable(input.runId, input.requestId) },
      );
    });
    return { runId: input.runId, status: "running" };
  }

  /**
   * Continues a run from any of its checkpoints, optionally answering its pending requests up front (they are
   * then not asked again). Resuming a checkpoint that is not the run's newest starts a branch.
   *
   * Answers are exclusive by default: if someone already answered a request from this checkpoint, this fails
   * with REQUEST_ALREADY_ANSWERED (so the CLI and the dashboard racing on one request cannot both win). Pass
   * `branch: true` to answer it differently on purpose, as a new branch of history ("what if we had approved").
   */
  async resumeFromCheckpoint(input: { checkpointId: string; responses?: Record<string, unknown>; respondedBy?: string | null; branch?: boolean }): Promise<{ runId: string }> {
    const record = await this.storage.load(input.checkpointId);
    if (!record) throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${input.checkpointId} was not found`, { checkpointId: input.checkpointId });
    const responses: Record<string, string> = {};
    for (const [requestId, value] of Object.entries(input.responses ?? {})) {
      const parsed = reviewAnswerSchema.safeParse(value);
      if (!parsed.success) throw new ServiceError("VALIDATION_FAILED", `The answer to ${requestId} is invalid: ${parsed.error.issues[0]?.message ?? "must be text"}`);
      responses[requestId] = parsed.data;
    }
    const runId = record.runId;
    this.requireRun(runId);
    await this.withRunLock(runId, () =>
      this.executor.launch(runId, (workflow, signal) =>
        workflow.resumeStream(record.checkpointId, { responses, respondedBy: normalizeName(input.respondedBy), branch: input.branch ?? false, signal }),
      ),
    );
    return { runId };
  }

  /** "Retry from last checkpoint" for a failed run. */
  async retryRun(runId: string): Promise<{ runId: string }> {
    const run = this.requireRun(runId);
    if (run.status !== "failed") throw new ServiceError("RUN_BUSY", `Run ${runId} is ${run.status.replace("_", " ")}; only a failed run can be retried`);
    await this.withRunLock(runId, () => this.continueFromNewest(run));
    return { runId };
  }

  /**
   * Picks up runs that were executing when their process died (status running, lease expired): from their
   * newest checkpoint, or from the brief when not even the first checkpoint was written.
   */
  async recoverRuns(): Promise<string[]> {
    const recovered: string[] = [];
    for (const run of listOrphanedRuns(this.connection.db, { now: Date.now(), limit: 100 })) {
      if (this.executor.isExecuting(run.runId)) continue;
      try {
        await this.withRunLock(run.runId, () => this.continueFromNewest(run));
        recovered.push(run.runId);
      } catch (error) {
        if (isServiceError(error) && error.code === "RUN_BUSY") continue; // another process got there first
        this.onUnexpectedError(error, { runId: run.runId, during: "recovery" });
        await this.executor.failRun(run.runId, error);
      }
    }
    return recovered;
  }

  // ----- queries ------------------------------------------------------------------------------------------

  listRuns(params: { status?: RunStatus; limit?: number; cursor?: string | null } = {}): RunPage {
    const limit = Math.min(Math.max(params.limit ?? 25, 1), 200);
    const after = params.cursor ? decodeCursor(params.cursor) : undefined;
    const rows = listRunsPage(this.connection.db, { status: params.status, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { runs: page.map(toListItem), nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, runId: last.runId }) : null };
  }

  /** The reviewer's inbox: runs awaiting review, oldest first. */
  listInbox(params: { limit?: number } = {}): RunListItem[] {
    return listAwaitingReview(this.connection.db, { limit: Math.min(params.limit ?? 100, 10_000) }).map(toListItem);
  }

  hasRun(runId: string): boolean {
    return findRun(this.connection.db, runId) !== undefined;
  }

  countAwaitingReview(): number {
    return countRunsByStatus(this.connection.db, "awaiting_review");
  }

  async getRun(runId: string): Promise<RunDetail> {
    const run = this.requireRun(runId);
    const headers = await this.storage.list({ runId });
    const detail = runDetailOf(run, headers, listRunResponses(this.connection.db, runId), this.executor.isExecuting(runId));
    if (detail.status === "completed" && detail.publishedText === null) {
      // a run completed by release 1 that stopped before recording its text; read it (reads never write)
      const text = detail.headCheckpointId ? (await this.createWorkflow().loadCheckpoint(detail.headCheckpointId)).outputs.at(-1)?.data : undefined;
      if (typeof text === "string") return { ...detail, publishedText: text, outputs: [text] };
    }
    return detail;
  }

  /** Every checkpoint of a run, oldest first, as SPEC §7 summaries with their place in the tree. */
  async listCheckpoints(runId: string): Promise<CheckpointListItem[]> {
    const run = this.requireRun(runId);
    return checkpointListOf(run, await this.storage.list({ runId }));
  }

  /** The whole decoded checkpoint. @throws CHECKPOINT_NOT_FOUND, CHECKPOINT_CORRUPT, CHECKPOINT_INCOMPATIBLE */
  async getCheckpoint(checkpointId: string): Promise<CheckpointDetail> {
    const checkpoint = await this.createWorkflow().loadCheckpoint(checkpointId);
    const items = await this.listCheckpoints(checkpoint.runId);
    const summary = items.find((item) => item.checkpointId === checkpointId);
    if (!summary) throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${checkpointId} was not found`, { checkpointId });
    return { summary, checkpoint: checkpoint as unknown as Record<string, unknown> };
  }

  /** Text the writer has streamed so far in this process for a run that is executing here. */
  liveText(runId: string): string | null {
    return this.executor.liveText(runId);
  }

  /** Live engine events of a run executing in this process. Returns the unsubscribe function. */
  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    return this.executor.subscribe(runId, listener);
  }

  /** Resolves when the run's background execution in this process (if any) has finished. */
  async waitForIdle(runId: string): Promise<void> {
    await this.executor.waitForIdle(runId);
  }

  /**
   * Stops executing runs (their leases are released, so another process picks them up from their last
   * checkpoint), waits for them, and closes the database if this service opened it.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.executor.close();
    if (this.ownsConnection) this.connection.close();
  }

  // ----- execution ----------------------------------------------------------------------------------------

  private createWorkflow(storage: CheckpointStorage = this.storage): Workflow {
    this.definition ??= createReleaseNotesWorkflow({ chatClient: this.chatClient, ...(this.retry ? { retry: this.retry } : {}) }).definition;
    return new Workflow(this.definition, { storage });
  }

  /** Continues a run from its newest checkpoint (from the brief when not even the first was written). */
  private async continueFromNewest(run: RunRow): Promise<void> {
    const head = await this.newestCheckpoint(run.runId);
    await this.executor.launch(
      run.runId,
      (workflow, signal) => (head ? workflow.resumeStream(head.checkpointId, { signal }) : workflow.runStream(run.brief, { runId: run.runId, signal })),
      head ? { resumesFrom: head } : {},
    );
  }

  private requireRun(runId: string): RunRow {
    const run = findRun(this.connection.db, runId);
    if (!run) throw new ServiceError("RUN_NOT_FOUND", `Run ${runId} was not found`, { details: { runId } });
    return run;
  }

  private async withRunLock<T>(runId: string, body: () => Promise<T>): Promise<T> {
    const previous = this.runLocks.get(runId) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(body);
    this.runLocks.set(runId, current);
    try {
      return await current;
    } finally {
      if (this.runLocks.get(runId) === current) this.runLocks.delete(runId);
    }
  }

  /** The newest checkpoint's header (no body): what answering, retrying and recovering start from. */
  private async newestCheckpoint(runId: string): Promise<CheckpointHeader | undefined> {
    return (await this.storage.list({ runId, limit: 1 }))[0];
  }

  /** Why a request cannot be answered on the run's newest branch: already answered, superseded, or unknown. */
  private async explainUnanswerable(runId: string, requestId: string): Promise<Error> {
    const [first] = await this.storage.findResponses(requestId);
    if (first && first.runId === runId) return requestAlreadyAnsweredError(first);
    const headers = await this.storage.list({ runId });
    if (headers.some((header) => header.summary.pendingRequests.some((request) => request.requestId === requestId))) {
      if (this.executor.isExecuting(runId) || findRun(this.connection.db, runId)?.status === "running") {
        return new ServiceError("RUN_BUSY", `Run ${runId} is executing; request ${requestId} is not awaiting an answer right now`, { details: { runId, requestId } });
      }
      return new ServiceError("REQUEST_SUPERSEDED", `Request ${requestId} is on a branch that is no longer the run's newest; answer the newest request instead`, { details: { runId, requestId } });
    }
    return new WorkflowError("REQUEST_NOT_FOUND", `Request ${requestId} is not a request of run ${runId}`, { requestId, runId });
  }
}

function normalizeName(name: string | null | undefined): string | null {
  const trimmed = typeof name === "string" ? name.trim().slice(0, 100) : "";
  return trimmed === "" ? null : trimmed;
}
