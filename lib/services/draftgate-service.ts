import { randomUUID } from "node:crypto";
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
import { z } from "zod";
import {
  briefSchema,
  createReleaseNotesWorkflow,
  RELEASE_NOTES_VERSION,
  RELEASE_NOTES_WORKFLOW,
} from "@/lib/release-notes";
import { DEFAULT_POLICY } from "@/db/review-queries";
import type { DurableTimerRow, NewReviewVoteRow, RunRow } from "@/db/schema";
import type { Store } from "@/db/store";
import { hasPermission, requirePermission, type Actor } from "./actor";
import type {
  AnswerResult,
  Assignee,
  CheckpointDetail,
  CheckpointListItem,
  ReviewPolicy,
  RunDetail,
  RunEvent,
  RunListItem,
  RunPage,
  RunPermissions,
  RunStatus,
  TimerTickReport,
  WriterInfo,
} from "./dto";
import { isServiceError, ServiceError } from "./errors";
import { ActionLimits, DEFAULT_ACTION_LIMITS, type ActionLimitConfig, type LimitedAction } from "./action-limits";
import { DurableTimers, type Clock } from "./durable-timers";
import { ModelSlots } from "./model-slots";
import { NotificationService, type NotificationServiceOptions } from "./notifications/notification-service";
import type { Outbox } from "./notifications/outbox";
import { DEADLINE_ACTOR, deadlineTimerHandlers, planMissingDeadlines, TIMER_KINDS } from "./review-deadlines";
import { PeopleService } from "./people-service";
import type { RunFailure } from "./run-failures";
import type { CatchUp } from "./run-event-log";
import type { EventTransport } from "./live-relay";
import { RunExecutor } from "./run-executor";
import type { ExecutionIntent } from "./run-projection";
import { draftSha256, engineAnswerOf, isApproving, parseDecision, type ReviewerDecision } from "./review-decisions";
import { checkpointListOf, decodeCursor, encodeCursor, pendingDraftsOf, runDetailOf, toListItem } from "./run-views";

const MINUTES_PER_YEAR = 525_600;
const minutes = (what: string, min: number) =>
  z
    .number({ error: `${what}: enter a number of minutes.` })
    .int(`${what}: whole minutes.`)
    .min(min, `${what}: at least ${min} minute${min === 1 ? "" : "s"}.`)
    .max(MINUTES_PER_YEAR, `${what}: at most a year.`);

/** A policy change; every field optional (unnamed fields keep the current version's value), null turns a timer off. */
const reviewPolicyInputSchema = z.object({
  // more than a team of reviewers plausibly gives one launch note
  requiredApprovals: z
    .number({ error: "Required approvals: enter a whole number." })
    .int("Required approvals: a whole number.")
    .min(1, "Required approvals: at least 1.")
    .max(10, "Required approvals: at most 10.")
    .optional(),
  deadlineMinutes: minutes("Deadline", 1).optional(),
  reminderMinutesBefore: minutes("Reminder", 1).nullable().optional(),
  escalateToUserIds: z.array(z.string().min(1)).max(50, "Escalate to at most 50 people.").optional(),
  expireAfterMinutes: minutes("Expiry", 1).nullable().optional(),
});

export interface DraftgateServiceOptions {
  /** The database (SQLite or PostgreSQL); `close()` closes it when the store owns its connection. */
  store: Store;
  chatClient: ChatClient;
  /** How long a lease lasts without renewal; a crashed process's runs are picked up after this. */
  leaseMs?: number;
  /** How often a held lease is renewed; a third of the lease by default. */
  leaseRenewEveryMs?: number;
  /** Overrides the writer's retry policy (tests use short delays). */
  retry?: Partial<RetryPolicy>;
  /** Called for failures that are not the client's fault. */
  onUnexpectedError?: (error: unknown, context: Record<string, unknown>) => void;
  /** Model calls this process makes at once (3 by default); further runs wait, shown as queued. */
  modelConcurrency?: number;
  /** Per-minute limits on briefs, answers, resumes and sign-ins (0 turns one off). */
  limits?: Partial<ActionLimitConfig>;
  /** Told of every run failure with its raw detail (the log). */
  onRunFailed?: (runId: string, failure: RunFailure) => void;
  /** Epoch milliseconds now, for deadlines and timers; tests move it instead of sleeping. */
  clock?: Clock;
  /** How long this process's claim on firing timers (and delivering notifications) lasts without renewal. */
  timerLeaseMs?: number;
  /** A web instance (DRAFTGATE_ROLE=web): calls stop after their pre-flight and workers (`npm run worker`) continue them. */
  handsOverRuns?: boolean;
  /** How processes hear each other's live run events; the store's (PostgreSQL LISTEN/NOTIFY) by default. */
  liveEvents?: EventTransport;
  /** How notifications reach people; without it, links point at localhost:3000 and no email is sent. */
  notifications?: Pick<NotificationServiceOptions, "senders" | "mailFrom" | "random" | "onAttempt">;
}

/**
 * The use cases of Draftgate: submit a brief, follow runs, answer reviews, read checkpoint history, resume.
 * Owns the engine, the store and the runs this process executes. Route handlers, server actions and
 * the CLI are thin callers of this class.
 *
 * Runs execute in the background of the calling process. A lease on the run row makes sure one process at a
 * time executes a run; a crashed process's lease expires and `recoverRuns` picks its runs up again.
 */
