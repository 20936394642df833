import type { JsonValue } from "./json";
import type { QueuedMessage } from "./messages";
import type { CheckpointHeader, CheckpointKind, CheckpointRecord, CheckpointStatus, ResponseRecord } from "./records";

export type {
  CheckpointHeader,
  CheckpointKind,
  CheckpointRecord,
  CheckpointStatus,
  CheckpointSummary,
  CheckpointSummaryStatus,
  ResponseRecord,
} from "./records";

/**
 * The version of the body format this build writes. Bodies of older versions are upgraded step by step when
 * they are loaded (codec.ts); a body of a newer version is CHECKPOINT_INCOMPATIBLE.
 */
export const CHECKPOINT_SCHEMA_VERSION = 1;

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

/** A content-addressed piece of a checkpoint body, shared by every checkpoint that holds the same value. */
export interface CheckpointBlob {
  hash: string;
  data: string;
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
