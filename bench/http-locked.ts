/**
 * The HTTP bench proper. Runs while holding /tmp/draftgate-next.lock (bench/http.ts starts it under flock),
 * so no other build replaces .next underneath `next start`:
 *   flock /tmp/draftgate-next.lock node --import tsx bench/http-locked.ts '<options JSON>'
 * Builds (optionally), then measures `next start` and the floor server on copies of a seeded database and
 * prints one line `BENCH_RESULT <json>`.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Database from "better-sqlite3";
import { repoRoot } from "./lib/child";
import { runLoad, type LoadResult } from "./lib/load";
import { seedPeople, type SeededPerson } from "@/tests/support/seed-people";
import { startFloorServer, startNext, startNextWithWorker, type RunningServer } from "./lib/server";

export interface HttpOptions {
  /** A database with (at least) `answers` runs awaiting review, seeded through the services layer. */
  seededDb: string;
  scratchDir: string;
  build: boolean;
  answers: number;
  connections: number;
  /** Sequential requests per GET measure (server time). */
  getRequests: number;
}

export interface ServerResult {
  /** GET /api/health with the same concurrency: what the server does for a request that does almost nothing. */
  health: LoadResult;
  inboxPage: LoadResult;
  listAwaiting: LoadResult;
  listAwaitingConcurrent: LoadResult;
  answers: LoadResult;
  /** Answers recorded in the database after the run (should equal the 202s). */
  storedAnswers: number;
}

export interface HttpResult {
  built: boolean;
  buildSeconds: number | null;
  next: ServerResult;
  /** A web instance (DRAFTGATE_ROLE=web) answering while a worker drafts the revisions. */
  split: ServerResult;
  floor: ServerResult;
  log: string[];
}

const options = JSON.parse(process.argv[2] ?? "{}") as HttpOptions;
const log: string[] = [];
const say = (line: string) => {
  log.push(line);
  process.stderr.write(`${line}\n`);
};

function pendingPairs(file: string, limit: number): Array<{ runId: string; requestId: string }> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT run_id AS runId, pending_request_id AS requestId FROM runs WHERE status = 'awaiting_review' ORDER BY random() LIMIT ?",
      )
      .all(limit) as Array<{ runId: string; requestId: string }>;
    return rows;
  } finally {
    db.close();
  }
}

/** Signs in through the sign-in library's endpoint; the floor server has none, and gets an empty cookie. */
async function sessionCookie(url: string, person: SeededPerson): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  return response.ok
    ? response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(";")[0])
        .join("; ")
    : "";
}

function countAnswers(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS count FROM request_responses").get() as { count: number }).count;
  } finally {
    db.close();
  }
}

async function measure(name: string, start: (file: string) => Promise<RunningServer>): Promise<ServerResult> {
  const file = `${options.scratchDir}/http-${name}.db`;
  fs.copyFileSync(options.seededDb, file);
  const before = countAnswers(file);
  const pairs = pendingPairs(file, options.answers);
  if (pairs.length < options.answers)
    throw new Error(`only ${pairs.length} runs await review; need ${options.answers}`);
  // a reviewer: her API key for the JSON API, her session for the inbox page (the floor server ignores both)
  const { Rita: reviewer } = await seedPeople(file, [{ name: "Rita", role: "reviewer" }]);
  const server = await start(file);
  const api = { authorization: `Bearer ${reviewer!.apiKey}` };
  const page = { cookie: await sessionCookie(server.url, reviewer!) };
  try {
    // Warm up: compile routes, fill caches.
    await runLoad({ url: server.url, path: "/reviews", connections: 1, amount: 20, headers: page });
    await runLoad({
      url: server.url,
      path: "/api/runs?status=awaiting_review",
      connections: 1,
      amount: 50,
      headers: api,
    });
    const health = await runLoad({
      url: server.url,
      path: "/api/health",
      connections: options.connections,
      amount: options.getRequests * 10,
    });
    say(
      `  ${name} GET /api/health x${options.connections}: ${health.perSecond.toFixed(0)}/s, p50 ${health.p50Ms.toFixed(1)} ms, p99 ${health.p99Ms.toFixed(1)} ms`,
    );
    const inboxPage = await runLoad({
      url: server.url,
      path: "/reviews",
      connections: 1,
      amount: options.getRequests,
      headers: page,
    });
    say(
      `  ${name} GET /reviews: p50 ${inboxPage.p50Ms} ms, p95 ${inboxPage.p95Ms} ms, ${JSON.stringify(inboxPage.statuses)}`,
    );
    const listAwaiting = await runLoad({
      url: server.url,
      path: "/api/runs?status=awaiting_review",
      connections: 1,
      amount: options.getRequests,
      headers: api,
    });
    say(
      `  ${name} GET /api/runs?status=awaiting_review: p50 ${listAwaiting.p50Ms} ms, p95 ${listAwaiting.p95Ms} ms, ${JSON.stringify(listAwaiting.statuses)}`,
    );
    const listAwaitingConcurrent = await runLoad({
      url: server.url,
      path: "/api/runs?status=awaiting_review",
      connections: options.connections,
      amount: options.getRequests * 5,
      headers: api,
    });
    say(
      `  ${name} GET /api/runs?status=awaiting_review x${options.connections}: ${listAwaitingConcurrent.perSecond.toFixed(0)}/s, p99 ${listAwaitingConcurrent.p99Ms} ms`,
    );
    let index = 0;
    const answers = await runLoad({
      url: server.url,
      method: "POST",
      connections: options.connections,
      amount: options.answers,
      headers: api,
      next: () => {
        const pair = pairs[index++];
        if (!pair) return undefined;
        return {
          path: `/api/runs/${pair.runId}/responses`,
          body: JSON.stringify({
            responses: { [pair.requestId]: "Make it a little warmer and keep the price visible." },
          }),
        };
      },
    });
    say(
      `  ${name} POST answers x${options.connections}: ${answers.perSecond.toFixed(0)}/s, p50 ${answers.p50Ms} p95 ${answers.p95Ms} p99 ${answers.p99Ms} ms, ${JSON.stringify(answers.statuses)}, errors ${answers.errors}`,
    );
    await server.stop();
    const storedAnswers = countAnswers(file) - before;
    return { health, inboxPage, listAwaiting, listAwaitingConcurrent, answers, storedAnswers };
  } finally {
    await server.stop();
    if (/SQLITE_BUSY|Error:/i.test(server.output())) say(`  ${name} server output:\n${server.output().slice(-3000)}`);
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
}

let buildSeconds: number | null = null;
if (options.build) {
  say("  next build (holding /tmp/draftgate-next.lock)...");
  const started = Date.now();
  execFileSync("npx", ["next", "build"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  buildSeconds = (Date.now() - started) / 1000;
}
const next = await measure("next", (file) => startNext(file));
const split = await measure("web+worker", startNextWithWorker);
const floor = await measure("floor", startFloorServer);
const result: HttpResult = { built: options.build, buildSeconds, next, split, floor, log };
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
