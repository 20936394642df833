import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  checkpointExistsError,
  checkpointRecordSchema,
  describeFirstIssue,
  pickHeaderColumns,
  requestAlreadyAnsweredError,
  responseRecordSchema,
  WorkflowError,
  type CheckpointBlob,
  type CheckpointHeader,
  type CheckpointQuery,
  type CheckpointRecord,
  type CheckpointStorage,
  type ResponseRecord,
  type SaveOptions,
} from "@/lib/workflow";

export interface JsonFileCheckpointStorageOptions {
  /** Root directory; `checkpoints/`, `blobs/` and `responses/` are created inside it. */
  directory: string;
  /** fsync each file (and its directory) before and after the rename. Off by default: this is a dev store. */
  fsync?: boolean;
}

const checkpointFileSchema = z.object({
  /** Save order, the tiebreak for equal `createdAt`. */
  sequence: z.number().int(),
  /** Requests answered by this checkpoint, so `delete` can drop their response entries. */
  responseRequestIds: z.array(z.string()),
  record: checkpointRecordSchema,
});
type CheckpointFile = z.infer<typeof checkpointFileSchema>;

const blobFileSchema = z.object({ hash: z.string(), data: z.string() });
const responsesFileSchema = z.object({ requestId: z.string(), responses: z.array(responseRecordSchema) });

/**
 * A {@link CheckpointStorage} on plain JSON files, for development and inspection by eye:
 *
 * - `checkpoints/<id>.json`: `{ sequence, responseRequestIds, record }`
 * - `blobs/<hash>.json`: `{ hash, data }`, written once
 * - `responses/<requestId>.json`: `{ requestId, responses: [...] }`, rewritten whole on each answer
 *
 * Every write goes to a temp file in the same directory and is then renamed over the target, so readers never
 * see a half-written file. A save writes blobs, then responses, then the checkpoint file; the checkpoint's
 * rename is the commit point, and response entries whose checkpoint file does not exist are ignored, so a
 * save that fails half-way is invisible.
 *
 * Saves and deletes are serialized within this instance (a promise-chain mutex), which makes the exclusive
 * check-then-write safe within one process. Nothing guards against a second process or instance on the same
 * directory: use the SQLite store where answers can arrive from several processes.
 */
export class JsonFileCheckpointStorage implements CheckpointStorage {
  private readonly checkpointsDir: string;
  private readonly blobsDir: string;
  private readonly responsesDir: string;
  private readonly fsync: boolean;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private directoriesReady: Promise<void> | undefined;
  private nextSequence: number | undefined;
  private tempCounter = 0;

  constructor({ directory, fsync = false }: JsonFileCheckpointStorageOptions) {
    this.checkpointsDir = path.join(directory, "checkpoints");
    this.blobsDir = path.join(directory, "blobs");
    this.responsesDir = path.join(directory, "responses");
    this.fsync = fsync;
  }

  save(record: CheckpointRecord, options: SaveOptions = {}): Promise<void> {
    return this.serialize(async () => {
      await this.ensureDirectories();
      const file = this.checkpointFile(record.checkpointId);
      // Every check happens before the first write, so a rejected save leaves nothing behind.
      if (await pathExists(file)) {
        throw checkpointExistsError(record);
      }
      const responses = options.responses ?? [];
      if (options.exclusive) await this.assertNotAnswered(responses);

      const sequence = await this.allocateSequence();
      await this.writeBlobs(options.blobs ?? []);
      await this.appendResponses(record.checkpointId, responses);
      const content: CheckpointFile = {
        sequence,
        responseRequestIds: [...new Set(responses.map((r) => r.requestId))],
        record,
      };
      await this.writeFileAtomic(file, JSON.stringify(content, null, 2));
    });
  }

  async load(checkpointId: string): Promise<CheckpointRecord | undefined> {
    return (await this.readCheckpointFile(checkpointId))?.record;
  }

