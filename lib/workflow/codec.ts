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
import { freezeJson, setOwnProperty, type JsonValue } from "./json";
import type { MessageTypeRegistry } from "./messages";
import { parsedJsonValueSchema, pickHeaderColumns } from "./records";

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

/**
 * Reserved keys. An encoded object holds one only as a marker: `{ $b: hash }` (a blob), `{ $c: [hashes] }` (a
 * chunked list) or `{ $o: members }` (a user object with a `$` key, wrapped so it can't be mistaken for one).
 */
const BLOB_KEY = "$b";
const CHUNKS_KEY = "$c";
const ESCAPED_OBJECT_KEY = "$o";

interface EncodedNode {
  value: JsonValue;
}

/** The reference of a blob: 144 bits of its SHA-256, so collisions are out of reach and references stay short. */
export function blobHash(data: string): string {
  return createHash("sha256").update(data).digest("base64url").slice(0, 24);
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
        setOwnProperty(members, key, this.encode(child));
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
    const hash = blobHash(data);
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
  payload: parsedJsonValueSchema,
  createdAt: z.string(),
});
const queuedMessageSchema = z.object({
  sourceId: z.string(),
  targetId: z.string(),
  type: z.string(),
  value: parsedJsonValueSchema,
});
/** A JSON object kept as it is: rebuilding it (as `z.record` does) would turn an own `__proto__` key into a prototype. */
const jsonObjectSchema = z.custom<Record<string, JsonValue>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object",
);

/** The current body format. Values come from JSON.parse, so JSON-valued fields are not walked again. */
const bodySchema = z.object({
  schemaVersion: z.number(),
  graphSignature: z.string(),
  messages: z.array(queuedMessageSchema),
  sharedState: jsonObjectSchema,
  executorStates: jsonObjectSchema,
  fanInBuffers: z.record(z.string(), z.record(z.string(), z.array(queuedMessageSchema))),
  pendingRequests: z.array(pendingRequestSchema),
  answeredRequests: z.array(
    z.object({ requestId: z.string(), answeredAt: z.string(), answeredBy: z.string().nullable() }),
  ),
  outputs: z.array(z.object({ sourceExecutorId: z.string(), data: parsedJsonValueSchema })),
});

type CheckpointBody = z.infer<typeof bodySchema>;
const bodyFields = Object.keys(bodySchema.shape) as Array<keyof CheckpointBody>;

/** Turns a materialized body of version v into one of version v + 1. */
export type CheckpointBodyUpgrade = (body: Record<string, unknown>) => Record<string, unknown>;

/**
 * One upgrade step per body version older than {@link CHECKPOINT_SCHEMA_VERSION}, keyed by the version it
 * upgrades from. Empty while version 1 (release 1's format) is the only one written; a future format change
 * adds the step from the version before it here, so checkpoints written by older releases keep loading.
 */
export const CHECKPOINT_BODY_UPGRADES: Readonly<Record<number, CheckpointBodyUpgrade>> = {};

/**
 * Brings a materialized body from its stored `schemaVersion` to `target` by applying each step in order.
 * @throws WorkflowError CHECKPOINT_INCOMPATIBLE for a version newer than `target` or one without an upgrade path.
 */
export function upgradeCheckpointBody(
  body: Record<string, unknown>,
  options: { checkpointId: string; target?: number; upgrades?: Readonly<Record<number, CheckpointBodyUpgrade>> },
): Record<string, unknown> {
  const target = options.target ?? CHECKPOINT_SCHEMA_VERSION;
  const upgrades = options.upgrades ?? CHECKPOINT_BODY_UPGRADES;
  let version = checkVersion(body.schemaVersion, options.checkpointId, target, upgrades);
  let upgraded = body;
  while (version < target) {
    upgraded = (upgrades[version] as CheckpointBodyUpgrade)(upgraded);
    version += 1;
    upgraded = { ...upgraded, schemaVersion: version };
  }
  return upgraded;
}

