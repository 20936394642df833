import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { NewRunAuditRow, RunAuditRow, RunPublicationRow } from "../schema";
import { runAudit, runPublications, runs } from "./schema";
import type { PgExecutor } from "./client";

/**
 * A run's audit trail and its published versions on PostgreSQL, each the twin of the one of the same name in
 * db/audit-queries.ts (same rows, same order; db/pg/timer-and-audit-queries.int.test.ts compares them). Each takes
 * the database or the caller's transaction (audit rows are written with the change they record).
 */

export async function insertRunAudit(db: PgExecutor, row: NewRunAuditRow): Promise<void> {
  await db.insert(runAudit).values(row);
}

export async function listRunAudit(db: PgExecutor, runId: string): Promise<RunAuditRow[]> {
  return db.select().from(runAudit).where(eq(runAudit.runId, runId)).orderBy(asc(runAudit.id));
}

/** The audit row of the answer to a request (its answerer's id and sign-in method). */
export async function findAnswerAudit(db: PgExecutor, requestId: string): Promise<RunAuditRow | undefined> {
  const [row] = await db
    .select()
    .from(runAudit)
    .where(and(eq(runAudit.requestId, requestId), eq(runAudit.action, "answered")))
    .orderBy(desc(runAudit.id))
    .limit(1);
  return row;
}

/**
 * Appends a published version; the version number is one more than the run's last. On SQLite `max + 1` is safe
 * because the caller's `BEGIN IMMEDIATE` makes it the only writer; here two transactions could read the same max.
 * So the run's row is locked first (`SELECT ... FOR UPDATE`, held to the end of the caller's transaction: a
 * savepoint when `db` is one, else a transaction of its own): a second appender waits, and its `max` statement,
 * taking a fresh snapshot under READ COMMITTED, sees the first one's version.
 */
export async function appendPublication(db: PgExecutor, row: Omit<RunPublicationRow, "version">): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.select({ runId: runs.runId }).from(runs).where(eq(runs.runId, row.runId)).for("update");
    await tx.insert(runPublications).values({
      ...row,
      version: sql`(select coalesce(max(${runPublications.version}), 0) + 1 from ${runPublications} where ${runPublications.runId} = ${row.runId})`,
    });
  });
}

export async function listPublications(db: PgExecutor, runId: string): Promise<RunPublicationRow[]> {
  return db
    .select()
    .from(runPublications)
    .where(eq(runPublications.runId, runId))
    .orderBy(asc(runPublications.version));
}
