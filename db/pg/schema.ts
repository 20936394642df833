/**
 * The PostgreSQL schema (selected with DATABASE_URL=postgres://…): the same tables and columns as the SQLite
 * schema (db/schema.ts), in PostgreSQL's types. Migrations are generated from this file
 * (`npx drizzle-kit generate --config drizzle.pg.config.ts`) into `db/pg/migrations/`, frozen once shipped.
 *
 * So far: the engine's checkpoint storage (`PgCheckpointStorage`). The services' tables follow.
 */
import { bigint, customType, foreignKey, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

/** Text compared byte by byte, whatever the database's locale: ISO times and ids order as on SQLite. */
const byteText = customType<{ data: string }>({ dataType: () => 'text collate "C"' });

export const checkpoints = pgTable(
  "checkpoints",
  {
    checkpointId: text("checkpoint_id").primaryKey(),
    // Save order, the tiebreak for equal created_at: an identity, so concurrent saves never collide.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    runId: text("run_id").notNull(),
    parentId: text("parent_id"),
    workflowName: text("workflow_name").notNull(),
    superstep: bigint("superstep", { mode: "number" }).notNull(),
    /** ISO 8601 text, compared as text like on SQLite: every writer uses Date#toISOString. */
    createdAt: byteText("created_at").notNull(),
    kind: text("kind", { enum: ["initial", "superstep", "responses"] }).notNull(),
    status: text("status", { enum: ["running", "awaiting_input", "completed", "failed"] }).notNull(),
    /** `CheckpointSummary` as JSON text, without the fields its columns hold. */
    summary: text("summary").notNull(),
    /** The encoded checkpoint body, stored as-is; decoding is the engine's job. */
    body: text("body").notNull(),
  },
  (table) => [
    uniqueIndex("checkpoints_seq_idx").on(table.seq),
    index("checkpoints_run_created_idx").on(table.runId, table.createdAt, table.seq),
  ],
);

export const checkpointBlobs = pgTable("checkpoint_blobs", {
  hash: text("hash").primaryKey(),
  data: text("data").notNull(),
});

export const requestResponses = pgTable(
  "request_responses",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
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
    index("request_responses_request_base_idx").on(table.requestId, table.baseCheckpointId),
    index("request_responses_checkpoint_idx").on(table.checkpointId),
    index("request_responses_run_idx").on(table.runId, table.id),
  ],
);

export type PgCheckpointRow = typeof checkpoints.$inferSelect;
export type PgRequestResponseRow = typeof requestResponses.$inferSelect;
