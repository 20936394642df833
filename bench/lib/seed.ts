/**
 * Seeds temp databases through the services layer, as the dashboard and the CLI would fill them. A database is named
 * by one string: a SQLite file's path, or a PostgreSQL database's URL (migrated here if it is not yet).
 */
import fs from "node:fs";
import type { DatabaseConnection } from "@/db/client";
import { openDatabase } from "@/db/client";
import { openPostgres } from "@/db/pg/client";
import { PgStore } from "@/db/pg/pg-store";
import { SqliteStore } from "@/db/sqlite-store";
import type { DraftgateService } from "@/lib/services/draftgate-service";
import { operator } from "@/tests/support/actors";
import { isPostgresUrl } from "@/tests/support/database-rows";
import { BRIEF, createBenchService, guidanceFor } from "./workload";

interface OpenedService {
  service: DraftgateService;
  /** The SQLite connection (for snapshots), or undefined on PostgreSQL. */
  sqlite: DatabaseConnection | undefined;
  close(): Promise<void>;
}

async function openService(database: string): Promise<OpenedService> {
  if (isPostgresUrl(database)) {
    // the store owns its pool: closing the service closes it
    const service = await createBenchService(new PgStore(await openPostgres(database), { ownsConnection: true }));
    return { service, sqlite: undefined, close: () => service.close() };
  }
  const connection = openDatabase(database);
  const service = await createBenchService(new SqliteStore(connection));
  return {
    service,
    sqlite: connection,
    close: async () => {
      await service.close();
      connection.close();
    },
  };
}

/** Each run gets its own brief, so drafts (and their blobs) differ as they would in real use. */
export function briefFor(index: number): string {
  return `${BRIEF} This is launch ${index + 1}.`;
}

/**
 * Submits `count` briefs to `database` (a SQLite file or a PostgreSQL URL) and lets each run pause for review,
 * `concurrency` briefs at a time (1 by default). `snapshots` (SQLite, one at a time only) maps a run count to a file
 * that gets a byte-for-byte copy of the database once that many runs are paused (WAL folded in first).
 */
export async function seedPausedRuns(
  database: string,
  count: number,
  options: { snapshots?: Record<number, string>; concurrency?: number; log?: (line: string) => void } = {},
): Promise<void> {
  const concurrency = options.concurrency ?? 1;
  const snapshots = Object.keys(options.snapshots ?? {}).length > 0;
  if (snapshots && isPostgresUrl(database))
    throw new Error("seedPausedRuns: snapshots are copies of a SQLite file; PostgreSQL databases have none");
  if (snapshots && concurrency !== 1) throw new Error("seedPausedRuns: snapshots need one brief at a time");
  const { service, sqlite, close } = await openService(database);
  try {
    let next = 0;
    let done = 0;
    const seedOne = async (index: number) => {
      const { runId } = await service.submitBrief(operator, { brief: briefFor(index) });
      await service.waitForIdle(runId);
      done++;
      const snapshot = options.snapshots?.[done];
      if (snapshot && sqlite) {
        sqlite.sqlite.pragma("wal_checkpoint(TRUNCATE)");
        fs.copyFileSync(database, snapshot);
      }
      if (done % 2000 === 0) options.log?.(`  seeded ${done}/${count} paused runs`);
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) await seedOne(next++);
      }),
    );
    const paused = await service.countAwaitingReview(operator);
    if (paused !== count) throw new Error(`expected ${count} runs awaiting review, found ${paused}`);
  } finally {
    await close();
  }
}

/** One run taken through `rounds` revision rounds and left paused for review; returns its id. */
export async function seedLongRun(database: string, rounds: number): Promise<string> {
  const { service, close } = await openService(database);
  try {
    const { runId } = await service.submitBrief(operator, { brief: BRIEF });
    await service.waitForIdle(runId);
    for (let round = 1; round <= rounds; round++) {
      const [item] = await service.listInbox(operator, { limit: 1 });
      if (!item?.pendingRequestId) throw new Error(`round ${round}: the run is not awaiting review`);
      await service.answerRequest(operator, { runId, requestId: item.pendingRequestId, response: guidanceFor(round) });
      await service.waitForIdle(runId);
    }
    return runId;
  } finally {
    await close();
  }
}
