/**
 * Zod schemas for what checkpoint stores read back from disk: the indexed columns, the summary and the
 * response records. The body is opaque text here; decoding it is the engine's job.
 *
 * Each schema is checked against the engine's type (`satisfies z.ZodType<...>`), so a change to the
 * interface in lib/workflow/checkpoint.ts fails the type check until the stores follow.
 */
import { z } from "zod";
import type { CheckpointHeader, CheckpointRecord, CheckpointSummary, ResponseRecord } from "@/lib/workflow/checkpoint";
import type { JsonValue } from "@/lib/workflow/json";

/**
 * Any JSON value. Everything these schemas check comes out of `JSON.parse`, which can only produce JSON, so
 * walking the value again (as `z.json()` does) would cost time for nothing: it was most of the time of
 * listing 500 headers.
 */
export const parsedJsonValueSchema = z.custom<JsonValue>((value) => value !== undefined);

export const checkpointKindSchema = z.enum(["initial", "superstep", "responses"]);
export const checkpointStatusSchema = z.enum(["running", "awaiting_input", "completed", "failed"]);

export const checkpointSummarySchema = z.object({
  checkpointId: z.string(),
  parentId: z.string().nullable(),
  runId: z.string(),
  superstep: z.number().int(),
  createdAt: z.string(),
  kind: checkpointKindSchema,
  targets: z.array(z.string()),
  executorsWithState: z.array(z.string()),
  pendingRequests: z.array(
    z.object({ requestId: z.string(), sourceExecutorId: z.string(), type: z.string(), payload: parsedJsonValueSchema }),
  ),
  status: z.enum(["awaiting human response", "completed", "failed", "awaiting next superstep"]),
  preview: z.string().nullable(),
}) satisfies z.ZodType<CheckpointSummary>;

export const checkpointHeaderSchema = z.object({
  checkpointId: z.string(),
  runId: z.string(),
  parentId: z.string().nullable(),
  workflowName: z.string(),
  superstep: z.number().int(),
  createdAt: z.string(),
  kind: checkpointKindSchema,
  status: checkpointStatusSchema,
  summary: checkpointSummarySchema,
}) satisfies z.ZodType<CheckpointHeader>;

export const checkpointRecordSchema = checkpointHeaderSchema.extend({
  body: z.string(),
}) satisfies z.ZodType<CheckpointRecord>;

export const responseRecordSchema = z.object({
  requestId: z.string(),
  runId: z.string(),
  baseCheckpointId: z.string(),
  checkpointId: z.string(),
  response: parsedJsonValueSchema,
  answeredBy: z.string().nullable(),
  answeredAt: z.string(),
}) satisfies z.ZodType<ResponseRecord>;

/** Names the first failing path of a zod error, e.g. `summary.pendingRequests.0.type`, for CHECKPOINT_CORRUPT details. */
export function describeFirstIssue(error: z.ZodError): { field: string; problem: string } {
  const issue = error.issues[0];
  if (!issue) return { field: "(root)", problem: "invalid" };
  return { field: issue.path.length > 0 ? issue.path.join(".") : "(root)", problem: issue.message };
}
