/**
 * Test fixture, run as a separate process by db/sqlite-checkpoint-storage.int.test.ts (`node --import tsx`):
 * waits until a shared start time, then saves one exclusive answer to `req-1` on `cp-base` and prints the
 * outcome as one JSON line. Arguments: <database file> <checkpoint id> <answered by> <start at, epoch ms>.
 */
import { isWorkflowError } from "@/lib/workflow";
import { openDatabase } from "../client";
import { SqliteCheckpointStorage } from "../sqlite-checkpoint-storage";

const [file, checkpointId, answeredBy, startAt] = process.argv.slice(2);
if (!file || !checkpointId || !answeredBy || !startAt)
  throw new Error("usage: <file> <checkpointId> <answeredBy> <startAt>");

const connection = openDatabase(file);
const storage = new SqliteCheckpointStorage(connection);
const createdAt = new Date().toISOString();
const record = {
  checkpointId,
  runId: "run-1",
  parentId: "cp-base",
  workflowName: "release-notes",
  superstep: 2,
  createdAt,
  kind: "responses" as const,
  status: "running" as const,
  summary: {
    checkpointId,
    parentId: "cp-base",
    runId: "run-1",
    superstep: 2,
    createdAt,
    kind: "responses" as const,
    targets: ["writer"],
    executorsWithState: [],
    pendingRequests: [],
    status: "awaiting next superstep" as const,
    preview: null,
    details: null,
  },
  body: "{}",
};

while (Date.now() < Number(startAt)) {
  // Spin so both processes reach BEGIN IMMEDIATE as close together as possible.
}
try {
  await storage.save(record, {
    exclusive: true,
    responses: [
      {
        requestId: "req-1",
        runId: "run-1",
        baseCheckpointId: "cp-base",
        checkpointId,
        response: { approved: true },
        answeredBy,
        answeredAt: createdAt,
      },
    ],
  });
  console.log(JSON.stringify({ ok: true, answeredBy }));
} catch (error) {
  if (!isWorkflowError(error)) throw error;
  console.log(JSON.stringify({ ok: false, answeredBy, code: error.code, details: error.details }));
} finally {
  connection.close();
}