/** The stored version, when this build can read it (directly or through upgrade steps). */
function checkVersion(
  stored: unknown,
  checkpointId: string,
  target: number,
  upgrades: Readonly<Record<number, CheckpointBodyUpgrade>>,
): number {
  if (typeof stored !== "number" || !Number.isInteger(stored))
    throw corrupt(checkpointId, "schemaVersion", `expected a whole number, got ${JSON.stringify(stored)}`);
  if (stored > target) {
    throw incompatible(
      checkpointId,
      `its body format is version ${stored}, written by a newer release; this one reads versions up to ${target}`,
    );
  }
  for (let version = stored; version < target; version++) {
    if (!upgrades[version])
      throw incompatible(
        checkpointId,
        `its body format is version ${stored}, and this release has no upgrade from version ${version}`,
      );
  }
  return stored;
}

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
  const record: CheckpointRecord = { ...pickHeaderColumns(checkpoint), summary, body: JSON.stringify(body) };
  return { record, blobs: encoder.takeNewBlobs() };
}

function corrupt(checkpointId: string, field: string, detail: string, cause?: unknown): WorkflowError {
  return new WorkflowError(
    "CHECKPOINT_CORRUPT",
    `Checkpoint ${checkpointId} is corrupt: ${field}: ${detail}`,
    { checkpointId, field },
    { cause },
  );
}

function incompatible(checkpointId: string, detail: string): WorkflowError {
  return new WorkflowError("CHECKPOINT_INCOMPATIBLE", `Checkpoint ${checkpointId} cannot be loaded: ${detail}`, {
    checkpointId,
  });
}

export interface DecodeOptions {
  /** Remembers the blobs read, so saving after a resume does not send them again. */
  encoder?: CheckpointEncoder;
  /**
   * The workflow that wants to continue the checkpoint. Compared before the body is decoded with that
   * workflow's message types, so a changed graph is reported as CHECKPOINT_INCOMPATIBLE, not as corruption.
   */
  expected?: { workflowName: string; graphSignature: string };
}

/**
 * Rebuilds a checkpoint from its record and blobs and validates it: the body's version (upgrading older
 * ones), the workflow and graph it was written by, each blob against its hash, the structure, and every stored
 * message type against the workflow's declared types. Never evaluates stored names.
 * @throws WorkflowError CHECKPOINT_INCOMPATIBLE (another workflow or graph, a body format this release cannot read) or CHECKPOINT_CORRUPT.
 */
