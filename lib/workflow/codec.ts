import { createHash } from "node:crypto";
import { z } from "zod";
import {
  CHECKPOINT_SCHEMA_VERSION,
  type Checkpoint,
  type CheckpointBlob,
  type CheckpointRecord,
  type CheckpointStorage,
  type CheckpointSummary,
} from "./checkpoint";
import { WorkflowError } from "./errors";
import { freezeJson, type JsonValue } from "./json";
import type { MessageTypeRegistry } from "./messages";

/*
 * Checkpoint bodies are content-addressed so that storage grows with what changed, not with run length:
 * long strings and large objects become blobs referenced by hash, and long arrays (a conversation) are cut
 * into fixed chunks aligned from the start, so appending only creates a new last chunk. Two checkpoints
 * holding the same conversation share every blob.
 */
const STRING_BLOB_MIN_LENGTH = 200;
const NODE_BLOB_MIN_LENGTH = 400;
const ARRAY_CHUNK_LENGTH = 16;
const CHUNK_LIST_INLINE_MAX = 2;

/** Reserved keys; a user object using a `$` key is wrapped in `$o` so it can't be mistaken for one. */
const BLOB_KEY = "$b";
const CHUNKS_KEY = "$c";
const ESCAPED_OBJECT_KEY = "$o";

interface EncodedNode {
  value: JsonValue;
}

/** Encodes values into blob references, remembering results by object identity (state is immutable). */
export class CheckpointEncoder {
  private cache = new WeakMap<object, EncodedNode>();
  private readonly stringCache = new Map<string, string>();
  /** Hashes this encoder knows to be stored already, so each blob is sent to the store once. */
  private readonly storedHashes = new Set<string>();
  private pending = new Map<string, string>();

  encode(value: JsonValue): JsonValue {
    if (typeof value === "string") {
      return value.length >= STRING_BLOB_MIN_LENGTH ? { [BLOB_KEY]: this.putString(value) } : value;
    }
    if (value === null || typeof value !== "object") return value;
    const cached = this.cache.get(value);
    if (cached) return cached.value;
    let encoded: JsonValue;
    if (Array.isArray(value)) {
      if (value.length > ARRAY_CHUNK_LENGTH) {
        const chunks: string[] = [];
        for (let start = 0; start < value.length; start += ARRAY_CHUNK_LENGTH) {
          const chunk = value.slice(start, start + ARRAY_CHUNK_LENGTH).map((item) => this.encode(item));
          chunks.push(this.put(JSON.stringify(chunk)));
        }
        // a long list of chunk hashes is itself stored once: unchanged, it is one reference in every checkpoint
        // holding it, instead of growing every body by a hash per 16 items
        const list = { [CHUNKS_KEY]: chunks };
        encoded = chunks.length > CHUNK_LIST_INLINE_MAX ? { [BLOB_KEY]: this.put(JSON.stringify(list)) } : list;
      } else {
        encoded = this.maybeBlob(value.map((item) => this.encode(item)));
      }
    } else {
      const members: Record<string, JsonValue> = {};
      let hasReservedKey = false;
      for (const [key, child] of Object.entries(value)) {
        if (key.startsWith("$")) hasReservedKey = true;
        members[key] = this.encode(child);
      }
      encoded = this.maybeBlob(hasReservedKey ? { [ESCAPED_OBJECT_KEY]: members } : members);
    }
    this.cache.set(value, { value: encoded });
    return encoded;
  }

  /** Blobs created (or re-referenced after a store that lost them) since the last call. */
  takeNewBlobs(): CheckpointBlob[] {
    const blobs = [...this.pending].map(([hash, data]) => ({ hash, data }));
    this.pending = new Map();
    return blobs;
  }

  /** Called after a successful save: those blobs are stored and need not be sent again. */
  markStored(blobs: readonly CheckpointBlob[]): void {
    for (const blob of blobs) this.storedHashes.add(blob.hash);
  }

  /**
   * Called for each long string a restore read from a blob, so re-encoding it after a resume reuses its hash
   * instead of hashing the whole conversation again (what made each resumed round cost more than the last).
   */
  rememberString(value: string, hash: string): void {
    if (this.stringCache.size > 10_000) this.stringCache.clear();
    this.stringCache.set(value, hash);
    this.storedHashes.add(hash);
  }

