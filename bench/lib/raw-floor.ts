/**
 * The physical floor for checkpoint writes: the same rows and bytes the store wrote, replayed with raw
 * better-sqlite3 prepared statements into the same schema (WAL, synchronous=NORMAL, one BEGIN IMMEDIATE
 * transaction per checkpoint). No reads, no validation, no JSON work inside the timed part.
 */
import type { DatabaseConnection } from "@/db/client";
import type { RecordedSave } from "./recording-storage";
import { now } from "./stats";

interface PreparedSave {
  blobs: Array<{ hash: string; data: string }>;
  checkpoint: Record<string, string | number | null>;
  responses: Array<Record<string, string | null>>;
}

/** Everything the store was handed, in bytes of UTF-8: the payload a store cannot avoid writing. */
export function payloadBytes(save: RecordedSave): number {
  const { record } = save;
  let bytes = Buffer.byteLength(record.body) + Buffer.byteLength(JSON.stringify(record.summary));
  for (const text of [record.checkpointId, record.runId, record.parentId ?? "", record.workflowName, record.createdAt, record.kind, record.status]) {
    bytes += Buffer.byteLength(text);
  }
  bytes += 8; // superstep and seq as integers
  for (const blob of save.blobs) bytes += Buffer.byteLength(blob.hash) + Buffer.byteLength(blob.data);
  for (const response of save.responses) bytes += Buffer.byteLength(JSON.stringify(response));
  return bytes;
}

/** Replays `groups` of saves (one group per revision round) and returns the milliseconds each group took. */
export function replayRaw(connection: DatabaseConnection, groups: readonly RecordedSave[][]): number[] {
  const { sqlite } = connection;
  const insertBlob = sqlite.prepare("INSERT OR IGNORE INTO checkpoint_blobs (hash, data) VALUES (?, ?)");
  const insertCheckpoint = sqlite.prepare(
    "INSERT INTO checkpoints (checkpoint_id, seq, run_id, parent_id, workflow_name, superstep, created_at, kind, status, summary, body) " +
      "VALUES (@checkpointId, @seq, @runId, @parentId, @workflowName, @superstep, @createdAt, @kind, @status, @summary, @body)",
  );
  const insertResponse = sqlite.prepare(
    "INSERT INTO request_responses (request_id, run_id, base_checkpoint_id, checkpoint_id, response, answered_by, answered_at) " +
      "VALUES (@requestId, @runId, @baseCheckpointId, @checkpointId, @response, @answeredBy, @answeredAt)",
  );
  const write = sqlite.transaction((save: PreparedSave) => {
    for (const blob of save.blobs) insertBlob.run(blob.hash, blob.data);
    insertCheckpoint.run(save.checkpoint);
    for (const response of save.responses) insertResponse.run(response);
  });
  let seq = (sqlite.prepare("SELECT coalesce(max(seq), 0) AS seq FROM checkpoints").get() as { seq: number }).seq;
  // Serialize outside the timed part: the floor is the write, not JSON.stringify.
  const prepared = groups.map((group) =>
    group.map((save): PreparedSave => {
      const { record } = save;
      return {
        blobs: save.blobs,
        checkpoint: {
          checkpointId: record.checkpointId,
          seq: ++seq,
          runId: record.runId,
          parentId: record.parentId,
          workflowName: record.workflowName,
          superstep: record.superstep,
          createdAt: record.createdAt,
          kind: record.kind,
          status: record.status,
          summary: JSON.stringify(record.summary),
          body: record.body,
        },
        responses: save.responses.map((response) => ({
          requestId: response.requestId,
          runId: response.runId,
          baseCheckpointId: response.baseCheckpointId,
          checkpointId: response.checkpointId,
          response: JSON.stringify(response.response),
          answeredBy: response.answeredBy,
          answeredAt: response.answeredAt,
        })),
      };
    }),
  );
  return prepared.map((group) => {
    const start = now();
    for (const save of group) write.immediate(save);
    return now() - start;
  });
}
