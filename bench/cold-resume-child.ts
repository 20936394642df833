/**
 * Child process of the cold-resume bench: opens the database, resumes a paused checkpoint with a pre-supplied
 * "approve", and prints one JSON line once the note is published.
 *   node --import tsx bench/cold-resume-child.ts <dbFile> <checkpointId> <requestId>
 * Modules are imported dynamically so the line can say where the time went (all times are ms since the
 * process started, from performance.now()).
 */
export {}; // a module, for top-level await

const entered = performance.now();
const [dbFile, checkpointId, requestId] = process.argv.slice(2);
if (!dbFile || !checkpointId || !requestId)
  throw new Error("usage: cold-resume-child.ts <dbFile> <checkpointId> <requestId>");

// The offline writer comes with the workflow; "@/lib/llm", which would load the OpenAI and Azure SDKs, is not needed.
const [{ openDatabase }, { SqliteCheckpointStorage }, { createReleaseNotesWorkflow, OfflineWriter }] =
  await Promise.all([import("@/db/client"), import("@/db/sqlite-checkpoint-storage"), import("@/lib/release-notes")]);
const imported = performance.now();
const connection = openDatabase(dbFile);
const opened = performance.now();
const workflow = createReleaseNotesWorkflow({
  chatClient: new OfflineWriter({ delayMs: 0 }),
  storage: new SqliteCheckpointStorage(connection),
});
const result = await workflow.resume(checkpointId, { responses: { [requestId]: "approve" }, respondedBy: "bench" });
const published = performance.now();
const text = result.outputs.at(-1);
if (result.status !== "IDLE" || typeof text !== "string") {
  throw new Error(`resume did not publish: status ${result.status}, error ${result.error?.code ?? "none"}`);
}
process.stdout.write(
  `${JSON.stringify({ published: true, length: text.length, marks: { entered, imported, opened, published } })}\n`,
);
connection.close();
