import type Database from "better-sqlite3";
import { and, asc, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import {
  CHECKPOINT_HEADER_COLUMNS,
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
import { toHeader, toResponseRecord } from "./checkpoint-rows";
import type { AppDatabase } from "./client";
import { checkpointBlobs, checkpoints, requestResponses } from "./schema";

const placeholder = sql.placeholder;

/** Header columns: everything but the body, so listing never reads bodies off disk. */
const headerColumns = {
  ...Object.fromEntries(CHECKPOINT_HEADER_COLUMNS.map((field) => [field, checkpoints[field]])),
  summary: checkpoints.summary,
} as { [K in (typeof CHECKPOINT_HEADER_COLUMNS)[number] | "summary"]: (typeof checkpoints)[K] };

const newestFirst = [desc(checkpoints.createdAt), desc(checkpoints.seq)];

/**
 * The production {@link CheckpointStorage}: drizzle over better-sqlite3 (see db/schema.ts).
 *
 * `save` is one `BEGIN IMMEDIATE` transaction: the write lock is taken before the exclusive check reads, so
 * check-then-insert is atomic across connections and processes, and a competing writer waits (busy_timeout)
 * rather than failing. The statements are prepared once per instance. better-sqlite3 is synchronous; the
 * async interface simply resolves afterwards.
 */
export class SqliteCheckpointStorage implements CheckpointStorage {
  private readonly statements;
  private readonly listStatements = new Map<string, ReturnType<typeof this.prepareList>>();
  private readonly saveTransaction;

  constructor(private readonly connection: { db: AppDatabase; sqlite: Database.Database }) {
    const { db } = connection;
    this.statements = {
      checkpointExists: db
        .select({ found: sql<number>`1` })
        .from(checkpoints)
        .where(eq(checkpoints.checkpointId, placeholder("checkpointId")))
        .prepare(),
      insertCheckpoint: db
        .insert(checkpoints)
        .values({
          checkpointId: placeholder("checkpointId"),
          // Inside BEGIN IMMEDIATE no other writer runs, so max + 1 is unique and increasing.
          seq: sql`(select coalesce(max(${checkpoints.seq}), 0) + 1 from ${checkpoints})`,
          runId: placeholder("runId"),
          parentId: placeholder("parentId"),
          workflowName: placeholder("workflowName"),
          superstep: placeholder("superstep"),
          createdAt: placeholder("createdAt"),
          kind: placeholder("kind"),
          status: placeholder("status"),
          summary: placeholder("summary"),
          body: placeholder("body"),
        })
        .prepare(),
      insertBlob: db
        .insert(checkpointBlobs)
        .values({ hash: placeholder("hash"), data: placeholder("data") })
        .onConflictDoNothing()
        .prepare(),
      insertResponse: db
        .insert(requestResponses)
        .values({
          requestId: placeholder("requestId"),
          runId: placeholder("runId"),
          baseCheckpointId: placeholder("baseCheckpointId"),
          checkpointId: placeholder("checkpointId"),
          response: placeholder("response"),
          answeredBy: placeholder("answeredBy"),
          answeredAt: placeholder("answeredAt"),
        })
        .prepare(),
      firstAnswer: db
        .select()
        .from(requestResponses)
        .where(
          and(
            eq(requestResponses.requestId, placeholder("requestId")),
            eq(requestResponses.baseCheckpointId, placeholder("baseCheckpointId")),
          ),
        )
        .orderBy(asc(requestResponses.id))
        .limit(1)
        .prepare(),
      load: db
        .select()
        .from(checkpoints)
        .where(eq(checkpoints.checkpointId, placeholder("checkpointId")))
        .prepare(),
      latest: db
        .select()
        .from(checkpoints)
        .where(eq(checkpoints.runId, placeholder("runId")))
        .orderBy(...newestFirst)
        .limit(1)
        .prepare(),
      // One statement for any number of hashes: the list is passed as JSON text.
      loadBlobs: db
        .select()
        .from(checkpointBlobs)
        .where(sql`${checkpointBlobs.hash} in (select value from json_each(${placeholder("hashes")}))`)
        .prepare(),
      delete: db
        .delete(checkpoints)
        .where(eq(checkpoints.checkpointId, placeholder("checkpointId")))
        .prepare(),
      findResponses: db
        .select()
        .from(requestResponses)
        .where(eq(requestResponses.requestId, placeholder("requestId")))
        .orderBy(asc(requestResponses.id))
        .prepare(),
    };
    this.saveTransaction = connection.sqlite.transaction((record: CheckpointRecord, options: SaveOptions) =>
      this.writeWithinTransaction(record, options),
    );
  }

  async save(record: CheckpointRecord, options: SaveOptions = {}): Promise<void> {
    // A throw inside rolls the whole transaction back: nothing of a rejected save is written.
    this.saveTransaction.immediate(record, options);
  }

  async load(checkpointId: string): Promise<CheckpointRecord | undefined> {
    const row = this.statements.load.get({ checkpointId });
    return row ? { ...toHeader(row), body: row.body } : undefined;
  }

  async loadBlobs(hashes: readonly string[]): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map();
    const rows = this.statements.loadBlobs.all({ hashes: JSON.stringify(hashes) });
    return new Map(rows.map((row) => [row.hash, row.data]));
  }

  async list(query: CheckpointQuery = {}): Promise<CheckpointHeader[]> {
    const { runId, workflowName, before, limit } = query;
    const statement = this.listStatement({
      hasRunId: runId !== undefined,
      hasWorkflowName: workflowName !== undefined,
      hasBefore: before !== undefined,
    });
    // SQLite treats a negative LIMIT as "no limit".
    const rows = statement.all({ runId, workflowName, before, limit: limit === undefined ? -1 : Math.max(0, limit) });
    return rows.map(toHeader);
  }

  async latest(runId: string): Promise<CheckpointRecord | undefined> {
    const row = this.statements.latest.get({ runId });
    return row ? { ...toHeader(row), body: row.body } : undefined;
  }

  async delete(checkpointId: string): Promise<boolean> {
    // The answers this checkpoint carried go with it (ON DELETE CASCADE); blobs stay for other checkpoints.
    return this.statements.delete.run({ checkpointId }).changes > 0;
  }

  async findResponses(requestId: string): Promise<ResponseRecord[]> {
    return this.statements.findResponses.all({ requestId }).map(toResponseRecord);
  }

  /**
   * The writes of `save` without its transaction, for a caller whose transaction (`BEGIN IMMEDIATE`) also writes
   * rows derived from the checkpoint (db/sqlite-store.ts).
   */
  writeWithinTransaction(record: CheckpointRecord, options: SaveOptions): void {
    const { checkpointId } = record;
    if (this.statements.checkpointExists.get({ checkpointId })) {
      throw checkpointExistsError(record);
    }
    const responses = options.responses ?? [];
    if (options.exclusive) {
      for (const response of responses) {
        const first = this.statements.firstAnswer.get({
          requestId: response.requestId,
          baseCheckpointId: response.baseCheckpointId,
        });
        if (first) throw requestAlreadyAnsweredError(toResponseRecord(first));
      }
    }
    for (const blob of options.blobs ?? []) {
      this.statements.insertBlob.run({ hash: blob.hash, data: blob.data });
    }
    this.statements.insertCheckpoint.run({
      checkpointId,
      runId: record.runId,
      parentId: record.parentId,
      workflowName: record.workflowName,
      superstep: record.superstep,
      createdAt: record.createdAt,
      kind: record.kind,
      status: record.status,
      summary: JSON.stringify(summaryWithoutIdentity(record.summary)),
      body: record.body,
    });
    for (const response of responses) {
      this.statements.insertResponse.run({ ...response, response: JSON.stringify(response.response) });
    }
  }

  private listStatement(filters: { hasRunId: boolean; hasWorkflowName: boolean; hasBefore: boolean }) {
    const key = `${+filters.hasRunId}${+filters.hasWorkflowName}${+filters.hasBefore}`;
    let statement = this.listStatements.get(key);
    if (!statement) {
      statement = this.prepareList(filters);
      this.listStatements.set(key, statement);
    }
    return statement;
  }

  private prepareList({
    hasRunId,
    hasWorkflowName,
    hasBefore,
  }: {
    hasRunId: boolean;
    hasWorkflowName: boolean;
    hasBefore: boolean;
  }) {
    const conditions: SQL[] = [];
    if (hasRunId) conditions.push(eq(checkpoints.runId, placeholder("runId")));
    if (hasWorkflowName) conditions.push(eq(checkpoints.workflowName, placeholder("workflowName")));
    if (hasBefore) conditions.push(lt(checkpoints.createdAt, placeholder("before")));
    return this.connection.db
      .select(headerColumns)
      .from(checkpoints)
      .where(and(...conditions))
      .orderBy(...newestFirst)
      .limit(placeholder("limit"))
      .prepare();
  }
}
