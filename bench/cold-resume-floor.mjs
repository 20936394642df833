/**
 * The floor for a cold resume, in plain JavaScript (no TypeScript loader): start node, load better-sqlite3,
 * read the paused checkpoint with its blobs, and commit the rows an approve-and-publish writes (one
 * responses checkpoint with its answer, then the two superstep checkpoints that publish), one transaction each.
 *   node bench/cold-resume-floor.mjs <dbFile> <checkpointId>
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";

const [dbFile, checkpointId] = process.argv.slice(2);
const db = new Database(dbFile);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const head = db.prepare("SELECT * FROM checkpoints WHERE checkpoint_id = ?").get(checkpointId);
const hashes = [...head.body.matchAll(/"\$b":"([^"]+)"|"([A-Za-z0-9_-]{24})"/g)].map((match) => match[1] ?? match[2]);
const blobs = db
  .prepare("SELECT hash, data FROM checkpoint_blobs WHERE hash IN (SELECT value FROM json_each(?))")
  .all(JSON.stringify(hashes));
const insert = db.prepare(
  "INSERT INTO checkpoints (checkpoint_id, seq, run_id, parent_id, workflow_name, superstep, created_at, kind, status, summary, body) " +
    "VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM checkpoints), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
const answer = db.prepare(
  "INSERT INTO request_responses (request_id, run_id, base_checkpoint_id, checkpoint_id, response, answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
let parent = head.checkpoint_id;
const save = db.transaction((kind, superstep, withAnswer) => {
  const id = randomUUID();
  const now = new Date().toISOString();
  insert.run(
    id,
    head.run_id,
    parent,
    head.workflow_name,
    superstep,
    now,
    kind,
    kind === "responses" || superstep === head.superstep + 1 ? "running" : "completed",
    head.summary,
    head.body,
  );
  if (withAnswer) answer.run("request", head.run_id, head.checkpoint_id, id, '"approve"', "bench", now);
  parent = id;
});
save.immediate("responses", head.superstep, true);
for (let step = 1; step <= 2; step++) save.immediate("superstep", head.superstep + step, false);
process.stdout.write(
  `${JSON.stringify({ published: true, blobs: blobs.length, marks: { published: performance.now() } })}\n`,
);
db.close();
