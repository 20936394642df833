/**
 * The HTTP bench proper. Runs while holding /tmp/draftgate-next.lock (bench/http.ts starts it under flock),
 * so no other build replaces .next underneath `next start`:
 *   flock /tmp/draftgate-next.lock node --import tsx bench/http-locked.ts '<options JSON>'
 * Builds (optionally), then measures `next start` and the floor server on copies of a seeded database, and a web
 * instance with a worker on PostgreSQL seeded with as many paused runs, and prints one line `BENCH_RESULT <json>`.
 * The PostgreSQL server is a throwaway cluster with SQLite's durability (`crash-safe`), or the one BENCH_POSTGRES_URL
 * names (a superuser URL: the bench creates its own database there and drops it at the end).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { repoRoot } from "./lib/child";
import { runLoad, type LoadResult } from "./lib/load";
import { seedPausedRuns } from "./lib/seed";
import { queryRows } from "@/tests/support/database-rows";
import { createTestDatabase, dropTestDatabase, startThrowawayPostgres } from "@/tests/support/postgres";
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

export interface PostgresServerResult extends ServerResult {
  /** Which server: the local throwaway cluster or BENCH_POSTGRES_URL. */
  where: string;
  /** Paused runs seeded through the services layer (as many as the SQLite database holds). */
  seededRuns: number;
  seedSeconds: number;
}

export interface HttpResult {
  built: boolean;
  buildSeconds: number | null;
  next: ServerResult;
  /** A web instance (DRAFTGATE_ROLE=web) answering while a worker drafts the revisions. */
  split: ServerResult;
  /** The same split (a web instance and a worker, separate processes) on PostgreSQL. */
  splitPostgres: PostgresServerResult;
  floor: ServerResult;
  log: string[];
}

const options = JSON.parse(process.argv[2] ?? "{}") as HttpOptions;
const log: string[] = [];
const say = (line: string) => {
  log.push(line);
  process.stderr.write(`${line}\n`);
};

/** `limit` runs awaiting review, in random order, with their pending request (SQLite file or PostgreSQL URL). */
async function pendingPairs(database: string, limit: number): Promise<Array<{ runId: string; requestId: string }>> {
  return queryRows<{ runId: string; requestId: string }>(
    database,
    `SELECT run_id AS "runId", pending_request_id AS "requestId" FROM runs WHERE status = 'awaiting_review' ORDER BY random() LIMIT ?`,
    limit,
  );
}

async function countAwaitingReview(database: string): Promise<number> {
  const [row] = await queryRows<{ count: number }>(
    database,
    `SELECT cast(count(*) as integer) AS "count" FROM runs WHERE status = 'awaiting_review'`,
  );
  return row?.count ?? 0;
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

async function countAnswers(database: string): Promise<number> {
  const [row] = await queryRows<{ count: number }>(
    database,
    `SELECT cast(count(*) as integer) AS "count" FROM request_responses`,
  );
  return row?.count ?? 0;
}

/** A database to measure on (a SQLite file or a PostgreSQL URL), and how to remove it afterwards. */
interface MeasuredDatabase {
  database: string;
  remove(): Promise<void>;
}

/** A copy of the seeded SQLite database in the scratch folder. */
function sqliteCopy(name: string): MeasuredDatabase {
  const file = `${options.scratchDir}/http-${name}.db`;
  fs.copyFileSync(options.seededDb, file);
  return {
    database: file,
    remove: async () => {
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    },
  };
}

/**
 * A fresh, migrated PostgreSQL database with `runs` paused runs seeded through the services layer, on a throwaway
 * crash-safe cluster (or BENCH_POSTGRES_URL's server). Removing it drops the database and stops the cluster.
 */
async function postgresDatabase(runs: number): Promise<MeasuredDatabase & { where: string; seedSeconds: number }> {
  const existing = process.env.BENCH_POSTGRES_URL;
  const server = existing ? undefined : await startThrowawayPostgres({ durability: "crash-safe" });
  const serverUrl = existing ?? server!.url;
  const where = existing ? "BENCH_POSTGRES_URL" : "local cluster, fsync on, synchronous_commit off";
  let url: string | undefined;
  const remove = async () => {
    try {
      if (existing && url) await dropTestDatabase(serverUrl, url);
    } finally {
      server?.stop();
    }
  };
  try {
    url = await createTestDatabase(serverUrl, "bench_http");
    say(`  seeding ${runs} paused runs on PostgreSQL (${where}) through DraftgateService...`);
    const started = Date.now();
    await seedPausedRuns(url, runs, { concurrency: 8, log: say });
    const seedSeconds = (Date.now() - started) / 1000;
    // settle what the seeding left behind (dead tuples, statistics, dirty pages), as the SQLite copy is settled
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("vacuum analyze");
      await client.query("checkpoint");
    } finally {
      await client.end();
    }
    say(`  seeded in ${seedSeconds.toFixed(0)} s`);
    return { database: url, remove, where, seedSeconds };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function measure(
  name: string,
  measured: MeasuredDatabase,
  start: (database: string) => Promise<RunningServer>,
): Promise<ServerResult> {
  const { database } = measured;
  let server: RunningServer | undefined;
  try {
    const before = await countAnswers(database);
    const pairs = await pendingPairs(database, options.answers);
    if (pairs.length < options.answers)
      throw new Error(`only ${pairs.length} runs await review; need ${options.answers}`);
    // a reviewer: her API key for the JSON API, her session for the inbox page (the floor server ignores both)
    const { Rita: reviewer } = await seedPeople(database, [{ name: "Rita", role: "reviewer" }]);
    server = await start(database);
    const result = await load(name, server, reviewer!, pairs);
    await server.stop();
    const storedAnswers = (await countAnswers(database)) - before;
    return { ...result, storedAnswers };
  } finally {
    if (server) {
      await server.stop();
      if (/SQLITE_BUSY|Error:/i.test(server.output())) say(`  ${name} server output:\n${server.output().slice(-3000)}`);
    }
    await measured.remove();
  }
}

/** The loads, the same on every server: warm-up, GET /api/health, the inbox and list GETs, then the answers. */
async function load(
  name: string,
  server: RunningServer,
  reviewer: SeededPerson,
  pairs: ReadonlyArray<{ runId: string; requestId: string }>,
): Promise<Omit<ServerResult, "storedAnswers">> {
  const api = { authorization: `Bearer ${reviewer.apiKey}` };
  const page = { cookie: await sessionCookie(server.url, reviewer) };
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
  return { health, inboxPage, listAwaiting, listAwaitingConcurrent, answers };
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
const next = await measure("next", sqliteCopy("next"), (file) => startNext(file));
const split = await measure("web+worker", sqliteCopy("web+worker"), startNextWithWorker);
const floor = await measure("floor", sqliteCopy("floor"), startFloorServer);
// PostgreSQL last: its cluster runs only while it is measured
const seededRuns = await countAwaitingReview(options.seededDb);
const postgres = await postgresDatabase(seededRuns);
const splitPostgres: PostgresServerResult = {
  ...(await measure("web+worker on postgres", postgres, startNextWithWorker)),
  where: postgres.where,
  seededRuns,
  seedSeconds: postgres.seedSeconds,
};
const result: HttpResult = { built: options.build, buildSeconds, next, split, splitPostgres, floor, log };
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
