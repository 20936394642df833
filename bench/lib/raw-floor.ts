/**
 * The physical floor for checkpoint writes: the rows and bytes the store actually wrote (read back from its
 * database), replayed with raw better-sqlite3 prepared statements into the same schema (WAL,
 * synchronous=NORMAL, one BEGIN IMMEDIATE transaction per checkpoint). No reads, no validation, no JSON work
 * inside the timed part.
 */
import type { DatabaseConnection } from "@/db/client";
import type { RecordedSave } from "./recording-storage";
import { now } from "./stats";

type Row = Record<string, string | number | null>;

/** One checkpoint as stored: its row, the blobs its save added, the answers it carried. */
export interface StoredSave {
  checkpoint: Row;
  blobs: Array<{ hash: string; data: string }>;
  responses: Row[];
}

/** Reads back what the store wrote for each recorded save (call before closing the store's connection). */
export function readStoredSaves(connection: DatabaseConnection, saves: readonly RecordedSave[]): StoredSave[] {
  const checkpoint = connection.sqlite.prepare("SELECT * FROM checkpoints WHERE checkpoint_id = ?");
  const responses = connection.sqlite.prepare("SELECT * FROM request_responses WHERE checkpoint_id = ? ORDER BY id");
  return saves.map((save) => {
    const row = checkpoint.get(save.record.checkpointId) as Row | undefined;
    if (!row) throw new Error(`checkpoint ${save.record.checkpointId} was not stored`);
    return { checkpoint: row, blobs: save.blobs, responses: responses.all(save.record.checkpointId) as Row[] };
  });
}

function rowBytes(row: Row): number {
  let bytes = 0;
  for (const value of Object.values(row))
    bytes += typeof value === "string" ? Buffer.byteLength(value) : value === null ? 0 : 8;
  return bytes;
}

/** The bytes a store cannot avoid writing for a save: every stored column value, the new blobs, the answers. */
export function storedBytes(save: StoredSave): number {
  let bytes = rowBytes(save.checkpoint);
  for (const blob of save.blobs) bytes += Buffer.byteLength(blob.hash) + Buffer.byteLength(blob.data);
  for (const response of save.responses) bytes += rowBytes(response);
  return bytes;
}

/** Replays `groups` of saves (one group per revision round) and returns the milliseconds each group took. */
export function replayRaw(connection: DatabaseConnection, groups: readonly StoredSave[][]): number[] {
  const { sqlite } = connection;
  const insertBlob = sqlite.prepare("INSERT OR IGNORE INTO checkpoint_blobs (hash, data) VALUES (?, ?)");
  const statementFor = (table: string, row: Row) => {
    const columns = Object.keys(row).filter((column) => !(table === "request_responses" && column === "id"));
    return sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((column) => `@${column}`).join(", ")})`,
    );
  };
  const first = groups.find((group) => group.length > 0)?.[0];
  const firstResponse = groups.flat().find((save) => save.responses.length > 0)?.responses[0];
  if (!first) return groups.map(() => 0);
  const insertCheckpoint = statementFor("checkpoints", first.checkpoint);
  const insertResponse = firstResponse ? statementFor("request_responses", firstResponse) : undefined;
  const write = sqlite.transaction((save: StoredSave) => {
    for (const blob of save.blobs) insertBlob.run(blob.hash, blob.data);
    insertCheckpoint.run(save.checkpoint);
    for (const response of save.responses) {
      const { id: _id, ...values } = response;
      insertResponse?.run(values);
    }
  });
  return groups.map((group) => {
    const start = now();
    for (const save of group) write.immediate(save);
    return now() - start;
  });
}
