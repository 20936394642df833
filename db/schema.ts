/**
 * The single source of truth for the SQLite schema. Migrations are generated from this file
 * (`npx drizzle-kit generate`) into `db/migrations/`; never edit a generated migration after merge.
 *
 * Sections: checkpoints (engine storage), then room for the services layer's tables (runs, leases).
 */
import { foreignKey, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// ---------------------------------------------------------------------------------------------------------
// Checkpoints: `SqliteCheckpointStorage` (db/sqlite-checkpoint-storage.ts) implements the engine's
// `CheckpointStorage` on these three tables.
// ---------------------------------------------------------------------------------------------------------

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    checkpointId: text("checkpoint_id").primaryKey(),
    // Save order, the tiebreak for equal created_at. An explicit column rather than rowid, because VACUUM may
    // renumber the rowids of a table without an INTEGER PRIMARY KEY. Assigned as max(seq) + 1 inside the
    // saving transaction (BEGIN IMMEDIATE), so it is unique and increasing across connections.
    seq: integer("seq").notNull(),
    runId: text("run_id").notNull(),
    parentId: text("parent_id"),
    workflowName: text("workflow_name").notNull(),
    superstep: integer("superstep").notNull(),
    /** ISO 8601 text; compared as text, so every writer must use the same format (Date#toISOString). */
    createdAt: text("created_at").notNull(),
    kind: text("kind", { enum: ["initial", "superstep", "responses"] }).notNull(),
    status: text("status", { enum: ["running", "awaiting_input", "completed", "failed"] }).notNull(),
    /** `CheckpointSummary` as JSON text. */
    summary: text("summary").notNull(),
    /** The encoded checkpoint body, stored as-is; decoding is the engine's job. */
    body: text("body").notNull(),
  },
  (table) => [
    uniqueIndex("checkpoints_seq_idx").on(table.seq),
    // seq is the trailing column so "newest first" (created_at DESC, seq DESC) is read off the index, unsorted.
    // Only the per-run listing is indexed: the app never lists checkpoints by workflow or across runs, and
    // each index costs every save a page write (bench/: about 0.8 KiB per revision round).
    index("checkpoints_run_created_idx").on(table.runId, table.createdAt, table.seq),
  ],
);

/** Content-addressed pieces of checkpoint bodies, shared by every checkpoint that holds the same value. */
export const checkpointBlobs = sqliteTable("checkpoint_blobs", {
  hash: text("hash").primaryKey(),
  data: text("data").notNull(),
});

/** Answers to requests, written in the same transaction as the `responses` checkpoint that applies them. */
export const requestResponses = sqliteTable(
  "request_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").notNull(),
    runId: text("run_id").notNull(),
    /** The checkpoint that held the request as pending. No foreign key: deleting it must not erase the answer. */
    baseCheckpointId: text("base_checkpoint_id").notNull(),
    /** The checkpoint that carries the answer; deleting it deletes the answer with it. */
    checkpointId: text("checkpoint_id").notNull(),
    /** JSON text. */
    response: text("response").notNull(),
    answeredBy: text("answered_by"),
    answeredAt: text("answered_at").notNull(),
  },
  (table) => [
    foreignKey({ columns: [table.checkpointId], foreignColumns: [checkpoints.checkpointId] }).onDelete("cascade"),
    // Serves both "responses to a request" (its prefix) and the exclusive check on (request, base).
    index("request_responses_request_base_idx").on(table.requestId, table.baseCheckpointId),
    index("request_responses_checkpoint_idx").on(table.checkpointId),
    // The run page's audit trail.
    index("request_responses_run_idx").on(table.runId, table.id),
  ],
);

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type NewCheckpointRow = typeof checkpoints.$inferInsert;
export type CheckpointBlobRow = typeof checkpointBlobs.$inferSelect;
export type RequestResponseRow = typeof requestResponses.$inferSelect;
export type NewRequestResponseRow = typeof requestResponses.$inferInsert;

// ---------------------------------------------------------------------------------------------------------
// Runs and leases (services layer): added here by lib/services.
// ---------------------------------------------------------------------------------------------------------

/**
 * One row per release-notes run: what listings and the inbox read. Its status, head, pending request,
 * preview and published text are a projection of the run's newest checkpoint, written only inside that
 * checkpoint's save transaction (lib/services/run-projection.ts). The lease columns make sure one process at a
 * time executes a run, and fence every write of an execution that lost its lease.
 */
export const runs = sqliteTable(
  "runs",
  {
    runId: text("run_id").primaryKey(),
    brief: text("brief").notNull(),
    submittedBy: text("submitted_by"),
    status: text("status", { enum: ["running", "awaiting_review", "completed", "failed"] }).notNull(),
    /** The draft number under review or last produced (1, 2, 3, ...); 0 before the first draft. */
    iteration: integer("iteration").notNull().default(0),
    headCheckpointId: text("head_checkpoint_id"),
    /** The request awaiting review, when status is awaiting_review. */
    pendingRequestId: text("pending_request_id"),
    pendingSince: text("pending_since"),
    draftPreview: text("draft_preview"),
    publishedText: text("published_text"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** The writer's label when the run started, e.g. "Offline writer — deterministic, no model". */
    writer: text("writer").notNull(),
    /** False for the offline writer, which the UI names as such. */
    writerIsModel: integer("writer_is_model", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    leaseOwner: text("lease_owner"),
    /** Epoch milliseconds; a lease past this time may be taken over. */
    leaseExpiresAt: integer("lease_expires_at"),
    /**
     * Grows with every acquisition of the lease. A write by an execution succeeds only while owner and token
     * are still its own, so a process that stalled past its lease cannot write after another took the run over.
     */
    leaseToken: integer("lease_token").notNull().default(0),
  },
  (table) => [
    index("runs_created_idx").on(table.createdAt, table.runId),
    index("runs_status_created_idx").on(table.status, table.createdAt, table.runId),
    index("runs_status_pending_idx").on(table.status, table.pendingSince, table.runId),
  ],
);

export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
