import { asc, desc, eq, sql } from "drizzle-orm";
import type { AppDatabase } from "./client";
import { runAudit, runPublications, type NewRunAuditRow, type RunAuditRow, type RunPublicationRow } from "./schema";

/** Query functions for a run's audit trail and its published versions. Each takes the database first. */

export function insertRunAudit(db: AppDatabase, row: NewRunAuditRow): void {
  db.insert(runAudit).values(row).run();
}

export function listRunAudit(db: AppDatabase, runId: string): RunAuditRow[] {
  return db.select().from(runAudit).where(eq(runAudit.runId, runId)).orderBy(asc(runAudit.id)).all();
}

/** The audit row of the answer to a request (its answerer's id and sign-in method). */
export function findAnswerAudit(db: AppDatabase, requestId: string): RunAuditRow | undefined {
  return db
    .select()
    .from(runAudit)
    .where(sql`${runAudit.requestId} = ${requestId} and ${runAudit.action} = 'answered'`)
    .orderBy(desc(runAudit.id))
    .get();
}

/** Appends a published version; the version number is one more than the run's last. */
export function appendPublication(db: AppDatabase, row: Omit<RunPublicationRow, "version">): void {
  db.insert(runPublications)
    .values({
      ...row,
      version: sql`(select coalesce(max(${runPublications.version}), 0) + 1 from ${runPublications} where ${runPublications.runId} = ${row.runId})`,
    })
    .run();
}

export function listPublications(db: AppDatabase, runId: string): RunPublicationRow[] {
  return db
    .select()
    .from(runPublications)
    .where(eq(runPublications.runId, runId))
    .orderBy(asc(runPublications.version))
    .all();
}