export class DraftgateService {
  /** Reads only: every write goes through an execution's fenced storage (run-executor.ts). */
  readonly storage: CheckpointStorage;
  /** People, roles, invitations, API keys and workspace settings, on the same database. */
  readonly people: PeopleService;
  readonly writer: WriterInfo;
  /** The database: queries, transactions and the checkpoints (SQLite or PostgreSQL). */
  readonly store: Store;
  /** The writer, behind this process's model-call slots. */
  private readonly chatClient: ModelSlots;
  private readonly limits: ActionLimits;
  private readonly retry: Partial<RetryPolicy> | undefined;
  /** Serializes decisions per run within this process, so a loser is told who won rather than "busy". */
  private readonly runLocks = new Map<string, Promise<unknown>>();
  private readonly onUnexpectedError: (error: unknown, context: Record<string, unknown>) => void;
  private readonly executor: RunExecutor;
  private readonly clock: Clock;
  /** Deadline reminders, escalations and expiries: `timers.start(ms)` in a long-running process (the server). */
  readonly timers: DurableTimers;
  /** Preferences, channels, deliveries; `notifications.dispatcher.start(ms)` in a long-running process. */
  readonly notifications: NotificationService;
  /** Built and validated once (graph checks, signature); each execution gets its own Workflow over it. */
  private definition: WorkflowDefinition | undefined;
  private isClosed = false;

  constructor(options: DraftgateServiceOptions) {
    this.store = options.store;
    this.chatClient = new ModelSlots(options.chatClient, options.modelConcurrency ?? 3, {
      onQueued: (runId) => this.executor.markQueued(runId, true),
      onDequeued: (runId) => this.executor.markQueued(runId, false),
      traceOf: (runId) => this.executor.traceOf(runId),
    });
    this.writer = { ...options.chatClient.info };
    this.limits = new ActionLimits(options.store, { ...DEFAULT_ACTION_LIMITS, ...options.limits });
    this.retry = options.retry;
    this.onUnexpectedError = options.onUnexpectedError ?? (() => {});
    this.storage = options.store.checkpoints;
    this.people = new PeopleService({ store: options.store, limits: this.limits });
    this.clock = options.clock ?? Date.now;
    const senders = options.notifications?.senders ?? { appUrl: "http://localhost:3000" };
    this.notifications = new NotificationService({
      store: options.store,
      senders,
      mailFrom: options.notifications?.mailFrom ?? null,
      clock: this.clock,
      leaseMs: options.timerLeaseMs ?? 15_000,
      onError: (error, context) => this.onUnexpectedError(error, context),
      ...(options.notifications?.random ? { random: options.notifications.random } : {}),
      ...(options.notifications?.onAttempt ? { onAttempt: options.notifications.onAttempt } : {}),
    });
    const outbox: Outbox = { emailEnabled: senders.email !== undefined, now: this.clock };
    this.timers = new DurableTimers(options.store, {
      clock: this.clock,
      ...(options.timerLeaseMs ? { leaseMs: options.timerLeaseMs } : {}),
      handlers: deadlineTimerHandlers({ outbox, expire: (timer) => this.expireRequest(timer) }),
      // runs paused before deadlines existed get theirs from when they were asked
      prepare: () => planMissingDeadlines(this.store),
      onError: (error, context) => this.onUnexpectedError(error, context),
    });
    // the database's channel between processes (PostgreSQL), unless the caller brings its own
    const liveEvents = options.liveEvents ?? options.store.liveEvents;
    this.executor = new RunExecutor({
      store: options.store,
      createWorkflow: (storage) => this.createWorkflow(storage),
      leaseMs: options.leaseMs ?? 15_000,
      ...(options.leaseRenewEveryMs ? { renewEveryMs: options.leaseRenewEveryMs } : {}),
      onUnexpectedError: this.onUnexpectedError,
      ...(options.onRunFailed ? { onRunFailed: options.onRunFailed } : {}),
      outbox,
      ...(options.handsOverRuns ? { handsOver: true } : {}),
      ...(liveEvents ? { liveEvents } : {}),
    });
  }

  // ----- commands -----------------------------------------------------------------------------------------