  /** Called when blobs came from the store (a restore), so they are not re-sent. */
  markKnown(hashes: Iterable<string>): void {
    for (const hash of hashes) this.storedHashes.add(hash);
  }

  private maybeBlob(encoded: JsonValue): JsonValue {
    const json = JSON.stringify(encoded);
    return json.length >= NODE_BLOB_MIN_LENGTH ? { [BLOB_KEY]: this.put(json) } : encoded;
  }

  private putString(value: string): string {
    let hash = this.stringCache.get(value);
    if (!hash) {
      hash = this.put(JSON.stringify(value));
      if (this.stringCache.size > 10_000) this.stringCache.clear();
      this.stringCache.set(value, hash);
    }
    return hash;
  }

  private put(data: string): string {
    // 144 bits: collisions are out of reach for any one database, and references stay short
    const hash = createHash("sha256").update(data).digest("base64url").slice(0, 24);
    if (!this.storedHashes.has(hash)) this.pending.set(hash, data);
    return hash;
  }

  /** After a failed save nothing pending is known to be stored: forget caches so the next save resends. */
  resetAfterFailedSave(): void {
    this.pending = new Map();
    this.stringCache.clear();
    this.cache = new WeakMap();
  }
}

const pendingRequestSchema = z.object({
  requestId: z.string().min(1),
  sourceExecutorId: z.string(),
  requestExecutorId: z.string(),
  type: z.string(),
  payload: z.json(),
  createdAt: z.string(),
});
const queuedMessageSchema = z.object({ sourceId: z.string(), targetId: z.string(), type: z.string(), value: z.json() });

const bodySchema = z.object({
  schemaVersion: z.number(),
  graphSignature: z.string(),
  messages: z.array(queuedMessageSchema),
  sharedState: z.record(z.string(), z.json()),
  executorStates: z.record(z.string(), z.json()),
  fanInBuffers: z.record(z.string(), z.record(z.string(), z.array(queuedMessageSchema))),
  pendingRequests: z.array(pendingRequestSchema),
  answeredRequests: z.array(z.object({ requestId: z.string(), answeredAt: z.string(), answeredBy: z.string().nullable() })),
  outputs: z.array(z.object({ sourceExecutorId: z.string(), data: z.json() })),
});

type CheckpointBody = z.infer<typeof bodySchema>;
const bodyFields = Object.keys(bodySchema.shape) as Array<keyof CheckpointBody>;

/** Encodes a checkpoint into a store record plus the blobs it newly references. */
export function encodeCheckpoint(
  checkpoint: Checkpoint,
  summary: CheckpointSummary,
  encoder: CheckpointEncoder,
): { record: CheckpointRecord; blobs: CheckpointBlob[] } {
  const body: Record<string, JsonValue> = {};
  for (const field of bodyFields) {
    body[field] = encoder.encode(checkpoint[field] as unknown as JsonValue);
  }
  const record: CheckpointRecord = {
    checkpointId: checkpoint.checkpointId,
    runId: checkpoint.runId,
    parentId: checkpoint.parentId,
    workflowName: checkpoint.workflowName,
    superstep: checkpoint.superstep,
    createdAt: checkpoint.createdAt,
    kind: checkpoint.kind,
    status: checkpoint.status,
    summary,
    body: JSON.stringify(body),
  };
  return { record, blobs: encoder.takeNewBlobs() };
}

function corrupt(checkpointId: string, field: string, detail: string, cause?: unknown): WorkflowError {
  return new WorkflowError("CHECKPOINT_CORRUPT", `Checkpoint ${checkpointId} is corrupt: ${field}: ${detail}`, { checkpointId, field }, { cause });
}

/**
 * Loads a record's blobs, rebuilds the checkpoint and validates it: schema version, structure, and every
 * stored message type against the workflow's declared types. Never evaluates stored names.
 */
