import type { JsonValue } from "./json";
import type { QueuedMessage } from "./messages";

/** Bumped whenever the stored shape changes; loading any other version is CHECKPOINT_CORRUPT. */
export const CHECKPOINT_SCHEMA_VERSION = 1;

export type CheckpointKind = "initial" | "superstep" | "responses";
export type CheckpointStatus = "running" | "awaiting_input" | "completed" | "failed";

/** A request waiting for a human (or any outside) answer. */
export interface PendingRequest {
  requestId: string;
  /** The executor that asked (it sent the request message to the request node). */
  sourceExecutorId: string;
  /** The `RequestInfoExecutor` node that holds the request. */
  requestExecutorId: string;
  /** Declared message type name of the payload. */
  type: string;
  payload: JsonValue;
  createdAt: string;
}

/** A request that has been answered, kept so a late second answer can be told who was first. */
export interface AnsweredRequest {
  requestId: string;
  answeredAt: string;
  answeredBy: string | null;
}

/** An output yielded by an executor. */
export interface WorkflowOutput {
  sourceExecutorId: string;
  data: JsonValue;
}

/** Everything needed to continue a run, decoded and validated. */
export interface Checkpoint {
  checkpointId: string;
  runId: string;
  /** The checkpoint this one continues from; null for a run's first. A checkpoint with two children is a branch point. */
  parentId: string | null;
  workflowName: string;
  graphSignature: string;
  /** Counts across calls, so it orders a lineage. 0 for the initial checkpoint. */
  superstep: number;
  createdAt: string;
  kind: CheckpointKind;
  status: CheckpointStatus;
  schemaVersion: number;
  /** Messages that will be delivered in the next superstep. */
  messages: QueuedMessage[];
  sharedState: Record<string, JsonValue>;
  executorStates: Record<string, JsonValue>;
  /** Fan-in buffers by edge group id: messages received so far, per source. */
  fanInBuffers: Record<string, Record<string, QueuedMessage[]>>;
  pendingRequests: PendingRequest[];
  answeredRequests: AnsweredRequest[];
  outputs: WorkflowOutput[];
}

/** SPEC §7 statuses, as people read them. */
export type CheckpointSummaryStatus = "awaiting human response" | "completed" | "failed" | "awaiting next superstep";

/** What timelines and listings show; stored beside each checkpoint so listing never decodes bodies. */
export interface CheckpointSummary {
  checkpointId: string;
  parentId: string | null;
  runId: string;
  superstep: number;
  createdAt: string;
  kind: CheckpointKind;
  /** The executors that will run next: the targets of queued messages. */
  targets: string[];
  executorsWithState: string[];
  pendingRequests: Array<Pick<PendingRequest, "requestId" | "sourceExecutorId" | "type" | "payload">>;
  status: CheckpointSummaryStatus;
  /** A workflow-supplied preview (the release-notes workflow: the draft under review, 80 characters). */
  preview: string | null;
}

/** A checkpoint as stores persist it: indexed columns, the summary, and an encoded body. */
export interface CheckpointRecord {
  checkpointId: string;
  runId: string;
  parentId: string | null;
  workflowName: string;
  superstep: number;
  createdAt: string;
  kind: CheckpointKind;
  status: CheckpointStatus;
  summary: CheckpointSummary;
  /** JSON text; large values inside are references to blobs (see `loadBlobs`). */
  body: string;
}

/** A record without its body, as `list` returns it. */
export type CheckpointHeader = Omit<CheckpointRecord, "body">;

/** A content-addressed piece of a checkpoint body, shared by every checkpoint that holds the same value. */
export interface CheckpointBlob {
  hash: string;
  data: string;
}

/** A recorded answer to a request, written in the same transaction as the checkpoint that applies it. */
export interface ResponseRecord {
  requestId: string;
  runId: string;
  /** The checkpoint the answer was applied to (the one that held the request as pending). */
  baseCheckpointId: string;
  /** The `responses` checkpoint that carries the answer. */
  checkpointId: string;
  response: JsonValue;
  answeredBy: string | null;
  answeredAt: string;
}

export interface SaveOptions {
  /** New blobs the body refers to; blobs already stored may be passed again and are kept once. */
  blobs?: CheckpointBlob[];
  /** Answers applied by this checkpoint. */
  responses?: ResponseRecord[];
  /**
   * When true, the save fails with REQUEST_ALREADY_ANSWERED (naming who answered, and when) if any of
   * `responses` already has an answer applied to the same base checkpoint; nothing is written then.
   * This is how two reviewers racing on one request are told apart, across processes.
   */
  exclusive?: boolean;
}

export interface CheckpointQuery {
  runId?: string;
  workflowName?: string;
  /** At most this many, newest first. */
  limit?: number;
  /** Only checkpoints created strictly before this ISO time. */
  before?: string;
}

/**
 * Where checkpoints live. Owned by the engine; implemented by the in-memory, JSON-file and SQLite stores,
 * all held to the same contract suite (`lib/workflow/testing/storage-contract.ts`).
 */
export interface CheckpointStorage {
  /** Persists a record (and its blobs and responses) atomically. Throws REQUEST_ALREADY_ANSWERED as described in {@link SaveOptions.exclusive}. */
  save(record: CheckpointRecord, options?: SaveOptions): Promise<void>;
  load(checkpointId: string): Promise<CheckpointRecord | undefined>;
  /** Returns the blobs found; missing hashes are simply absent from the map. */
  loadBlobs(hashes: readonly string[]): Promise<Map<string, string>>;
  /** Newest first (by `createdAt`, then by save order). */
  list(query?: CheckpointQuery): Promise<CheckpointHeader[]>;
  /** The newest checkpoint of a run, or undefined. */
  latest(runId: string): Promise<CheckpointRecord | undefined>;
  /** Deletes one checkpoint; returns whether it existed. Blobs are left for others that share them. */
  delete(checkpointId: string): Promise<boolean>;
  /** Every recorded answer to a request, oldest first. */
  findResponses(requestId: string): Promise<ResponseRecord[]>;
}
