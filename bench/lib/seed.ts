/** Seeds temp databases through the services layer, as the dashboard and the CLI would fill them. */
import fs from "node:fs";
import type { DatabaseConnection } from "@/db/client";
import type { DraftgateService } from "@/lib/services/draftgate-service";
import { openDatabase } from "@/db/client";
import { operator } from "@/tests/support/actors";
import { BRIEF, createBenchService, guidanceFor } from "./workload";

async function openService(file: string): Promise<{ service: DraftgateService; connection: DatabaseConnection }> {
  const connection = openDatabase(file);
  return { service: await createBenchService(connection), connection };
}

/** Each run gets its own brief, so drafts (and their blobs) differ as they would in real use. */
export function briefFor(index: number): string {
  return `${BRIEF} This is launch ${index + 1}.`;
}

/**
 * Submits `count` briefs and lets each run pause for review. `snapshots` maps a run count to a file that gets a
 * byte-for-byte copy of the database once that many runs are paused (WAL folded in first).
 */
export async function seedPausedRuns(
  file: string,
  count: number,
  options: { snapshots?: Record<number, string>; log?: (line: string) => void } = {},
): Promise<void> {
  const { service, connection } = await openService(file);
  try {
    for (let index = 0; index < count; index++) {
      const { runId } = await service.submitBrief(operator, { brief: briefFor(index) });
      await service.waitForIdle(runId);
      const done = index + 1;
      const snapshot = options.snapshots?.[done];
      if (snapshot) {
        connection.sqlite.pragma("wal_checkpoint(TRUNCATE)");
        fs.copyFileSync(file, snapshot);
      }
      if (done % 2000 === 0) options.log?.(`  seeded ${done}/${count} paused runs`);
    }
    const paused = await service.countAwaitingReview(operator);
    if (paused !== count) throw new Error(`expected ${count} runs awaiting review, found ${paused}`);
  } finally {
    await service.close();
    connection.close();
  }
}

/** One run taken through `rounds` revision rounds and left paused for review; returns its id. */
export async function seedLongRun(file: string, rounds: number): Promise<string> {
  const { service, connection } = await openService(file);
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
    await service.close();
    connection.close();
  }
}