export async function decodeCheckpoint(
  record: CheckpointRecord,
  storage: CheckpointStorage,
  registry: MessageTypeRegistry,
  encoder?: CheckpointEncoder,
): Promise<Checkpoint> {
  const id = record.checkpointId;
  let raw: unknown;
  try {
    raw = JSON.parse(record.body);
  } catch (error) {
    throw corrupt(id, "body", "not valid JSON", error);
  }
  const blobs = await loadAllBlobs(raw, storage, id);
  encoder?.markKnown(blobs.keys());
  const materialized = materialize(raw, blobs, id, "body", encoder);
  const parsed = bodySchema.safeParse(materialized);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(id, issue?.path.join(".") || "body", issue?.message ?? "invalid", parsed.error);
  }
  const body = parsed.data;
  if (body.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) {
    throw corrupt(id, "schemaVersion", `version ${body.schemaVersion} is not the supported ${CHECKPOINT_SCHEMA_VERSION}`);
  }
  const checkTyped = (type: string, value: unknown, field: string) => {
    const declared = registry.get(type);
    if (!declared) throw corrupt(id, field, `unknown message type "${type}"`);
    const result = declared.schema.safeParse(value);
    if (!result.success) throw corrupt(id, field, `value does not match type "${type}": ${result.error.issues[0]?.message ?? ""}`);
  };
  body.messages.forEach((message, i) => checkTyped(message.type, message.value, `messages[${i}]`));
  body.pendingRequests.forEach((request, i) => checkTyped(request.type, request.payload, `pendingRequests[${i}]`));
  for (const [group, bySource] of Object.entries(body.fanInBuffers)) {
    for (const [source, messages] of Object.entries(bySource)) {
      messages.forEach((message, i) => checkTyped(message.type, message.value, `fanInBuffers.${group}.${source}[${i}]`));
    }
  }
  const checkpoint: Checkpoint = {
    ...body,
    checkpointId: id,
    runId: record.runId,
    parentId: record.parentId,
    workflowName: record.workflowName,
    superstep: record.superstep,
    createdAt: record.createdAt,
    kind: record.kind,
    status: record.status,
  };
  freezeJson(checkpoint as unknown as JsonValue, `checkpoint ${id}`);
  return checkpoint;
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return;
  }
  const object = value as Record<string, unknown>;
  const blob = object[BLOB_KEY];
  if (typeof blob === "string") into.add(blob);
  const chunks = object[CHUNKS_KEY];
  if (Array.isArray(chunks)) for (const hash of chunks) if (typeof hash === "string") into.add(hash);
  for (const [key, child] of Object.entries(object)) if (key !== BLOB_KEY && key !== CHUNKS_KEY) collectRefs(child, into);
}

/** Fetches blobs level by level until every reference (blobs refer to blobs) is present. */
async function loadAllBlobs(raw: unknown, storage: CheckpointStorage, checkpointId: string): Promise<Map<string, unknown>> {
  const parsed = new Map<string, unknown>();
  let wanted = new Set<string>();
  collectRefs(raw, wanted);
  while (wanted.size > 0) {
    const hashes = [...wanted].filter((hash) => !parsed.has(hash));
    if (hashes.length === 0) break;
    const found = await storage.loadBlobs(hashes);
    const next = new Set<string>();
    for (const hash of hashes) {
      const data = found.get(hash);
      if (data === undefined) throw corrupt(checkpointId, "body", `missing blob ${hash}`);
      let value: unknown;
      try {
        value = JSON.parse(data);
      } catch (error) {
        throw corrupt(checkpointId, "body", `blob ${hash} is not valid JSON`, error);
      }
      parsed.set(hash, value);
      collectRefs(value, next);
    }
    wanted = next;
  }
  return parsed;
}

function materialize(value: unknown, blobs: Map<string, unknown>, checkpointId: string, path: string, encoder?: CheckpointEncoder): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item, i) => materialize(item, blobs, checkpointId, `${path}[${i}]`, encoder));
  const object = value as Record<string, unknown>;
  if (typeof object[BLOB_KEY] === "string") {
    const blob = blobs.get(object[BLOB_KEY]);
    if (typeof blob === "string") encoder?.rememberString(blob, object[BLOB_KEY]);
    return materialize(blob, blobs, checkpointId, path, encoder);
  }
  if (Array.isArray(object[CHUNKS_KEY])) {
    const items: unknown[] = [];
    for (const hash of object[CHUNKS_KEY]) {
      const chunk = blobs.get(String(hash));
      if (!Array.isArray(chunk)) throw corrupt(checkpointId, path, `chunk ${String(hash)} is not a list`);
      for (const item of chunk) items.push(materialize(item, blobs, checkpointId, path, encoder));
    }
    return items;
  }
  const members = ESCAPED_OBJECT_KEY in object ? (object[ESCAPED_OBJECT_KEY] as Record<string, unknown>) : object;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(members)) result[key] = materialize(child, blobs, checkpointId, `${path}.${key}`, encoder);
  return result;
}
