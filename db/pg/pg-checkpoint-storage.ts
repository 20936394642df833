import { and, asc, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import {
  CHECKPOINT_HEADER_COLUMNS,
  pickHeaderColumns,
  checkpointExistsError,
  requestAlreadyAnsweredError,
  summaryWithoutIdentity,
  type CheckpointHeader,
  type CheckpointQuery,
  type CheckpointRecord,
  type CheckpointStorage,
  type ResponseRecord,
  type SaveOptions,
} from "@/lib/workflow";
import { toHeader, toResponseRecord } from "../checkpoint-rows";
import type { PgConnection, PgTransaction } from "./client";
import { checkpointBlobs, checkpoints, requestResponses } from "./schema";

/** Header columns: everything but the body, so listing never reads bodies. */
const headerColumns = {
  ...Object.fromEntries(CHECKPOINT_HEADER_COLUMNS.map((field) => [field, checkpoints[field]])),
  summary: checkpoints.summary,
} as { [K in (typeof CHECKPOINT_HEADER_COLUMNS)[number] | "summary"]: (typeof checkpoints)[K] };

const newestFirst = [desc(checkpoints.createdAt), desc(checkpoints.seq)];

/** Runs inside a save's transaction, after the checkpoint is written; a throw rolls the whole save back. */
export type PgInTransaction = (tx: PgTransaction, record: CheckpointRecord, options: SaveOptions) => Promise<void>;

const UNIQUE_VIOLATION = "23505";

const CHECKPOINT_PLACEHOLDERS = Object.fromEntries(
  [...CHECKPOINT_HEADER_COLUMNS, "summary", "body"].map((column) => [column, sql.placeholder(column)]),
) as unknown as typeof checkpoints.$inferInsert;

/**
 * {@link CheckpointStorage} on PostgreSQL (drizzle over node-postgres), with the SQLite store's behaviour:
 * `save` is one transaction; an exclusive save first takes a transaction-scoped advisory lock per answered
 * (request, base checkpoint), so two processes answering one request at once are serialized and the second finds
 * the first's answer (REQUEST_ALREADY_ANSWERED) instead of both being written.
 */
export class PgCheckpointStorage implements CheckpointStorage {
  constructor(private readonly connection: Pick<PgConnection, "db">) {}

  /** @param inTransaction also runs inside the save's transaction. */
  async save(record: CheckpointRecord, options: SaveOptions = {}, inTransaction?: PgInTransaction): Promise<void> {
    try {
      await this.connection.db.transaction(async (tx) => {
        await this.saveInTransaction(tx, record, options);
        await inTransaction?.(tx, record, options);
      });
    } catch (error) {
      // the id is taken (saved before, or by a concurrent save): drizzle wraps the driver's error in `cause`
      const { code, constraint } = ((error as { cause?: unknown }).cause ?? error) as {
        code?: string;
        constraint?: string;
      };
      if (code === UNIQUE_VIOLATION && constraint === "checkpoints_pkey") throw checkpointExistsError(record);
      throw error;
    }
  }

  async load(checkpointId: string): Promise<CheckpointRecord | undefined> {
    const [row] = await this.connection.db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.checkpointId, checkpointId))
      .limit(1);
    return row ? { ...toHeader(row), body: row.body } : undefined;
  }

  async loadBlobs(hashes: readonly string[]): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map();
    const rows = await this.connection.db
      .select()
      .from(checkpointBlobs)
      .where(inArray(checkpointBlobs.hash, [...hashes]));
    return new Map(rows.map((row) => [row.hash, row.data]));
  }

  async list(query: CheckpointQuery = {}): Promise<CheckpointHeader[]> {
    const conditions: SQL[] = [];
    if (query.runId !== undefined) conditions.push(eq(checkpoints.runId, query.runId));
    if (query.workflowName !== undefined) conditions.push(eq(checkpoints.workflowName, query.workflowName));
    if (query.before !== undefined) conditions.push(lt(checkpoints.createdAt, query.before));
    const select = this.connection.db
      .select(headerColumns)
      .from(checkpoints)
      .where(and(...conditions))
      .orderBy(...newestFirst);
    const rows = query.limit === undefined ? await select : await select.limit(Math.max(0, query.limit));
    return rows.map(toHeader);
  }

  async latest(runId: string): Promise<CheckpointRecord | undefined> {
    const [row] = await this.connection.db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.runId, runId))
      .orderBy(...newestFirst)
      .limit(1);
    return row ? { ...toHeader(row), body: row.body } : undefined;
  }

  async delete(checkpointId: string): Promise<boolean> {
    // The answers this checkpoint carried go with it (ON DELETE CASCADE); blobs stay for other checkpoints.
    const deleted = await this.connection.db
      .delete(checkpoints)
      .where(eq(checkpoints.checkpointId, checkpointId))
      .returning({ checkpointId: checkpoints.checkpointId });
    return deleted.length > 0;
  }

  async findResponses(requestId: string): Promise<ResponseRecord[]> {
    const rows = await this.connection.db
      .select()
      .from(requestResponses)
      .where(eq(requestResponses.requestId, requestId))
      .orderBy(asc(requestResponses.id));
    return rows.map(toResponseRecord);
  }

  private async saveInTransaction(tx: PgTransaction, record: CheckpointRecord, options: SaveOptions): Promise<void> {
    // no lookup first: the insert's primary-key violation says "exists" (save() turns it into CHECKPOINT_EXISTS), one
    // round trip fewer per checkpoint
    const responses = options.responses ?? [];
    if (options.exclusive) {
      // in a fixed order, so two saves answering the same requests cannot deadlock
      const keys = [
        ...new Set(responses.map((response) => JSON.stringify([response.requestId, response.baseCheckpointId]))),
      ].sort();
      for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      for (const response of responses) {
        const [first] = await tx
          .select()
          .from(requestResponses)
          .where(
            and(
              eq(requestResponses.requestId, response.requestId),
              eq(requestResponses.baseCheckpointId, response.baseCheckpointId),
            ),
          )
          .orderBy(asc(requestResponses.id))
          .limit(1);
        if (first) throw requestAlreadyAnsweredError(toResponseRecord(first));
      }
    }
    const blobs = options.blobs ?? [];
    if (blobs.length > 0)
      await tx
        .insert(checkpointBlobs)
        .values([...new Map(blobs.map((blob) => [blob.hash, { hash: blob.hash, data: blob.data }])).values()])
        .onConflictDoNothing();
    // named: each pooled connection parses it once
    await tx
      .insert(checkpoints)
      .values(CHECKPOINT_PLACEHOLDERS)
      .prepare("draftgate_insert_checkpoint")
      .execute({
        ...pickHeaderColumns(record),
        summary: JSON.stringify(summaryWithoutIdentity(record.summary)),
        body: record.body,
      });
    if (responses.length > 0)
      await tx
        .insert(requestResponses)
        .values(responses.map((response) => ({ ...response, response: JSON.stringify(response.response) })));
  }
}