export async function decodeCheckpoint(
  record: CheckpointRecord,
  storage: CheckpointStorage,
  registry: MessageTypeRegistry,
  options: DecodeOptions = {},
): Promise<Checkpoint> {
  const id = record.checkpointId;
  let raw: unknown;
  try {
    raw = JSON.parse(record.body);
  } catch (error) {
    throw corrupt(id, "body", "not valid JSON", error);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw corrupt(id, "body", "not a JSON object");
  const stored = raw as Record<string, unknown>;
  checkVersion(stored.schemaVersion, id, CHECKPOINT_SCHEMA_VERSION, CHECKPOINT_BODY_UPGRADES);
  if (options.expected) {
    const { workflowName, graphSignature } = options.expected;
    if (record.workflowName !== workflowName || stored.graphSignature !== graphSignature) {
      throw incompatible(
        id,
        `it was written by workflow "${record.workflowName}" with graph ${String(stored.graphSignature)}; this is "${workflowName}" with graph ${graphSignature}`,
      );
    }
  }
  const blobs = await loadAllBlobs(stored, storage, id);
  options.encoder?.markKnown(blobs.keys());
  const materialized = materialize(stored, blobs, id, "body", options.encoder) as Record<string, unknown>;
  const parsed = bodySchema.safeParse(upgradeCheckpointBody(materialized, { checkpointId: id }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(id, issue?.path.join(".") || "body", issue?.message ?? "invalid", parsed.error);
  }
  const body = parsed.data;
  const checkTyped = (type: string, value: unknown, field: string) => {
    const declared = registry.get(type);
    if (!declared) throw corrupt(id, field, `unknown message type "${type}"`);
    const result = declared.schema.safeParse(value);
    if (!result.success)
      throw corrupt(id, field, `value does not match type "${type}": ${result.error.issues[0]?.message ?? ""}`);
  };
  body.messages.forEach((message, i) => checkTyped(message.type, message.value, `messages[${i}]`));
  body.pendingRequests.forEach((request, i) => checkTyped(request.type, request.payload, `pendingRequests[${i}]`));
  for (const [group, bySource] of Object.entries(body.fanInBuffers)) {
    for (const [source, messages] of Object.entries(bySource)) {
      messages.forEach((message, i) =>
        checkTyped(message.type, message.value, `fanInBuffers.${group}.${source}[${i}]`),
      );
    }
  }
  const checkpoint: Checkpoint = { ...body, ...pickHeaderColumns(record) };
  freezeJson(checkpoint as unknown as JsonValue, `checkpoint ${id}`);
  return checkpoint;
}

/** How an encoded node refers to blobs, if it is a marker: its blob, its chunks, or its escaped members. */
function markerOf(
  object: Record<string, unknown>,
): { blob: string } | { chunks: unknown[] } | { members: Record<string, unknown> } | undefined {
  if (typeof object[BLOB_KEY] === "string") return { blob: object[BLOB_KEY] };
  if (Array.isArray(object[CHUNKS_KEY])) return { chunks: object[CHUNKS_KEY] };
  const members = object[ESCAPED_OBJECT_KEY];
  if (Object.hasOwn(object, ESCAPED_OBJECT_KEY) && typeof members === "object" && members !== null)
    return { members: members as Record<string, unknown> };
  return undefined;
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return;
  }
  const marker = markerOf(value as Record<string, unknown>);
  if (marker && "blob" in marker) into.add(marker.blob);
  else if (marker && "chunks" in marker) for (const hash of marker.chunks) into.add(String(hash));
  else
    for (const child of Object.values(marker ? marker.members : (value as Record<string, unknown>)))
      collectRefs(child, into);
}

/** Fetches blobs level by level until every reference (blobs refer to blobs) is present, checking each against its hash. */
async function loadAllBlobs(
  raw: unknown,
  storage: CheckpointStorage,
  checkpointId: string,
): Promise<Map<string, unknown>> {
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
      if (blobHash(data) !== hash)
        throw corrupt(checkpointId, "body", `blob ${hash} does not match its hash (it was modified)`);
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

function materialize(
  value: unknown,
  blobs: Map<string, unknown>,
  checkpointId: string,
  path: string,
  encoder?: CheckpointEncoder,
): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value))
    return value.map((item, i) => materialize(item, blobs, checkpointId, `${path}[${i}]`, encoder));
  const marker = markerOf(value as Record<string, unknown>);
  if (marker && "blob" in marker) {
    const blob = blobs.get(marker.blob);
    if (typeof blob === "string") encoder?.rememberString(blob, marker.blob);
    return materialize(blob, blobs, checkpointId, path, encoder);
  }
  if (marker && "chunks" in marker) {
    const items: unknown[] = [];
    for (const hash of marker.chunks) {
      const chunk = blobs.get(String(hash));
      if (!Array.isArray(chunk)) throw corrupt(checkpointId, path, `chunk ${String(hash)} is not a list`);
      for (const item of chunk) items.push(materialize(item, blobs, checkpointId, path, encoder));
    }
    return items;
  }
  const members = marker ? marker.members : (value as Record<string, unknown>);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(members))
    setOwnProperty(result, key, materialize(child, blobs, checkpointId, `${path}.${key}`, encoder));
  return result;
}