  /** Validates and stores the brief, starts the run in the background, and returns once its first checkpoint is durable. */
  async submitBrief(actor: Actor, input: { brief: unknown }): Promise<{ runId: string; status: RunStatus }> {
    requirePermission(actor, "runs:submit", "submit briefs");
    await this.consumeLimit("submit", actor);
    const parsed = briefSchema.safeParse(input.brief);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "The brief is invalid.";
      throw new ServiceError("VALIDATION_FAILED", message, {
        fieldErrors: { brief: parsed.error.issues.map((issue) => issue.message) },
      });
    }
    const runId = randomUUID();
    const now = new Date().toISOString();
    await this.store.transaction(async (tx) => {
      // the run keeps the approval policy it started with, whatever admins change later
      const policy = await tx.currentPolicy(RELEASE_NOTES_WORKFLOW);
      await tx.insertRun({
        workflowVersion: RELEASE_NOTES_VERSION,
        policyVersion: policy?.version ?? null,
        requiredApprovals: policy?.requiredApprovals ?? 1,
        runId,
        brief: parsed.data,
        submittedBy: actor.name,
        submittedById: actor.userId,
        status: "running",
        writer: this.writer.label,
        writerIsModel: this.writer.isModel,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insertRunAudit({ runId, at: now, action: "submitted", ...auditActor(actor) });
    });
    await this.withRunLock(runId, () =>
      this.executor.launch(runId, (workflow, signal) => workflow.runStream(parsed.data, { runId, signal }), {
        intent: { actor },
      }),
    );
    return { runId, status: "running" };
  }

  /**
   * A reviewer's decision on the draft awaiting review on the run's newest branch: approve, request a revision,
   * edit and approve, or reject (SPEC §9's text answers still work). An approval short of the run's quorum is
   * recorded and the draft keeps waiting (`awaiting_review`); the one that completes it, and every other decision,
   * continues the run in the background, resolving once the decision is durable.
   * @throws FORBIDDEN, SELF_APPROVAL_FORBIDDEN, ALREADY_APPROVED, DRAFT_CHANGED, REQUEST_NOT_FOUND, REQUEST_ALREADY_ANSWERED (naming who and when), REQUEST_SUPERSEDED, REVISION_LIMIT_REACHED, VALIDATION_FAILED, RUN_BUSY
   */
  async answerRequest(
    actor: Actor,
    input: { runId: string; requestId: string; response: unknown },
  ): Promise<AnswerResult> {
    requirePermission(actor, "runs:answer", "answer review requests");
    // the lock is queued before anything is awaited (the rate limit and the run are database reads, which may come
    // back in any order on PostgreSQL), so racing answers take it in the order they arrived
    return this.withRunLock(input.runId, async () => {
      await this.consumeLimit("answer", actor);
      const decision = parseDecision(input.response);
      const run = await this.requireRun(input.runId);
      if (isApproving(decision)) await this.requireMayApprove(actor, run);
      return this.decide(actor, run, input.requestId, decision);
    });
  }

  /**
   * Continues a run from any of its checkpoints, optionally answering its pending requests up front (they are
   * then not asked again). Resuming a checkpoint that is not the run's newest starts a branch (admins only);
   * resuming any checkpoint of a completed run re-opens it (admins only, with a reason).
   *
   * Answers are exclusive by default: if someone already answered a request from this checkpoint, this fails
   * with REQUEST_ALREADY_ANSWERED (so the CLI and the dashboard racing on one request cannot both win). Pass
   * `branch: true` to answer it differently on purpose, as a new branch of history ("what if we had approved").
   */
  async resumeFromCheckpoint(
    actor: Actor,
    input: { checkpointId: string; responses?: Record<string, unknown>; branch?: boolean; reason?: string },
  ): Promise<AnswerResult> {
    requirePermission(actor, "runs:read", "see runs");
    await this.consumeLimit("resume", actor);
    const record = await this.storage.load(input.checkpointId);
    if (!record)
      throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${input.checkpointId} was not found`, {
        checkpointId: input.checkpointId,
      });
    const decisions = Object.entries(input.responses ?? {}).map(([requestId, value]) => ({
      requestId,
      decision: parseDecision(value),
    }));
    const run = await this.requireRun(record.runId);
    // Someone who answers what they saw, unaware another answer came first, learns who won (not who may branch).
    if (decisions.length > 0 && !input.branch)
      await this.refuseAnsweredRequests(
        record.checkpointId,
        decisions.map((answer) => answer.requestId),
      );
    const isNewest = (await this.newestCheckpoint(run.runId))?.checkpointId === record.checkpointId;
    const isEnded = run.status === "completed" || run.status === "rejected";
    if (decisions.length > 0) {
      requirePermission(actor, "runs:answer", "answer review requests");
      for (const { decision } of decisions) if (isApproving(decision)) await this.requireMayApprove(actor, run);
    }
    if (isNewest && !isEnded && !input.branch && decisions.length === 1) {
      // answering the newest draft up front is answering it: approvals count toward the run's quorum
      const [{ requestId, decision }] = decisions as [{ requestId: string; decision: ReviewerDecision }];
      return this.withRunLock(run.runId, () => this.decide(actor, run, requestId, decision));
    }
    let action: ExecutionIntent["action"];
    if (isEnded) {
      requirePermission(actor, "runs:reopen", `re-open a ${run.status} run`);
      const reason = input.reason?.trim() ?? "";
      if (reason === "")
        throw new ServiceError(
          "VALIDATION_FAILED",
          `Say why you re-open a ${run.status} run: the reason is kept in its audit trail.`,
          { fieldErrors: { reason: [`A reason is required to re-open a ${run.status} run.`] } },
        );
      action = { kind: "reopened", reason: reason.slice(0, 2_000) };
    } else if (!isNewest) {
      requirePermission(actor, "runs:branch", "resume from an older checkpoint (a branch)");
      action = { kind: "resumed" };
    } else if (decisions.length === 0) {
      // continuing the newest checkpoint without answering anything is a retry
      this.requireMayRetry(actor, run);
      action = { kind: "resumed" };
    }
    const pending = pendingDraftsOf(record.summary);
    for (const { requestId, decision } of decisions) {
      const request = pending.find((candidate) => candidate.requestId === requestId);
      if (decision.kind === "revise" && request) await this.requireRevisionAllowed(request);
      // a branch or a re-opening applies its answers at once: an approval there may not stand in for a quorum
      if (isApproving(decision) && run.requiredApprovals > 1) {
        throw new ServiceError(
          "FORBIDDEN",
          `This run needs ${run.requiredApprovals} approvals, which a branch or a re-opening cannot collect at once. Resume with guidance for a revision (its draft then waits for approvals), or answer the run's current draft.`,
          { details: { runId: run.runId, requiredApprovals: run.requiredApprovals } },
        );
      }
    }
    if (
      decisions.length === 0 &&
      (isEnded || !isNewest) &&
      record.summary.targets.length === 0 &&
      record.summary.pendingRequests.length > 0
    ) {
      // a branch from a checkpoint that only waits for its review would run nothing and change nothing
      throw new ServiceError(
        "VALIDATION_FAILED",
        "This checkpoint waits for a review: give the answer to start from here (guidance for a revision, or approve).",
        {
          fieldErrors: { responses: ["Answer the review to resume from this checkpoint."] },
        },
      );
    }
    const responses = Object.fromEntries(
      decisions.map(({ requestId, decision }) => [requestId, engineAnswerOf(decision, true)]),
    );
    const votes = decisions.flatMap(({ requestId, decision }) => {
      const request = pending.find((candidate) => candidate.requestId === requestId);
      return request ? voteFor(actor, run.runId, request, decision) : [];
    });
    await this.withRunLock(run.runId, () =>
      this.executor.launch(
        run.runId,
        (workflow, signal) =>
          workflow.resumeStream(record.checkpointId, {
            responses,
            respondedBy: actor.name,
            branch: input.branch ?? false,
            signal,
          }),
        { intent: { actor, votes, ...(action ? { action } : {}) } },
      ),
    );
    return { runId: run.runId, status: "running", approvals: null };
  }

  /** "Retry from last checkpoint" for a failed run: its submitter or an admin. */
  async retryRun(actor: Actor, runId: string): Promise<{ runId: string }> {
    const run = await this.requireRun(runId);
    this.requireMayRetry(actor, run);
    if (run.status !== "failed")
      throw new ServiceError(
        "RUN_BUSY",
        `Run ${runId} is ${run.status.replace("_", " ")}; only a failed run can be retried`,
      );
    await this.withRunLock(runId, () => this.continueFromNewest(run, { actor, action: { kind: "retried" } }));
    return { runId };
  }

  /**
   * Picks up runs that were executing when their process died (status running, lease expired): from their
   * newest checkpoint, or from the brief when not even the first checkpoint was written. The process acts
   * here, not a person.
   */
  async recoverRuns(): Promise<string[]> {
    const recovered: string[] = [];
    for (const run of await this.store.queries.listOrphanedRuns({ now: Date.now(), limit: 100 })) {
      if (this.executor.isExecuting(run.runId)) continue;
      try {
        await this.withRunLock(run.runId, () => this.continueFromNewest(run, { actor: null }));
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

  async listRuns(
    actor: Actor,
    params: { status?: RunStatus; limit?: number; cursor?: string | null } = {},
  ): Promise<RunPage> {
    requirePermission(actor, "runs:read", "see runs");
    const limit = Math.min(Math.max(params.limit ?? 25, 1), 200);
    const after = params.cursor ? decodeCursor(params.cursor) : undefined;
    const rows = await this.store.queries.listRunsPage({ status: params.status, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      runs: page.map(toListItem),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, runId: last.runId }) : null,
    };
  }

  /** The reviewer's inbox: runs awaiting review, oldest first; `assigned: "me"` keeps those assigned to the actor. */
  async listInbox(actor: Actor, params: { limit?: number; assigned?: "me" | "all" } = {}): Promise<RunListItem[]> {
    requirePermission(actor, "runs:read", "see runs");
    const assigneeId = params.assigned === "me" ? (actor.userId ?? "") : undefined;
    const rows = await this.store.queries.listAwaitingReview({
      limit: Math.min(params.limit ?? 100, 10_000),
      ...(assigneeId !== undefined ? { assigneeId } : {}),
    });
    return rows.map(toListItem);
  }

  async hasRun(actor: Actor, runId: string): Promise<boolean> {
    requirePermission(actor, "runs:read", "see runs");
    return (await this.store.queries.findRun(runId)) !== undefined;
  }

  async countAwaitingReview(actor: Actor): Promise<number> {
    requirePermission(actor, "runs:read", "see runs");
    return this.store.queries.countRunsByStatus("awaiting_review");
  }

  async getRun(actor: Actor, runId: string): Promise<RunDetail> {
    requirePermission(actor, "runs:read", "see runs");
    const run = await this.requireRun(runId);
    const q = this.store.queries;
    const [permissions, headers, responses, audit, publications, votes, assignments, deadline, policy, queuePosition] =
      await Promise.all([
        this.permissionsOn(actor, run),
        this.storage.list({ runId }),
        q.listRunResponses(runId),
        q.listRunAudit(runId),
        q.listPublications(runId),
        q.listRunVotes(runId),
        q.listRunAssignments(runId),
        run.status === "awaiting_review" && run.pendingRequestId ? q.findDeadline(run.pendingRequestId) : undefined,
        q.policyForRun(run, RELEASE_NOTES_WORKFLOW),
        run.status === "running" && run.queuedAt !== null ? q.queuePositionOf({ runId, queuedAt: run.queuedAt }) : null,
      ]);
    const detail = runDetailOf({
      run,
      headers,
      responses,
      audit,
      publications,
      votes,
      assignments,
      deadline,
      policy: runPolicyOf(policy, run.policyVersion),
      isExecutingHere: this.executor.isExecuting(runId),
      permissions,
      queuePosition,
      showsErrorDetail: hasPermission(actor, "runs:failure-detail"),
    });
    if (detail.status === "completed" && detail.publishedText === null) {
      // a run completed by release 1 that stopped before recording its text; read it (reads never write)
      const text = detail.headCheckpointId
        ? (await this.createWorkflow().loadCheckpoint(detail.headCheckpointId)).outputs.at(-1)?.data
        : undefined;
      if (typeof text === "string") return { ...detail, publishedText: text, outputs: [text] };
    }
    return detail;
  }

  /**
   * Fires the deadline timers that are due now and says what they did: for a shell when no server runs (a server
   * fires them itself every TIMER_TICK_MS). Nothing fires while another process holds the timers' lease.
   */
  async fireDueTimers(actor: Actor): Promise<TimerTickReport> {
    requirePermission(actor, "settings:manage", "fire due timers");
    const since = this.clock();
    await this.timers.drain();
    const fired = await this.store.queries.listTimersFiredSince(since);
    const runsOf = (kind: string) => fired.filter((timer) => timer.kind === kind).map((timer) => timer.runId);
    // an expiry rejects its run through the engine, in this process: let it finish before the caller closes
    await Promise.all(runsOf(TIMER_KINDS.expiry).map((runId) => this.waitForIdle(runId)));
    const escalated = fired.filter((timer) => timer.kind === TIMER_KINDS.escalation);
    return {
      reminded: runsOf(TIMER_KINDS.reminder),
      escalated: await Promise.all(
        escalated.map(async (timer) => ({
          runId: timer.runId,
          to: timer.requestId ? ((await this.store.queries.findDeadline(timer.requestId))?.escalatedTo ?? null) : null,
        })),
      ),
      expired: runsOf(TIMER_KINDS.expiry),
    };
  }

  /** Runs by status, for the telemetry gauge (the process reads it, not a person). */
  async runsByStatus(): Promise<Record<string, number>> {
    return this.store.queries.countRunsGroupedByStatus();
  }

  /**
   * Whether this process can serve: the database answers and has every migration this release ships. For the
   * readiness probe (`GET /api/ready`), which load balancers call without signing in: it says nothing else.
   */
  async readiness(): Promise<{
    ready: boolean;
    database: "ok" | "unreachable";
    migrations: { applied: number; expected: number } | null;
  }> {
    try {
      const migrations = await this.store.migrationStatus();
      return { ready: migrations.applied === migrations.expected, database: "ok", migrations };
    } catch {
      return { ready: false, database: "unreachable", migrations: null };
    }
  }

  // ----- review policy and assignment -----------------------------------------------------------------------

  /** The release-notes workflow's approval policy: what new runs start with. */
  async getReviewPolicy(actor: Actor): Promise<ReviewPolicy> {
    requirePermission(actor, "runs:read", "see runs");
    const policy = await this.store.queries.currentPolicy(RELEASE_NOTES_WORKFLOW);
    const values = policy ?? DEFAULT_POLICY;
    return {
      workflowName: RELEASE_NOTES_WORKFLOW,
      version: policy?.version ?? null,
      requiredApprovals: values.requiredApprovals,
      deadlineMinutes: values.deadlineMinutes,
      reminderMinutesBefore: values.reminderMinutesBefore,
      escalateTo: await this.escalationGroup(values.escalateToUserIds),
      expireAfterMinutes: values.expireAfterMinutes,
      updatedAt: policy?.createdAt ?? null,
      updatedBy: policy?.createdByName ?? null,
    };
  }

  /**
   * Saves the next version of the approval policy (admins): the fields given change, the others keep the current
   * version's values. Runs already started keep theirs.
   */
  async updateReviewPolicy(
    actor: Actor,
    input: Partial<
      Record<
        "requiredApprovals" | "deadlineMinutes" | "reminderMinutesBefore" | "escalateToUserIds" | "expireAfterMinutes",
        unknown
      >
    >,
  ): Promise<ReviewPolicy> {
    requirePermission(actor, "settings:manage", "change the approval policy");
    const parsed = reviewPolicyInputSchema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues)
        (fieldErrors[String(issue.path[0] ?? "policy")] ??= []).push(issue.message);
      throw new ServiceError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "The policy is invalid.", {
        fieldErrors,
      });
    }
    const current = (await this.store.queries.currentPolicy(RELEASE_NOTES_WORKFLOW)) ?? DEFAULT_POLICY;
    const next = {
      requiredApprovals: parsed.data.requiredApprovals ?? current.requiredApprovals,
      deadlineMinutes: parsed.data.deadlineMinutes ?? current.deadlineMinutes,
      reminderMinutesBefore:
        parsed.data.reminderMinutesBefore !== undefined
          ? parsed.data.reminderMinutesBefore
          : current.reminderMinutesBefore,
      escalateToUserIds:
        parsed.data.escalateToUserIds !== undefined
          ? JSON.stringify(parsed.data.escalateToUserIds)
          : current.escalateToUserIds,
      expireAfterMinutes:
        parsed.data.expireAfterMinutes !== undefined ? parsed.data.expireAfterMinutes : current.expireAfterMinutes,
    };
    if (next.reminderMinutesBefore !== null && next.reminderMinutesBefore >= next.deadlineMinutes) {
      throw new ServiceError("VALIDATION_FAILED", "The reminder must come before the deadline.", {
        fieldErrors: {
          reminderMinutesBefore: [
            "Make the reminder shorter than the deadline: it comes after the draft is asked, before it is due.",
          ],
        },
      });
    }
    for (const userId of parsed.data.escalateToUserIds ?? []) {
      const person = await this.people.findActivePerson(userId);
      if (!person || person.role === "author") {
        throw new ServiceError("VALIDATION_FAILED", "Escalate only to active reviewers and admins.", {
          fieldErrors: { escalateToUserIds: ["Choose reviewers or admins."] },
        });
      }
    }
    await this.store.queries.appendPolicy({
      workflowName: RELEASE_NOTES_WORKFLOW,
      ...next,
      createdAt: new Date(this.clock()).toISOString(),
      createdById: actor.userId,
      createdByName: actor.name,
    });
    return this.getReviewPolicy(actor);
  }

  /** Asks a reviewer (or admin) to review a run's drafts; recorded in its audit trail. Reviewers and admins may assign. */
  async assignReviewer(actor: Actor, input: { runId: string; userId: string }): Promise<Assignee[]> {
    requirePermission(actor, "runs:answer", "assign reviewers");
    const run = await this.requireRun(input.runId);
    const person = await this.people.findActivePerson(input.userId);
    if (!person || person.role === "author") {
      throw new ServiceError("VALIDATION_FAILED", "Only an active reviewer or admin can be assigned to review.", {
        fieldErrors: { userId: ["Choose a reviewer or an admin."] },
      });
    }
    const at = new Date().toISOString();
    await this.store.transaction(async (tx) => {
      const added = await tx.insertAssignment({
        runId: run.runId,
        assigneeId: person.userId,
        assigneeName: person.name,
        assignedAt: at,
        assignedById: actor.userId,
        assignedByName: actor.name,
      });
      if (added)
        await tx.insertRunAudit({
          runId: run.runId,
          at,
          action: "assigned",
          subjectId: person.userId,
          subjectName: person.name,
          ...auditActor(actor),
        });
    });
    return this.assigneesOf(run.runId);
  }

  /** Takes a reviewer off a run (the run goes back to the pool when nobody is left). */
  async unassignReviewer(actor: Actor, input: { runId: string; userId: string }): Promise<Assignee[]> {
    requirePermission(actor, "runs:answer", "assign reviewers");
    const run = await this.requireRun(input.runId);
    const at = new Date().toISOString();
    await this.store.transaction(async (tx) => {
      const assignment = (await tx.listRunAssignments(run.runId)).find((row) => row.assigneeId === input.userId);
      if (assignment && (await tx.deleteAssignment(run.runId, input.userId))) {
        await tx.insertRunAudit({
          runId: run.runId,
          at,
          action: "unassigned",
          subjectId: assignment.assigneeId,
          subjectName: assignment.assigneeName,
          ...auditActor(actor),
        });
      }
    });
    return this.assigneesOf(run.runId);
  }

  /** Every checkpoint of a run, oldest first, as SPEC §7 summaries with their place in the tree. */
  async listCheckpoints(actor: Actor, runId: string): Promise<CheckpointListItem[]> {
    requirePermission(actor, "runs:read", "see runs");
    const run = await this.requireRun(runId);
    return checkpointListOf(run, await this.storage.list({ runId }));
  }

  /** The whole decoded checkpoint. @throws CHECKPOINT_NOT_FOUND, CHECKPOINT_CORRUPT, CHECKPOINT_INCOMPATIBLE */
  async getCheckpoint(actor: Actor, checkpointId: string): Promise<CheckpointDetail> {
    requirePermission(actor, "runs:read", "see runs");
    const checkpoint = await this.createWorkflow().loadCheckpoint(checkpointId);
    const items = await this.listCheckpoints(actor, checkpoint.runId);
    const summary = items.find((item) => item.checkpointId === checkpointId);
    if (!summary)
      throw new WorkflowError("CHECKPOINT_NOT_FOUND", `Checkpoint ${checkpointId} was not found`, { checkpointId });
    return { summary, checkpoint: checkpoint as unknown as Record<string, unknown> };
  }

  /** Text the writer has streamed so far in this process for a run that is executing here. */
  liveText(actor: Actor, runId: string): string | null {
    requirePermission(actor, "runs:read", "see runs");
    return this.executor.liveText(runId);
  }

  /**
   * Live engine events of a run executing in this process, each with an id that stays valid across connections.
   * `catchUp` first replays the events after the client's last id (if still buffered) or hands over a snapshot
   * of the live state, in the same synchronous step. Returns the unsubscribe function.
   */
  subscribe(
    actor: Actor,
    runId: string,
    listener: (event: RunEvent, eventId: string) => void,
    catchUp?: CatchUp,
  ): () => void {
    requirePermission(actor, "runs:read", "see runs");
    return this.executor.subscribe(runId, listener, catchUp);
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
    await this.timers.stop();
    await this.notifications.close();
    await this.executor.close();
    await this.store.close();
  }

  // ----- execution ----------------------------------------------------------------------------------------

  private createWorkflow(storage: CheckpointStorage = this.storage): Workflow {
    this.definition ??= createReleaseNotesWorkflow({
      chatClient: this.chatClient,
      ...(this.retry ? { retry: this.retry } : {}),
    }).definition;
    return new Workflow(this.definition, { storage });
  }

  /**
   * A deadline's expiry: rejects the request as expired, with the process as the actor. "obsolete" when someone
   * answered it first; "expired" also when an earlier attempt (by a process that died before settling) did.
   * @throws RUN_BUSY and the like, so the timer is tried again later
   */
  private async expireRequest(timer: DurableTimerRow): Promise<"expired" | "obsolete"> {
    const run = await this.store.queries.findRun(timer.runId);
    if (!run || !timer.requestId) return "obsolete";
    const requestId = timer.requestId;
    try {
      await this.withRunLock(run.runId, () =>
        this.decide(DEADLINE_ACTOR, run, requestId, { kind: "reject", reason: EXPIRED_REASON }),
      );
      return "expired";
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "REQUEST_ALREADY_ANSWERED" && code !== "REQUEST_SUPERSEDED" && code !== "REQUEST_NOT_FOUND")
        throw error;
      const [first] = await this.storage.findResponses(requestId);
      return first?.answeredBy === DEADLINE_ACTOR.name ? "expired" : "obsolete";
    }
  }

  /** Continues a run from its newest checkpoint (from the brief when not even the first was written). */
  private async continueFromNewest(run: RunRow, intent: ExecutionIntent): Promise<void> {
    const head = await this.newestCheckpoint(run.runId);
    await this.executor.launch(
      run.runId,
      (workflow, signal) =>
        head
          ? workflow.resumeStream(head.checkpointId, { signal })
          : workflow.runStream(run.brief, { runId: run.runId, signal }),
      { intent, ...(head ? { resumesFrom: head } : {}) },
    );
  }

  /** What `actor` may do with `run`, for the page to offer (each action checks again). */
  private async permissionsOn(actor: Actor, run: RunRow): Promise<RunPermissions> {
    const canAnswer = hasPermission(actor, "runs:answer");
    return {
      canAnswer,
      canApprove: canAnswer && !(await this.isSelfApproval(actor, run)),
      canRetry:
        hasPermission(actor, "runs:retry-any") || (hasPermission(actor, "runs:retry-own") && isSubmitter(actor, run)),
      canBranch: hasPermission(actor, "runs:branch"),
      canReopen: hasPermission(actor, "runs:reopen"),
    };
  }

  private requireMayRetry(actor: Actor, run: RunRow): void {
    if (hasPermission(actor, "runs:retry-any")) return;
    requirePermission(actor, "runs:retry-own", "retry runs");
    if (!isSubmitter(actor, run))
      throw new ServiceError("FORBIDDEN", "Only the person who submitted this brief, or an admin, can retry its run.", {
        details: { runId: run.runId },
      });
  }

  /** Separation of duties: whoever submitted a brief may send its drafts back or reject it, but not approve them (unless an admin allowed it). */
  private async requireMayApprove(actor: Actor, run: RunRow): Promise<void> {
    if (!(await this.isSelfApproval(actor, run))) return;
    throw new ServiceError(
      "SELF_APPROVAL_FORBIDDEN",
      "You submitted this brief, so someone else must approve its drafts (separation of duties). You can still send guidance for a revision; an admin can allow self-approval in Settings.",
      { details: { runId: run.runId } },
    );
  }

  /**
   * Counts a costly action against the person's per-minute limit. Not for the CLI: it runs on the machine with the
   * database file, whose owner could write to it directly; the limits protect the server people reach over the network.
   */
  private async consumeLimit(action: Exclude<LimitedAction, "sign-in">, actor: Actor): Promise<void> {
    if (actor.method !== "cli") await this.limits.consume(action, actor.userId ?? actor.name);
  }

  /** The workspace's limit on revision rounds: guidance on a draft past it is refused (approving it is not). */
  private async requireRevisionAllowed(request: { iteration: number }): Promise<void> {
    const max = (await this.people.getSettings()).maxRevisionRounds;
    if (request.iteration <= max) return;
    throw new ServiceError(
      "REVISION_LIMIT_REACHED",
      `This run's draft was revised ${max === 1 ? "once" : `${max} times`}, the most this workspace allows. Approve this draft, or ask an admin to raise the limit in Settings.`,
      { details: { maxRevisionRounds: max, iteration: request.iteration } },
    );
  }

  /**
   * Applies a decision to the draft awaiting review on the newest checkpoint (under the run lock). An approval short
   * of the quorum is recorded on its own; everything else is the engine's answer, with its approval in the same
   * transaction.
   */
  private async decide(
    actor: Actor,
    run: RunRow,
    requestId: string,
    decision: ReviewerDecision,
  ): Promise<AnswerResult> {
    const head = await this.newestCheckpoint(run.runId);
    const request = head
      ? pendingDraftsOf(head.summary).find((candidate) => candidate.requestId === requestId)
      : undefined;
    if (!head || !request) throw await this.explainUnanswerable(run.runId, requestId);
    if (decision.draftSha256 !== undefined && decision.draftSha256 !== request.draftSha256) {
      throw new ServiceError(
        "DRAFT_CHANGED",
        "The draft changed since you opened it; nothing was recorded. Read the current draft and decide again.",
        {
          details: { runId: run.runId, requestId, draftSha256: request.draftSha256 },
        },
      );
    }
    // an "edit" that changes nothing is an approval of the draft as it is
    const effective: ReviewerDecision =
      decision.kind === "edit" && decision.text === request.draft.trim() ? { kind: "approve" } : decision;
    if (effective.kind === "revise") await this.requireRevisionAllowed(request);
    const required = run.requiredApprovals;
    const votes = voteFor(actor, run.runId, request, effective);
    if (effective.kind === "approve") {
      const now = new Date().toISOString();
      const outcome = await this.store.transaction(async (tx) => {
        const recorded = await tx.recordApprovalUnlessFinal({
          vote: { ...votes[0]!, votedAt: now },
          pending: request,
          required,
        });
        if (recorded.kind === "recorded")
          await tx.insertRunAudit({ runId: run.runId, at: now, action: "approved", requestId, ...auditActor(actor) });
        return recorded;
      });
      if (outcome.kind === "not_pending") throw await this.explainUnanswerable(run.runId, requestId);
      if (outcome.kind === "duplicate") {
        throw new ServiceError(
          "ALREADY_APPROVED",
          `You already approved this draft; it has ${outcome.count} of ${required} approvals. Another reviewer's approval is needed.`,
          {
            details: { runId: run.runId, requestId, approvals: outcome.count, required },
          },
        );
      }
      if (outcome.kind === "recorded")
        return { runId: run.runId, status: "awaiting_review", approvals: { count: outcome.count, required } };
    }
    const responses = { [requestId]: engineAnswerOf(effective, required <= 1) };
    await this.executor.launch(
      run.runId,
      (workflow, signal) => workflow.resumeStream(head.checkpointId, { responses, respondedBy: actor.name, signal }),
      {
        explainBusy: () => this.explainUnanswerable(run.runId, requestId),
        intent: { actor, votes },
      },
    );
    return { runId: run.runId, status: "running", approvals: null };
  }

  /** The escalation group of a policy (user ids as JSON) as people; empty means the admins. */
  private async escalationGroup(userIdsJson: string): Promise<Assignee[]> {
    const ids = z.array(z.string()).safeParse(JSON.parse(userIdsJson));
    const group: Assignee[] = [];
    for (const userId of ids.success ? ids.data : []) {
      const person = await this.people.findActivePerson(userId);
      if (person) group.push({ userId: person.userId, name: person.name });
    }
    return group;
  }

  private async assigneesOf(runId: string): Promise<Assignee[]> {
    return (await this.store.queries.listRunAssignments(runId)).map((row) => ({
      userId: row.assigneeId,
      name: row.assigneeName,
    }));
  }

  private async isSelfApproval(actor: Actor, run: RunRow): Promise<boolean> {
    return isSubmitter(actor, run) && !(await this.people.getSettings()).allowSelfApproval;
  }

  private async requireRun(runId: string): Promise<RunRow> {
    const run = await this.store.queries.findRun(runId);
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

  /** REQUEST_ALREADY_ANSWERED (naming who and when) if any of `requestIds` was already answered from `checkpointId`. */
  private async refuseAnsweredRequests(checkpointId: string, requestIds: readonly string[]): Promise<void> {
    for (const requestId of requestIds) {
      const first = (await this.storage.findResponses(requestId)).find(
        (response) => response.baseCheckpointId === checkpointId,
      );
      if (first) throw requestAlreadyAnsweredError(first);
    }
  }

  /** Why a request cannot be answered on the run's newest branch: already answered, superseded, or unknown. */
  private async explainUnanswerable(runId: string, requestId: string): Promise<Error> {
    const [first] = await this.storage.findResponses(requestId);
    if (first && first.runId === runId) return requestAlreadyAnsweredError(first);
    const headers = await this.storage.list({ runId });
    if (headers.some((header) => header.summary.pendingRequests.some((request) => request.requestId === requestId))) {
      if (this.executor.isExecuting(runId) || (await this.store.queries.findRun(runId))?.status === "running") {
        return new ServiceError(
          "RUN_BUSY",
          `Run ${runId} is executing; request ${requestId} is not awaiting an answer right now`,
          { details: { runId, requestId } },
        );
      }
      return new ServiceError(
        "REQUEST_SUPERSEDED",
        `Request ${requestId} is on a branch that is no longer the run's newest; answer the newest request instead`,
        { details: { runId, requestId } },
      );
    }
    return new WorkflowError("REQUEST_NOT_FOUND", `Request ${requestId} is not a request of run ${runId}`, {
      requestId,
      runId,
    });
  }
}

