import {
  checkpointHeaderSchema,
  describeFirstIssue,
  responseRecordSchema,
  WorkflowError,
  type CheckpointHeader,
  type ResponseRecord,
} from "@/lib/workflow";

/**
 * Rows of the checkpoint tables as both stores (SQLite and PostgreSQL) read them back, decoded and validated in
 * one place: a row that does not make a valid header or answer is CHECKPOINT_CORRUPT, naming the field.
 */

export interface HeaderRow {
  checkpointId: string;
  runId: string;
  parentId: string | null;
  workflowName: string;
  superstep: number;
  createdAt: string;
  kind: string;
  status: string;
  summary: string;
}

export interface ResponseRow {
  id: number;
  requestId: string;
  runId: string;
  baseCheckpointId: string;
  checkpointId: string;
  response: string;
  answeredBy: string | null;
  answeredAt: string;
}

/**
 * Validates a row read back from a store's database; the body is left as stored (decoding it is the engine's job).
 * The summary is stored without the ids, superstep, time and kind its columns hold (about 200 bytes per checkpoint).
 */
export function toHeader(row: HeaderRow): CheckpointHeader {
  const field = (name: string, problem: string, cause?: unknown) =>
    new WorkflowError(
      "CHECKPOINT_CORRUPT",
      `Checkpoint ${row.checkpointId} is corrupt: ${name}: ${problem}`,
      { checkpointId: row.checkpointId, runId: row.runId, field: name },
      cause === undefined ? undefined : { cause },
    );
  let summary: unknown;
  try {
    const stored = JSON.parse(row.summary) as object;
    // the summary's ids, superstep, time and kind live in their own columns; they are not stored twice
    summary = {
      checkpointId: row.checkpointId,
      parentId: row.parentId,
      runId: row.runId,
      superstep: row.superstep,
      createdAt: row.createdAt,
      kind: row.kind,
      ...stored,
    };
  } catch (error) {
    throw field("summary", "not valid JSON", error);
  }
  const parsed = checkpointHeaderSchema.safeParse({ ...row, summary });
  if (!parsed.success) {
    const issue = describeFirstIssue(parsed.error);
    throw field(issue.field, issue.problem, parsed.error);
  }
  return parsed.data;
}

export function toResponseRecord(row: ResponseRow): ResponseRecord {
  const corrupt = (name: string, problem: string, cause: unknown) =>
    new WorkflowError(
      "CHECKPOINT_CORRUPT",
      `Response ${row.id} to request ${row.requestId} (checkpoint ${row.checkpointId}) is corrupt: ${name}: ${problem}`,
      { checkpointId: row.checkpointId, requestId: row.requestId, field: name },
      { cause },
    );
  let response: unknown;
  try {
    response = JSON.parse(row.response);
  } catch (error) {
    throw corrupt("response", "not valid JSON", error);
  }
  const parsed = responseRecordSchema.safeParse({
    requestId: row.requestId,
    runId: row.runId,
    baseCheckpointId: row.baseCheckpointId,
    checkpointId: row.checkpointId,
    response,
    answeredBy: row.answeredBy,
    answeredAt: row.answeredAt,
  });
  if (!parsed.success) {
    const issue = describeFirstIssue(parsed.error);
    throw corrupt(issue.field, issue.problem, parsed.error);
  }
  return parsed.data;
}
