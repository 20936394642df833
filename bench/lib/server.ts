/**
 * Starts `next start` (production build) or the floor server on a temp database, and stops it again. A database is
 * named by one string: a SQLite file's path or a (migrated) PostgreSQL database's URL (tests/support/database-rows.ts).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { databaseEnv, isPostgresUrl } from "@/tests/support/database-rows";
import { freePort, startHttpProcess, type HttpProcess } from "@/tests/support/processes";
import { childBaseEnv, repoRoot } from "./child";

export type RunningServer = HttpProcess;

function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<RunningServer> {
  return startHttpProcess({
    command,
    args,
    cwd: repoRoot,
    env: { ...childBaseEnv(), ...env },
    port,
    timeoutMs: 90_000,
  });
}

/** The measured load is one person's: per-person rate limits would refuse most of it. */
const NO_RATE_LIMITS = {
  RATE_LIMIT_BRIEFS_PER_MINUTE: "0",
  RATE_LIMIT_ANSWERS_PER_MINUTE: "0",
  RATE_LIMIT_RESUMES_PER_MINUTE: "0",
  AUTH_RATE_LIMIT_PER_MINUTE: "0",
};

/**
 * `next start` on `database` (a SQLite file or a PostgreSQL URL) with the offline writer at zero latency. Requires
 * `next build` to have run.
 */
export async function startNext(database: string, env: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID")))
    throw new Error("No production build: run `npx next build` first");
  const port = await freePort();
  const next = path.join(repoRoot, "node_modules/next/dist/bin/next");
  // BENCH_CPU_PROF_DIR: the server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools)
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
    : [];
  return startProcess(
    process.execPath,
    [...profile, next, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      ...databaseEnv(database),
      PORT: String(port),
      OFFLINE_WRITER_DELAY_MS: "0",
      ...NO_RATE_LIMITS,
      ...env,
    },
    port,
  );
}

/**
 * A web instance (`DRAFTGATE_ROLE=web`) and one worker (`npm run worker`) on `database` (a SQLite file or a
 * PostgreSQL URL): the web instance answers and makes each answer durable; the worker drafts the revisions. Stopping
 * it stops both.
 */
export async function startNextWithWorker(database: string): Promise<RunningServer> {
  const web = await startNext(database, { DRAFTGATE_ROLE: "web" });
  const worker = spawn(process.execPath, [path.join(repoRoot, "scripts/cli.mjs"), "worker"], {
    cwd: repoRoot,
    env: {
      ...childBaseEnv(),
      ...databaseEnv(database),
      OFFLINE_WRITER_DELAY_MS: "0",
      WORKER_POLL_MS: "50",
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let workerOutput = "";
  worker.stderr.on("data", (chunk: Buffer) => (workerOutput += chunk.toString()));
  const stopWorker = async () => {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.kill("SIGTERM");
    await exited;
  };
  return {
    ...web,
    output: () => `${web.output()}${workerOutput}`,
    stop: async () => {
      await Promise.all([web.stop(), stopWorker()]);
    },
    crash: async () => {
      worker.kill("SIGKILL");
      await web.crash();
    },
  };
}

/** The bare node:http floor server (bench/http-floor-server.mjs): better-sqlite3 on a SQLite file only. */
export async function startFloorServer(dbFile: string): Promise<RunningServer> {
  if (isPostgresUrl(dbFile)) throw new Error("the floor server runs on a SQLite file, not on PostgreSQL");
  const port = await freePort();
  return startProcess(
    process.execPath,
    [path.join(repoRoot, "bench/http-floor-server.mjs"), dbFile, String(port)],
    {},
    port,
  );
}
