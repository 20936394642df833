/**
 * Listing queries at scale: the review inbox over 1,000 and 10,000 paused runs, and the checkpoint timeline
 * of a 100-round run, each through the services layer next to the same SQL on raw better-sqlite3.
 */
import { operator } from "@/tests/support/actors";
import type { BenchRow } from "./lib/result";
import { seedLongRun, seedPausedRuns } from "./lib/seed";
import { createBenchService } from "./lib/workload";
import { formatMs, median, percentile, timeRepeats } from "./lib/stats";
import { openDatabase } from "@/db/client";
import { SqliteStore } from "@/db/sqlite-store";

/**
 * The SQL behind DraftgateService.listInbox (db/run-queries.ts listAwaitingReview), with the DTO's columns: the
 * pending draft's approvals and the assignees come from correlated subqueries.
 */
export const INBOX_SQL =
  "SELECT run_id, brief, status, iteration, submitted_by, created_at, updated_at, pending_request_id, pending_since, pending_draft_sha256, " +
  "pending_edited_from, draft_preview, queued_at, required_approvals, " +
  "((SELECT count(*) FROM review_votes v WHERE v.request_id = runs.pending_request_id AND v.kind = 'approve') + " +
  "(SELECT count(*) FROM review_votes v WHERE v.request_id = runs.pending_edited_from AND v.kind = 'edit' AND v.draft_sha256 = runs.pending_draft_sha256)) AS approval_count, " +
  "(SELECT group_concat(a.assignee_id || char(31) || a.assignee_name, char(30)) FROM run_assignments a WHERE a.run_id = runs.run_id) AS assignee_list " +
  "FROM runs WHERE status = 'awaiting_review' ORDER BY pending_since ASC, run_id ASC LIMIT ?";

/** The SQL behind DraftgateService.listCheckpoints (SqliteCheckpointStorage.list({ runId })): headers, no bodies. */
export const TIMELINE_SQL =
  "SELECT checkpoint_id, run_id, parent_id, workflow_name, superstep, created_at, kind, status, summary " +
  "FROM checkpoints WHERE run_id = ? ORDER BY created_at DESC, seq DESC";

export interface Timing {
  medianMs: number;
  p95Ms: number;
}

function summarize(times: number[]): Timing {
  return { medianMs: median(times), p95Ms: percentile(times, 95) };
}

function queryPlan(connection: ReturnType<typeof openDatabase>, sql: string, ...params: unknown[]): string {
  const rows = connection.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join("; ");
}

export async function measureInbox(
  file: string,
  count: number,
  repeats: number,
): Promise<{ service: Timing; raw: Timing; plan: string; rows: number }> {
  const connection = openDatabase(file);
  const service = await createBenchService(new SqliteStore(connection));
  try {
    let rows = 0;
    const serviceTimes = await timeRepeats(
      repeats,
      async () => {
        rows = (await service.listInbox(operator, { limit: count })).length;
      },
      3,
    );
    if (rows !== count) throw new Error(`inbox listed ${rows} runs, expected ${count}`);
    const statement = connection.sqlite.prepare(INBOX_SQL);
    const rawTimes = await timeRepeats(repeats, () => statement.all(count), 3);
    return {
      service: summarize(serviceTimes),
      raw: summarize(rawTimes),
      plan: queryPlan(connection, INBOX_SQL, count),
      rows,
    };
  } finally {
    await service.close();
    connection.close();
  }
}

export async function measureTimeline(
  file: string,
  runId: string,
  repeats: number,
): Promise<{ service: Timing; raw: Timing; plan: string; checkpoints: number }> {
  const connection = openDatabase(file);
  const service = await createBenchService(new SqliteStore(connection));
  try {
    let checkpoints = 0;
    const serviceTimes = await timeRepeats(
      repeats,
      async () => {
        checkpoints = (await service.listCheckpoints(operator, runId)).length;
      },
      3,
    );
    const statement = connection.sqlite.prepare(TIMELINE_SQL);
    const rawTimes = await timeRepeats(repeats, () => statement.all(runId), 3);
    return {
      service: summarize(serviceTimes),
      raw: summarize(rawTimes),
      plan: queryPlan(connection, TIMELINE_SQL, runId),
      checkpoints,
    };
  } finally {
    await service.close();
    connection.close();
  }
}

export interface SeededListingData {
  inbox1k: string;
  inbox10k: string;
  longRun: { file: string; runId: string };
}

export async function seedListingData(
  file: (name: string) => string,
  rounds: number,
  log: (line: string) => void,
): Promise<SeededListingData> {
  const inbox1k = file("inbox-1000.db");
  const inbox10k = file("inbox-10000.db");
  await seedPausedRuns(inbox10k, 10_000, { snapshots: { 1000: inbox1k }, log });
  const longFile = file("timeline.db");
  const runId = await seedLongRun(longFile, rounds);
  return { inbox1k, inbox10k, longRun: { file: longFile, runId } };
}

export async function benchListing(
  data: SeededListingData,
  options: { repeats: number; rounds: number; log: (line: string) => void },
): Promise<BenchRow[]> {
  const { repeats, rounds, log } = options;
  const inbox1k = await measureInbox(data.inbox1k, 1000, repeats);
  log(
    `  inbox 1,000: service ${formatMs(inbox1k.service.medianMs)}, raw ${formatMs(inbox1k.raw.medianMs)}; plan: ${inbox1k.plan}`,
  );
  const inbox10k = await measureInbox(data.inbox10k, 10_000, repeats);
  log(`  inbox 10,000: service ${formatMs(inbox10k.service.medianMs)}, raw ${formatMs(inbox10k.raw.medianMs)}`);
  const timeline = await measureTimeline(data.longRun.file, data.longRun.runId, repeats);
  log(
    `  timeline (${timeline.checkpoints} checkpoints): service ${formatMs(timeline.service.medianMs)}, raw ${formatMs(timeline.raw.medianMs)}; plan: ${timeline.plan}`,
  );
  return [
    {
      id: "inbox-1000",
      measure: "inbox: list 1,000 paused runs with their pending request",
      reference: "184 ms",
      target: "<= 20 ms",
      measured: formatMs(inbox1k.service.medianMs),
      floor: formatMs(inbox1k.raw.medianMs),
      ratio: inbox1k.service.medianMs / inbox1k.raw.medianMs,
      met: inbox1k.service.medianMs <= 20,
      details: { ...inbox1k },
    },
    {
      id: "inbox-10000",
      measure: "inbox: list 10,000 paused runs with their pending request",
      reference: "—",
      target: "<= 50 ms",
      measured: formatMs(inbox10k.service.medianMs),
      floor: formatMs(inbox10k.raw.medianMs),
      ratio: inbox10k.service.medianMs / inbox10k.raw.medianMs,
      met: inbox10k.service.medianMs <= 50,
      details: { ...inbox10k },
    },
    {
      id: "timeline",
      measure: `timeline of a ${rounds}-round run (all checkpoint summaries)`,
      reference: "83 ms",
      target: "<= 15 ms",
      measured: formatMs(timeline.service.medianMs),
      floor: formatMs(timeline.raw.medianMs),
      ratio: timeline.service.medianMs / timeline.raw.medianMs,
      met: timeline.service.medianMs <= 15,
      details: { ...timeline },
    },
  ];
}
