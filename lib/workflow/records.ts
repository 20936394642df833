/**
 * What checkpoint stores persist besides the encoded body, defined once: the header (the columns a store
 * indexes), the SPEC §7 summary stored beside it, and recorded answers. Stores validate what they read back
 * with these schemas; the engine's types are inferred from them, so there is one list of fields.
 */
import { z } from "zod";
import type { JsonValue } from "./json";

/**
 * Any JSON value. Everything these schemas check comes out of `JSON.parse`, which can only produce JSON, so
 * walking the value again (as `z.json()` does) would cost time for nothing: it was most of the time of
 * listing 500 headers.
 */
export const parsedJsonValueSchema = z.custom<JsonValue>((value) => value !== undefined);

export const checkpointKindSchema = z.enum(["initial", "superstep", "responses"]);
export type CheckpointKind = z.infer<typeof checkpointKindSchema>;

export const checkpointStatusSchema = z.enum(["running", "awaiting_input", "completed", "failed"]);
export type CheckpointStatus = z.infer<typeof checkpointStatusSchema>;

/** SPEC §7 statuses, as people read them. */
export const checkpointSummaryStatusSchema = z.enum([
  "awaiting human response",
  "completed",
  "failed",
  "awaiting next superstep",
]);
export type CheckpointSummaryStatus = z.infer<typeof checkpointSummaryStatusSchema>;

/** The fields a summary shares with its checkpoint's header; stores with columns for them need not store them twice. */
const summaryIdentity = {
  checkpointId: z.string(),
  parentId: z.string().nullable(),
  runId: z.string(),
  superstep: z.number().int(),
  createdAt: z.string(),
  kind: checkpointKindSchema,
};
export const SUMMARY_IDENTITY_FIELDS = Object.keys(summaryIdentity) as Array<keyof typeof summaryIdentity>;

/** What timelines and listings show; stored beside each checkpoint so listing never decodes bodies. */
export const checkpointSummarySchema = z.object({
  ...summaryIdentity,
  /** The executors that will run next: the targets of queued messages. */
  targets: z.array(z.string()),
  executorsWithState: z.array(z.string()),
  pendingRequests: z.array(
    z.object({ requestId: z.string(), sourceExecutorId: z.string(), type: z.string(), payload: parsedJsonValueSchema }),
  ),
  status: checkpointSummaryStatusSchema,
  /** A workflow-supplied preview (the release-notes workflow: the draft under review, 80 characters). */
  preview: z.string().nullable(),
  /**
   * Structured facts the workflow derives from the checkpoint (the release-notes workflow: the draft number
   * and the published text), so readers need not decode the body or parse the preview. Absent before
   * release 2, read as null.
   */
  details: parsedJsonValueSchema.nullable().default(null),
});
export type CheckpointSummary = z.output<typeof checkpointSummarySchema>;

const headerColumns = {
  checkpointId: z.string(),
  runId: z.string(),
  parentId: z.string().nullable(),
  workflowName: z.string(),
  superstep: z.number().int(),
  createdAt: z.string(),
  kind: checkpointKindSchema,
  status: checkpointStatusSchema,
};
/** The header's own fields: what a store keeps as indexed columns (the summary is stored beside them). */
export const CHECKPOINT_HEADER_COLUMNS = Object.keys(headerColumns) as Array<keyof typeof headerColumns>;

/** A stored checkpoint without its body, as `list` returns it. */
export const checkpointHeaderSchema = z.object({ ...headerColumns, summary: checkpointSummarySchema });
export type CheckpointHeader = z.output<typeof checkpointHeaderSchema>;

/** A checkpoint as stores persist it: indexed columns, the summary, and an encoded body (JSON text). */
export const checkpointRecordSchema = checkpointHeaderSchema.extend({
  /** JSON text; large values inside are references to blobs (see `loadBlobs`). */
  body: z.string(),
});
export type CheckpointRecord = z.output<typeof checkpointRecordSchema>;

/** A recorded answer to a request, written in the same transaction as the checkpoint that applies it. */
export const responseRecordSchema = z.object({
  requestId: z.string(),
  runId: z.string(),
  /** The checkpoint the answer was applied to (the one that held the request as pending). */
  baseCheckpointId: z.string(),
  /** The `responses` checkpoint that carries the answer. */
  checkpointId: z.string(),
  response: parsedJsonValueSchema,
  answeredBy: z.string().nullable(),
  answeredAt: z.string(),
});
export type ResponseRecord = z.output<typeof responseRecordSchema>;

/** A summary without the fields its header already holds, for stores that keep those as columns. */
export function summaryWithoutIdentity(
  summary: CheckpointSummary,
): Omit<CheckpointSummary, (typeof SUMMARY_IDENTITY_FIELDS)[number]> {
  const rest: Record<string, unknown> = { ...summary };
  for (const field of SUMMARY_IDENTITY_FIELDS) delete rest[field];
  return rest as Omit<CheckpointSummary, (typeof SUMMARY_IDENTITY_FIELDS)[number]>;
}

/** The header's fields, picked from anything that has them (a record, a row). */
export function pickHeaderColumns<T extends Record<(typeof CHECKPOINT_HEADER_COLUMNS)[number], unknown>>(
  source: T,
): Pick<T, (typeof CHECKPOINT_HEADER_COLUMNS)[number]> {
  return Object.fromEntries(CHECKPOINT_HEADER_COLUMNS.map((field) => [field, source[field]])) as Pick<
    T,
    (typeof CHECKPOINT_HEADER_COLUMNS)[number]
  >;
}

/** Names the first failing path of a zod error, e.g. `summary.pendingRequests.0.type`, for CHECKPOINT_CORRUPT details. */
export function describeFirstIssue(error: z.ZodError): { field: string; problem: string } {
  const issue = error.issues[0];
  if (!issue) return { field: "(root)", problem: "invalid" };
  return { field: issue.path.length > 0 ? issue.path.join(".") : "(root)", problem: issue.message };
}
