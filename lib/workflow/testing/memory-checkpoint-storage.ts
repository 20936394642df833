import type {
  CheckpointHeader,
  CheckpointQuery,
  CheckpointRecord,
  CheckpointStorage,
  ResponseRecord,
  SaveOptions,
} from "../checkpoint";
import { checkpointExistsError, requestAlreadyAnsweredError } from "../errors";
import { pickHeaderColumns } from "../records";

interface StoredCheckpoint {
  /** Save order: the tiebreak for equal `createdAt`. */
  sequence: number;
  record: CheckpointRecord;
}

/**
 * A {@link CheckpointStorage} held in memory, for tests and for runs that need no durability.
 * Records are deep-copied on the way in and out, so callers can't mutate what is stored.
 */
export class InMemoryCheckpointStorage implements CheckpointStorage {
  private readonly checkpoints = new Map<string, StoredCheckpoint>();
  private readonly blobs = new Map<string, string>();
  /** In save order, which is the order `findResponses` returns. */
  private responses: ResponseRecord[] = [];
  private nextSequence = 1;

  async save(record: CheckpointRecord, options: SaveOptions = {}): Promise<void> {
    // Every check happens before the first write, so a failed save leaves nothing behind.
    if (this.checkpoints.has(record.checkpointId)) {
      throw checkpointExistsError(record);
    }
    const responses = options.responses ?? [];
    if (options.exclusive) {
      for (const response of responses) {
        const first = this.responses.find(
          (r) => r.requestId === response.requestId && r.baseCheckpointId === response.baseCheckpointId,
        );
        if (first) throw requestAlreadyAnsweredError(first);
      }
    }
    for (const blob of options.blobs ?? []) {
      if (!this.blobs.has(blob.hash)) this.blobs.set(blob.hash, blob.data);
    }
    this.checkpoints.set(record.checkpointId, { sequence: this.nextSequence++, record: structuredClone(record) });
    this.responses.push(...responses.map((response) => structuredClone(response)));
  }

  async load(checkpointId: string): Promise<CheckpointRecord | undefined> {
    const stored = this.checkpoints.get(checkpointId);
    return stored ? structuredClone(stored.record) : undefined;
  }

  async loadBlobs(hashes: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const hash of hashes) {
      const data = this.blobs.get(hash);
      if (data !== undefined) found.set(hash, data);
    }
    return found;
  }

  async list(query: CheckpointQuery = {}): Promise<CheckpointHeader[]> {
    return this.select(query).map(({ record }) => toHeader(structuredClone(record)));
  }

  async latest(runId: string): Promise<CheckpointRecord | undefined> {
    const [newest] = this.select({ runId, limit: 1 });
    return newest ? structuredClone(newest.record) : undefined;
  }

  async delete(checkpointId: string): Promise<boolean> {
    const existed = this.checkpoints.delete(checkpointId);
    // The answers this checkpoint carried go with it, as in the SQLite store (ON DELETE CASCADE).
    if (existed) this.responses = this.responses.filter((r) => r.checkpointId !== checkpointId);
    return existed;
  }

  async findResponses(requestId: string): Promise<ResponseRecord[]> {
    return this.responses.filter((r) => r.requestId === requestId).map((r) => structuredClone(r));
  }

  /** Matching checkpoints, newest first (by `createdAt`, then by save order). */
  private select(query: CheckpointQuery): StoredCheckpoint[] {
    const { runId, workflowName, before, limit } = query;
    const matching = [...this.checkpoints.values()].filter(
      ({ record }) =>
        (runId === undefined || record.runId === runId) &&
        (workflowName === undefined || record.workflowName === workflowName) &&
        (before === undefined || record.createdAt < before),
    );
    matching.sort((a, b) => compareNewestFirst(a, b));
    return limit === undefined ? matching : matching.slice(0, Math.max(0, limit));
  }
}

function toHeader(record: CheckpointRecord): CheckpointHeader {
  return { ...pickHeaderColumns(record), summary: record.summary };
}

function compareNewestFirst(a: StoredCheckpoint, b: StoredCheckpoint): number {
  if (a.record.createdAt !== b.record.createdAt) return a.record.createdAt < b.record.createdAt ? 1 : -1;
  return b.sequence - a.sequence;
}
