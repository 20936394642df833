/**
 * The inbox of 10,000 paused runs on PostgreSQL (`listAwaitingReview` of db/pg/run-queries.ts), against the same SQL
 * run by the raw `pg` driver. Rows are inserted directly (seeding 10,000 runs through the services would dominate the
 * bench's time): every run awaits review with a deadline, a third have approvals, a tenth assignees, as the SQLite
 * listing bench's service seeding produces.
 */
import { openPostgres, type PgConnection } from "@/db/pg/client";
import { awaitingReviewQuery, listAwaitingReview } from "@/db/pg/run-queries";
import { reviewDeadlines, reviewVotes, runAssignments, runs } from "@/db/pg/schema";
import { createTestDatabase } from "@/tests/support/postgres";
import type { BenchRow } from "./lib/result";
import { formatMs, median, now } from "./lib/stats";
import { BRIEF } from "./lib/workload";

const iso = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

async function seedInbox(connection: PgConnection, count: number): Promise<void> {
  const batch = 1_000;
  for (let from = 0; from < count; from += batch) {
    const ids = Array.from({ length: Math.min(batch, count - from) }, (_, i) => from + i);
    await connection.db.insert(runs).values(
      ids.map((i) => ({
        runId: `run-${String(i).padStart(6, "0")}`,
        brief: BRIEF,
        submittedBy: "Bench Author",
        submittedById: "author-1",
        status: "awaiting_review" as const,
        iteration: 1,
        headCheckpointId: `cp-${i}`,
        pendingRequestId: `req-${i}`,
        pendingSince: iso(i * 1_000),
        pendingDraftSha256: `sha-${i}`,
        draftPreview: BRIEF.slice(0, 80),
        writer: "Offline writer — deterministic, no model",
        createdAt: iso(i * 1_000),
        updatedAt: iso(i * 1_000),
      })),
    );
    await connection.db.insert(reviewDeadlines).values(
      ids.map((i) => ({
        requestId: `req-${i}`,
        runId: `run-${String(i).padStart(6, "0")}`,
        askedAt: iso(i * 1_000),
        dueAt: iso(i * 1_000 + 86_400_000),
      })),
    );
    const voted = ids.filter((i) => i % 3 === 0);
    if (voted.length)
      await connection.db.insert(reviewVotes).values(
        voted.map((i) => ({
          runId: `run-${String(i).padStart(6, "0")}`,
          requestId: `req-${i}`,
          kind: "approve" as const,
          draftSha256: `sha-${i}`,
          voterKey: "reviewer-1",
          voterId: "reviewer-1",
          voterName: "Bench Reviewer",
          voterRole: "reviewer",
          voterMethod: "api-key",
          votedAt: iso(i * 1_000 + 60_000),
        })),
      );
    const assigned = ids.filter((i) => i % 10 === 0);
    if (assigned.length)
      await connection.db.insert(runAssignments).values(
        assigned.map((i) => ({
          runId: `run-${String(i).padStart(6, "0")}`,
          assigneeId: "reviewer-1",
          assigneeName: "Bench Reviewer",
          assignedAt: iso(i * 1_000),
          assignedByName: "Bench Admin",
        })),
      );
  }
  await connection.pool.query("analyze");
}

export async function benchPgInbox(
  serverUrl: string,
  options: { repeats: number; log: (line: string) => void },
): Promise<BenchRow> {
  const count = 10_000;
  const connection = await openPostgres(await createTestDatabase(serverUrl, "bench_inbox"), { max: 2 });
  try {
    await seedInbox(connection, count);
    const query = () => listAwaitingReview(connection.db, { limit: count });
    const measured: number[] = [];
    const floor: number[] = [];
    const statement = awaitingReviewQuery(connection.db, { limit: count }).toSQL();
    for (let i = 0; i < options.repeats + 3; i++) {
      let start = now();
      const rows = await query();
      const took = now() - start;
      if (rows.length !== count) throw new Error(`inbox listed ${rows.length} runs, not ${count}`);
      start = now();
      const raw = await connection.pool.query({
        name: "bench_inbox_floor",
        text: statement.sql,
        values: statement.params,
      });
      const rawTook = now() - start;
      if (raw.rowCount !== count) throw new Error(`raw inbox listed ${raw.rowCount} runs`);
      if (i >= 3) {
        measured.push(took);
        floor.push(rawTook);
      }
    }
    options.log(`  PostgreSQL inbox of ${count}: median ${formatMs(median(measured))}, raw ${formatMs(median(floor))}`);
    return {
      id: "inbox-10k-pg",
      measure: `inbox: list ${count.toLocaleString("en-US")} paused runs with their pending request, on PostgreSQL`,
      reference: "—",
      target: "<= 50 ms",
      measured: formatMs(median(measured)),
      floor: formatMs(median(floor)),
      ratio: median(measured) / median(floor),
      met: median(measured) <= 50,
      details: { medianMs: median(measured), floorMs: median(floor), repeats: measured.length },
    };
  } finally {
    await connection.close();
  }
}
