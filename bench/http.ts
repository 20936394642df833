/**
 * HTTP under load against a production build (`next start`), next to a bare node:http floor server on the same
 * database, and a web instance with a worker on SQLite and on PostgreSQL. The work runs in a child holding
 * /tmp/draftgate-next.lock (see http-locked.ts).
 */
import { spawn } from "node:child_process";
import { childBaseEnv, repoRoot } from "./lib/child";
import type { HttpOptions, HttpResult } from "./http-locked";
import type { BenchRow } from "./lib/result";
import { formatMs } from "./lib/stats";

export const NEXT_LOCK = "/tmp/draftgate-next.lock";

function runLocked(options: HttpOptions, log: (line: string) => void): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "flock",
      [NEXT_LOCK, process.execPath, "--import", "tsx", "bench/http-locked.ts", JSON.stringify(options)],
      {
        cwd: repoRoot,
        env: {
          ...childBaseEnv(),
          NODE_ENV: "production",
          ...(process.env.BENCH_CPU_PROF_DIR ? { BENCH_CPU_PROF_DIR: process.env.BENCH_CPU_PROF_DIR } : {}),
          ...(process.env.BENCH_POSTGRES_URL ? { BENCH_POSTGRES_URL: process.env.BENCH_POSTGRES_URL } : {}),
        } as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.startsWith("  ")) log(line);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = stdout.split("\n").find((text) => text.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) return reject(new Error(`HTTP bench failed (exit ${code}):\n${stderr.slice(-4000)}`));
      resolve(JSON.parse(line.slice("BENCH_RESULT ".length)) as HttpResult);
    });
  });
}