  async loadBlobs(hashes: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const hash of new Set(hashes)) {
      const file = this.blobFile(hash);
      const blob = await readJsonFile(file, blobFileSchema, (problem, field, cause) =>
        corruptError(`Blob ${hash} is corrupt: ${file}: ${problem}`, { field, file, hash }, cause),
      );
      if (blob) found.set(hash, blob.data);
    }
    return found;
  }

  async list(query: CheckpointQuery = {}): Promise<CheckpointHeader[]> {
    return (await this.select(query)).map(({ record }) => toHeader(record));
  }

  async latest(runId: string): Promise<CheckpointRecord | undefined> {
    const [newest] = await this.select({ runId, limit: 1 });
    return newest?.record;
  }

  delete(checkpointId: string): Promise<boolean> {
    return this.serialize(async () => {
      const file = this.checkpointFile(checkpointId);
      let requestIds: string[] = [];
      try {
        requestIds = (await this.readCheckpointFile(checkpointId))?.responseRequestIds ?? [];
      } catch {
        // A corrupt file can still be deleted; its response entries are ignored once it is gone.
      }
      try {
        await fs.unlink(file);
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
      // Tidy-up only: entries of a missing checkpoint are already invisible to readers.
      for (const requestId of requestIds) {
        const kept = (await this.readResponses(requestId)).filter((r) => r.checkpointId !== checkpointId);
        if (kept.length > 0) await this.writeResponses(requestId, kept);
        else await fs.rm(this.responsesFile(requestId), { force: true });
      }
      return true;
    });
  }

  async findResponses(requestId: string): Promise<ResponseRecord[]> {
    const all = await this.readResponses(requestId);
    const committed = new Map<string, boolean>();
    for (const checkpointId of new Set(all.map((r) => r.checkpointId))) {
      committed.set(checkpointId, await pathExists(this.checkpointFile(checkpointId)));
    }
    return all.filter((r) => committed.get(r.checkpointId));
  }

  private async assertNotAnswered(responses: readonly ResponseRecord[]): Promise<void> {
    for (const response of responses) {
      const first = (await this.findResponses(response.requestId)).find(
        (r) => r.baseCheckpointId === response.baseCheckpointId,
      );
      if (first) {
        throw requestAlreadyAnsweredError(first);
      }
    }
  }

  private async writeBlobs(blobs: readonly CheckpointBlob[]): Promise<void> {
    for (const blob of blobs) {
      const file = this.blobFile(blob.hash);
      // Content-addressed: an existing file already holds this data.
      if (await pathExists(file)) continue;
      await this.writeFileAtomic(file, JSON.stringify({ hash: blob.hash, data: blob.data }));
    }
  }

  private async appendResponses(checkpointId: string, responses: readonly ResponseRecord[]): Promise<void> {
    const byRequest = new Map<string, ResponseRecord[]>();
    for (const response of responses) {
      byRequest.set(response.requestId, [...(byRequest.get(response.requestId) ?? []), response]);
    }
    for (const [requestId, added] of byRequest) {
      // Entries already naming this (not yet existing) checkpoint are leftovers of a failed earlier attempt.
      const kept = (await this.readResponses(requestId)).filter((r) => r.checkpointId !== checkpointId);
      await this.writeResponses(requestId, [...kept, ...added]);
    }
  }

  private async readResponses(requestId: string): Promise<ResponseRecord[]> {
    const file = this.responsesFile(requestId);
    const content = await readJsonFile(file, responsesFileSchema, (problem, field, cause) =>
      corruptError(
        `Responses to request ${requestId} are corrupt: ${file}: ${problem}`,
        { field, file, requestId },
        cause,
      ),
    );
    return content?.responses ?? [];
  }

  private async writeResponses(requestId: string, responses: ResponseRecord[]): Promise<void> {
    await this.writeFileAtomic(this.responsesFile(requestId), JSON.stringify({ requestId, responses }, null, 2));
  }

  private async readCheckpointFile(checkpointId: string): Promise<CheckpointFile | undefined> {
    const file = this.checkpointFile(checkpointId);
    const content = await readJsonFile(file, checkpointFileSchema, (problem, field, cause) =>
      corruptError(`Checkpoint ${checkpointId} is corrupt: ${file}: ${problem}`, { checkpointId, field, file }, cause),
    );
    if (content && content.record.checkpointId !== checkpointId) {
      throw corruptError(
        `Checkpoint ${checkpointId} is corrupt: ${file} holds checkpoint ${content.record.checkpointId}`,
        { checkpointId, field: "record.checkpointId", file },
      );
    }
    return content;
  }

  /** Matching checkpoint files, newest first (by `createdAt`, then by save order). */
  private async select(query: CheckpointQuery): Promise<CheckpointFile[]> {
    const { runId, workflowName, before, limit } = query;
    const files = await Promise.all((await this.listCheckpointIds()).map((id) => this.readCheckpointFile(id)));
    const matching = files.filter(
      (file): file is CheckpointFile =>
        file !== undefined &&
        (runId === undefined || file.record.runId === runId) &&
        (workflowName === undefined || file.record.workflowName === workflowName) &&
        (before === undefined || file.record.createdAt < before),
    );
    matching.sort((a, b) =>
      a.record.createdAt !== b.record.createdAt
        ? a.record.createdAt < b.record.createdAt
          ? 1
          : -1
        : b.sequence - a.sequence,
    );
    return limit === undefined ? matching : matching.slice(0, Math.max(0, limit));
  }

  private async listCheckpointIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.checkpointsDir);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    // Temp files end in `.tmp`, so they are skipped here.
    return names
      .filter((name) => name.endsWith(".json"))
      .map((name) => decodeURIComponent(name.slice(0, -".json".length)));
  }

  /** Next save-order number; on first use, one more than the highest found on disk. Called under the mutex. */
  private async allocateSequence(): Promise<number> {
    if (this.nextSequence === undefined) {
      let highest = 0;
      for (const id of await this.listCheckpointIds()) {
        try {
          highest = Math.max(highest, (await this.readCheckpointFile(id))?.sequence ?? 0);
        } catch {
          // A corrupt file only loses its place in a createdAt tie; it must not block new saves.
        }
      }
      this.nextSequence = highest + 1;
    }
    return this.nextSequence++;
  }

  private async writeFileAtomic(file: string, content: string): Promise<void> {
    const directory = path.dirname(file);
    const temp = path.join(directory, `.${path.basename(file)}.${process.pid}.${++this.tempCounter}.tmp`);
    try {
      const handle = await fs.open(temp, "wx");
      try {
        await handle.writeFile(content, "utf8");
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    if (this.fsync) {
      const handle = await fs.open(directory, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.writeQueue.then(task);
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  private ensureDirectories(): Promise<void> {
    this.directoriesReady ??= Promise.all(
      [this.checkpointsDir, this.blobsDir, this.responsesDir].map((dir) => fs.mkdir(dir, { recursive: true })),
    ).then(() => undefined);
    return this.directoriesReady;
  }

  private checkpointFile(checkpointId: string): string {
    return path.join(this.checkpointsDir, fileNameFor(checkpointId));
  }

  private blobFile(hash: string): string {
    return path.join(this.blobsDir, fileNameFor(hash));
  }

  private responsesFile(requestId: string): string {
    return path.join(this.responsesDir, fileNameFor(requestId));
  }
}

/** Ids become file names verbatim where safe; `/`, `\` and the like are percent-encoded. */
function fileNameFor(id: string): string {
  return `${encodeURIComponent(id)}.json`;
}

function toHeader(record: CheckpointRecord): CheckpointHeader {
  return { ...pickHeaderColumns(record), summary: record.summary };
}

/** Reads and validates a JSON file; undefined when it does not exist, `corrupt(...)` when it does not parse. */
async function readJsonFile<T>(
  file: string,
  schema: z.ZodType<T>,
  corrupt: (problem: string, field: string, cause: unknown) => WorkflowError,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not valid JSON (${error instanceof Error ? error.message : String(error)})`, "(file)", error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { field, problem } = describeFirstIssue(parsed.error);
    throw corrupt(`${field}: ${problem}`, field, parsed.error);
  }
  return parsed.data;
}

function corruptError(message: string, details: Record<string, unknown>, cause?: unknown): WorkflowError {
  return new WorkflowError("CHECKPOINT_CORRUPT", message, details, cause === undefined ? undefined : { cause });
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
