/**
 * The HTTP floor: a bare node:http server on raw better-sqlite3 answering the same routes on the same
 * database with the least work that is still correct and durable. No framework, no validation library, no
 * rendering beyond escaping, no background continuation of the run.
 *   node bench/http-floor-server.mjs <dbFile> <port>
 * - GET /api/runs?status=awaiting_review: the first page (25), newest first, as JSON.
 * - GET /reviews: the first 100 runs awaiting review, oldest first, and their count, as a minimal HTML page.
 * - POST /api/runs/:runId/responses: checks the request is the run's pending one and commits the answer row and
 *   the run row's new state in one BEGIN IMMEDIATE transaction (WAL, synchronous=NORMAL) before answering 202.
 */
import http from "node:http";
import Database from "better-sqlite3";

const [dbFile, portText] = process.argv.slice(2);
const db = new Database(dbFile);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 5000");

const columns =
  "run_id, brief, status, iteration, submitted_by, created_at, updated_at, pending_request_id, pending_since, draft_preview";
const listPage = db.prepare(
  `SELECT ${columns} FROM runs WHERE status = ? ORDER BY created_at DESC, run_id DESC LIMIT 26`,
);
const inbox = db.prepare(
  `SELECT ${columns} FROM runs WHERE status = 'awaiting_review' ORDER BY pending_since ASC, run_id ASC LIMIT 100`,
);
const countAwaiting = db.prepare("SELECT count(*) AS count FROM runs WHERE status = 'awaiting_review'");
const findRun = db.prepare("SELECT head_checkpoint_id, pending_request_id, status FROM runs WHERE run_id = ?");
const insertAnswer = db.prepare(
  "INSERT INTO request_responses (request_id, run_id, base_checkpoint_id, checkpoint_id, response, answered_by, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
const markRunning = db.prepare(
  "UPDATE runs SET status = 'running', pending_request_id = NULL, pending_since = NULL, updated_at = ? WHERE run_id = ?",
);
const answer = db.transaction((runId, requestId, text, by) => {
  const run = findRun.get(runId);
  if (!run || run.status !== "awaiting_review" || run.pending_request_id !== requestId) return false;
  const now = new Date().toISOString();
  insertAnswer.run(requestId, runId, run.head_checkpoint_id, run.head_checkpoint_id, JSON.stringify(text), by, now);
  markRunning.run(now, runId);
  return true;
});

const toItem = (row) => ({
  runId: row.run_id,
  brief: row.brief,
  status: row.status,
  iteration: row.iteration,
  submittedBy: row.submitted_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  pendingRequestId: row.pending_request_id,
  pendingSince: row.pending_since,
  draftPreview: row.draft_preview,
});
const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const send = (res, status, type, body) => {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (req.method === "GET" && url.pathname === "/api/runs") {
    const rows = listPage.all(url.searchParams.get("status") ?? "awaiting_review");
    return send(
      res,
      200,
      "application/json",
      JSON.stringify({ runs: rows.slice(0, 25).map(toItem), nextCursor: rows.length > 25 ? "next" : null }),
    );
  }
  if (req.method === "GET" && url.pathname === "/reviews") {
    const items = inbox.all().map(toItem);
    const { count } = countAwaiting.get();
    const list = items
      .map(
        (item) => `<li><a href="/runs/${item.runId}">${escape(item.brief)}</a><p>${escape(item.draftPreview)}</p></li>`,
      )
      .join("");
    return send(
      res,
      200,
      "text/html; charset=utf-8",
      `<!doctype html><html><body><h1>Review inbox (${count})</h1><ul>${list}</ul></body></html>`,
    );
  }
  const match = /^\/api\/runs\/([^/]+)\/responses$/.exec(url.pathname);
  if (req.method === "POST" && match) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      try {
        const parsed = JSON.parse(body);
        const [entry] = Object.entries(parsed.responses ?? {});
        if (!entry || typeof entry[1] !== "string") return send(res, 422, "application/json", '{"error":"invalid"}');
        const ok = answer(
          match[1],
          entry[0],
          entry[1],
          typeof parsed.respondedBy === "string" ? parsed.respondedBy : null,
        );
        return ok
          ? send(res, 202, "application/json", JSON.stringify({ runId: match[1], status: "running" }))
          : send(res, 409, "application/json", '{"error":"not pending"}');
      } catch {
        return send(res, 400, "application/json", '{"error":"bad json"}');
      }
    });
    return undefined;
  }
  if (url.pathname === "/api/health") return send(res, 200, "application/json", '{"ok":true}');
  return send(res, 404, "application/json", '{"error":"not found"}');
});
server.listen(Number(portText), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
