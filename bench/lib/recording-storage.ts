import type {
  CheckpointHeader,
  CheckpointQuery,
  CheckpointRecord,
  CheckpointStorage,
  ResponseRecord,
  SaveOptions,
} from "@/lib/workflow";
import { now } from "./stats";

/** One `save` call as the engine made it: the record, the blobs and answers it carried, and how long it took. */
export interface RecordedSave {
  record: CheckpointRecord;
  blobs: Array<{ hash: string; data: string }>;
  responses: ResponseRecord[];
  exclusive: boolean;
  /** Milliseconds spent inside the wrapped store's `save` (the SQLite transaction and its statements). */
  saveMs: number;
}

/**
 * Delegates to a real store and remembers every save, so the raw floor can replay exactly the same rows and
 * bytes. Recording keeps references (no copies), so it adds well under a microsecond per save.
 */
export class RecordingStorage implements CheckpointStorage {
  readonly saves: RecordedSave[] = [];

  constructor(private readonly inner: CheckpointStorage) {}

  async save(record: CheckpointRecord, options: SaveOptions = {}): Promise<void> {
    const start = now();
    await this.inner.save(record, options);
    this.saves.push({
      record,
      blobs: options.blobs ?? [],
      responses: options.responses ?? [],
      exclusive: options.exclusive ?? false,
      saveMs: now() - start,
    });
  }

  load(checkpointId: string): Promise<CheckpointRecord | undefined> {
    return this.inner.load(checkpointId);
  }

  loadBlobs(hashes: readonly string[]): Promise<Map<string, string>> {
    return this.inner.loadBlobs(hashes);
  }

  list(query?: CheckpointQuery): Promise<CheckpointHeader[]> {
    return this.inner.list(query);
  }

  latest(runId: string): Promise<CheckpointRecord | undefined> {
    return this.inner.latest(runId);
  }

  delete(checkpointId: string): Promise<boolean> {
    return this.inner.delete(checkpointId);
  }

  findResponses(requestId: string): Promise<ResponseRecord[]> {
    return this.inner.findResponses(requestId);
  }
}