function isSubmitter(actor: Actor, run: RunRow): boolean {
  return actor.userId !== null && run.submittedById === actor.userId;
}

function auditActor(actor: Actor) {
  return { actorId: actor.userId, actorName: actor.name, actorRole: actor.role, actorMethod: actor.method };
}

/** Why a deadline rejected a request nobody decided on (never an automatic approval). */
const EXPIRED_REASON = "Expired: no decision by the deadline.";

function runPolicyOf(
  policy: Awaited<ReturnType<Store["queries"]["policyForRun"]>>,
  version: number | null,
): RunDetail["policy"] {
  return {
    version,
    requiredApprovals: policy.requiredApprovals,
    deadlineMinutes: policy.deadlineMinutes,
    reminderMinutesBefore: policy.reminderMinutesBefore,
    expireAfterMinutes: policy.expireAfterMinutes,
  };
}

/** The approval a decision gives, if any: an approval of the draft, or an edit's approval of the edited text. */
function voteFor(
  actor: Actor,
  runId: string,
  request: { requestId: string; draftSha256: string },
  decision: ReviewerDecision,
): Array<Omit<NewReviewVoteRow, "checkpointId" | "votedAt">> {
  if (!isApproving(decision)) return [];
  const voter = {
    runId,
    requestId: request.requestId,
    voterKey: actor.userId ?? actor.name,
    voterId: actor.userId,
    voterName: actor.name,
    voterRole: actor.role,
    voterMethod: actor.method,
  };
  return [
    decision.kind === "edit"
      ? { ...voter, kind: "edit", draftSha256: draftSha256(decision.text) }
      : { ...voter, kind: "approve", draftSha256: request.draftSha256 },
  ];
}
