/**
 * Child process of the memory bench: takes one run through `rounds` revision rounds on a fresh SQLite file with
 * the engine and the offline writer, then prints the process's RSS high-water mark as one JSON line.
 *   node --import tsx bench/memory-child.ts <dbFile> <rounds>
 * With rounds = 0 it only loads everything and pauses one run at its first review: the baseline.
 */
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { openDatabase } from "@/db/client";
import { createReleaseNotesWorkflow, OfflineWriter } from "@/lib/release-notes";

const [dbFile, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
if (!dbFile || !Number.isInteger(rounds) || rounds < 0) throw new Error("usage: memory-child.ts <dbFile> <rounds>");

const connection = openDatabase(dbFile);
const workflow = createReleaseNotesWorkflow({
  chatClient: new OfflineWriter({ delayMs: 0 }),
  storage: new SqliteCheckpointStorage(connection),
});
let result = await workflow.run(
  "Introduce our limited edition smart coffee grinder at $249, and invite customers to pre-order.",
);
for (let round = 1; round <= rounds; round++) {
  const requestId = result.pendingRequests[0]?.requestId;
  if (!requestId) throw new Error(`round ${round}: nothing to answer (status ${result.status})`);
  result = await workflow.sendResponses({
    [requestId]: `Round ${round}: make it a little warmer and keep the price visible.`,
  });
}
if (result.status !== "IDLE_WITH_PENDING_REQUESTS") throw new Error(`ended with status ${result.status}`);
const usage = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, rounds })}\n`,
);
connection.close();
