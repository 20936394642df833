/**
 * A child process for cross-process tests: runs the release-notes workflow on a SQLite file with the offline
 * writer and prints the result as one JSON line.
 *   run <dbFile> <brief>                       runs until the review request, prints, then waits to be killed
 *   resume <dbFile> <checkpointId> [json]      resumes (with pre-supplied responses as JSON), prints, exits
 */
import { openDatabase } from "@/db/client";
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { createReleaseNotesWorkflow, OfflineWriter } from "@/lib/release-notes";

const [mode, dbFile, arg, responsesJson] = process.argv.slice(2);
if (!dbFile || !arg) throw new Error("usage: run|resume <dbFile> <brief|checkpointId> [responses]");
const connection = openDatabase(dbFile);
const workflow = createReleaseNotesWorkflow({
  chatClient: new OfflineWriter(),
  storage: new SqliteCheckpointStorage(connection),
});

if (mode === "run") {
  const result = await workflow.run(arg);
  process.stdout.write(
    `${JSON.stringify({ pid: process.pid, status: result.status, runId: result.runId, lastCheckpointId: result.lastCheckpointId, pendingRequests: result.pendingRequests })}\n`,
  );
  setInterval(() => {}, 60_000); // stay alive holding the connection, as a paused program would, until killed
} else {
  const responses = responsesJson ? (JSON.parse(responsesJson) as Record<string, string>) : undefined;
  const result = await workflow.resume(arg, { responses, respondedBy: "child" });
  process.stdout.write(
    `${JSON.stringify({ status: result.status, outputs: result.outputs, lastCheckpointId: result.lastCheckpointId, requestEvents: result.events.filter((event) => event.type === "RequestInfo").length })}\n`,
  );
  connection.close();
}