export async function benchHttp(
  options: HttpOptions & { log: (line: string) => void },
): Promise<{ rows: BenchRow[]; result: HttpResult }> {
  const { log, ...rest } = options;
  const result = await runLocked(rest, log);
  const { next, floor, splitPostgres } = result;
  const answers = next.answers;
  const accepted = answers.statuses["202"] ?? 0;
  const non2xx = Object.entries(answers.statuses)
    .filter(([status]) => !status.startsWith("2"))
    .reduce((total, [, count]) => total + count, 0);
  const answerErrors = non2xx + answers.errors + answers.timeouts;
  const serverP95 = Math.max(next.inboxPage.p95Ms, next.listAwaiting.p95Ms);
  const rows: BenchRow[] = [
    {
      id: "http-answers",
      measure: `HTTP: answers/s on POST /api/runs/:id/responses, ${rest.connections} concurrent clients, next start`,
      reference: "(none)",
      target: ">= 500/s, p99 <= 100 ms, 0 errors",
      measured: `${answers.perSecond.toFixed(0)}/s, p50 ${formatMs(answers.p50Ms)}, p95 ${formatMs(answers.p95Ms)}, p99 ${formatMs(answers.p99Ms)}; ${accepted} x 202, ${non2xx} non-2xx, ${answers.errors} errors`,
      floor: `${floor.answers.perSecond.toFixed(0)}/s, p99 ${formatMs(floor.answers.p99Ms)}`,
      ratio: floor.answers.perSecond / answers.perSecond,
      met: answers.perSecond >= 500 && answers.p99Ms <= 100 && answerErrors === 0,
      details: {
        next: answers,
        floor: floor.answers,
        storedAnswers: next.storedAnswers,
        healthCeiling: { next: next.health, floor: floor.health },
      },
    },
    {
      id: "http-answers-split",
      measure: `HTTP: answers/s on POST /api/runs/:id/responses, ${rest.connections} concurrent clients, a web instance (DRAFTGATE_ROLE=web) with one worker drafting`,
      reference: "GET /api/health of the same web instance, same run",
      target: ">= 60% of that ceiling, p99 <= 100 ms where it allows, 0 errors",
      measured: `${result.split.answers.perSecond.toFixed(0)}/s (${((100 * result.split.answers.perSecond) / result.split.health.perSecond).toFixed(0)}% of ${result.split.health.perSecond.toFixed(0)}/s), p50 ${formatMs(result.split.answers.p50Ms)}, p99 ${formatMs(result.split.answers.p99Ms)}; ${result.split.answers.statuses["202"] ?? 0} x 202, ${result.split.answers.errors} errors`,
      floor: `${floor.answers.perSecond.toFixed(0)}/s, p99 ${formatMs(floor.answers.p99Ms)}`,
      ratio: floor.answers.perSecond / result.split.answers.perSecond,
      met:
        result.split.answers.perSecond >= 0.6 * result.split.health.perSecond &&
        result.split.answers.errors === 0 &&
        (result.split.answers.statuses["202"] ?? 0) === result.split.answers.requests,
      details: { split: result.split.answers, storedAnswers: result.split.storedAnswers, health: result.split.health },
    },
    {
      id: "http-answers-split-postgres",
      measure: `HTTP: answers/s on POST /api/runs/:id/responses, ${rest.connections} concurrent clients, a web instance (DRAFTGATE_ROLE=web) with one worker drafting, on PostgreSQL (${splitPostgres.where})`,
      reference: "GET /api/health of the same web instance, same run",
      target: ">= 60% of that ceiling, p99 <= 100 ms where it allows, 0 errors",
      measured: `${splitPostgres.answers.perSecond.toFixed(0)}/s (${((100 * splitPostgres.answers.perSecond) / splitPostgres.health.perSecond).toFixed(0)}% of ${splitPostgres.health.perSecond.toFixed(0)}/s), p50 ${formatMs(splitPostgres.answers.p50Ms)}, p99 ${formatMs(splitPostgres.answers.p99Ms)}; ${splitPostgres.answers.statuses["202"] ?? 0} x 202, ${splitPostgres.answers.errors} errors`,
      floor: `${floor.answers.perSecond.toFixed(0)}/s, p99 ${formatMs(floor.answers.p99Ms)}`,
      ratio: floor.answers.perSecond / splitPostgres.answers.perSecond,
      met:
        splitPostgres.answers.perSecond >= 0.6 * splitPostgres.health.perSecond &&
        splitPostgres.answers.errors === 0 &&
        (splitPostgres.answers.statuses["202"] ?? 0) === splitPostgres.answers.requests,
      details: {
        split: splitPostgres.answers,
        storedAnswers: splitPostgres.storedAnswers,
        health: splitPostgres.health,
        inboxPage: splitPostgres.inboxPage,
        listAwaiting: splitPostgres.listAwaiting,
        listAwaitingConcurrent: splitPostgres.listAwaitingConcurrent,
        where: splitPostgres.where,
        seededRuns: splitPostgres.seededRuns,
        seedSeconds: splitPostgres.seedSeconds,
        sqliteSplit: { perSecond: result.split.answers.perSecond, p99Ms: result.split.answers.p99Ms },
      },
    },
    {
      id: "http-inbox",
      measure: "HTTP: inbox page (GET /reviews) and GET /api/runs?status=awaiting_review at 10,000 runs, server time",
      reference: "(none)",
      target: "p95 <= 50 ms",
      measured: `/reviews p95 ${formatMs(next.inboxPage.p95Ms)} (p50 ${formatMs(next.inboxPage.p50Ms)}); /api/runs p95 ${formatMs(next.listAwaiting.p95Ms)} (p50 ${formatMs(next.listAwaiting.p50Ms)})`,
      floor: `/reviews p95 ${formatMs(floor.inboxPage.p95Ms)}; /api/runs p95 ${formatMs(floor.listAwaiting.p95Ms)}`,
      ratio: serverP95 / Math.max(floor.inboxPage.p95Ms, floor.listAwaiting.p95Ms),
      met:
        serverP95 <= 50 &&
        Object.keys(next.inboxPage.statuses).every((status) => status === "200") &&
        Object.keys(next.listAwaiting.statuses).every((status) => status === "200"),
      details: {
        next: {
          inboxPage: next.inboxPage,
          listAwaiting: next.listAwaiting,
          listAwaitingConcurrent: next.listAwaitingConcurrent,
        },
        floor: { inboxPage: floor.inboxPage, listAwaiting: floor.listAwaiting },
      },
    },
    {
      id: "http-ceiling",
      measure: `HTTP: GET /api/health, ${rest.connections} concurrent clients (what next start serves for a route that does nothing)`,
      reference: "—",
      target: "—",
      measured: `${next.health.perSecond.toFixed(0)}/s, p50 ${formatMs(next.health.p50Ms)}, p99 ${formatMs(next.health.p99Ms)}`,
      floor: `${floor.health.perSecond.toFixed(0)}/s, p99 ${formatMs(floor.health.p99Ms)}`,
      ratio: floor.health.perSecond / next.health.perSecond,
      met: null,
    },
  ];
  return { rows, result };
}
