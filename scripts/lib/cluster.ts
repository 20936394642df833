import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import pg from "pg";
import { forwardLines, startHttpProcess, type HttpProcess } from "./http-process";
import { startThrowawayPostgres } from "./throwaway-postgres";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface ClusterOptions {
  /** Web instances A and B listen here. */
  ports: readonly [number, number];
  /** Every line a process of the cluster prints, with its name (web-a, web-b, worker). */
  onLine?: (name: string, line: string) => void;
  /** More environment for the three processes (e.g. OFFLINE_WRITER_DELAY_MS); the cluster's own settings win. */
  env?: Record<string, string>;
}

export interface Cluster {
  webs: readonly [string, string];
  databaseUrl: string;
  workerPid: number | undefined;
  /** Resolves when a process of the cluster exits on its own (not through `stop`), with its name and code. */
  exited: Promise<{ name: string; code: number | null }>;
  /** Stops the processes gracefully (SIGTERM; SIGKILL after 15 s), then the database, which is removed. */
  stop(): Promise<void>;
}

/** Builds Draftgate if needed (and installs it), as `npm start` does. */
export function buildIfNeeded(): void {
  const build = spawnSync("bash", ["scripts/start.sh"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, DRAFTGATE_BUILD_ONLY: "1" },
  });
  if (build.status !== 0) throw new Error(`the build failed (exit ${build.status})`);
}

/**
 * Draftgate beyond one machine, on this one: a throwaway PostgreSQL server, two web instances (DRAFTGATE_ROLE=web)
 * and a worker (`npm run worker`) on one database, from the current build. Resolves once all three serve.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const server = await startThrowawayPostgres({ durability: "crash-safe" });
  const webs: HttpProcess[] = [];
  let worker: ChildProcess | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const workerExit = worker && worker.exitCode === null ? once(worker, "exit") : undefined;
    worker?.kill("SIGTERM");
    const killWorker = setTimeout(() => worker?.kill("SIGKILL"), 15_000);
    await Promise.all([...webs.map((web) => web.stop()), workerExit]);
    clearTimeout(killWorker);
    server.stop();
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("create database draftgate");
    await admin.end();
    const databaseUrl = server.url.replace(/\/postgres$/, "/draftgate");
    const [portA, portB] = options.ports;
    const shared: Record<string, string> = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined)) as Record<
        string,
        string
      >),
      ...options.env,
      DATABASE_URL: databaseUrl,
      // every web instance signs sessions with the same secret; new for each cluster, so sessions end with it
      BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
      APP_URL: `http://127.0.0.1:${portA}`,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "true",
    };
    let onExit: (exit: { name: string; code: number | null }) => void = () => {};
    const exited = new Promise<{ name: string; code: number | null }>((resolve) => (onExit = resolve));
    const watch = (name: string, child: ChildProcess) =>
      child.once("exit", (code) => {
        if (!stopping) onExit({ name, code });
      });
    const next = path.join(root, "node_modules", ".bin", "next");
    // the web instances migrate the database (one at a time) before they are ready; the worker starts on a migrated one
    await Promise.all(
      [portA, portB].map(async (port, i) => {
        const name = `web-${"ab"[i]}`;
        const web = await startHttpProcess({
          command: next,
          args: ["start", "-p", String(port)],
          cwd: root,
          env: { ...shared, PORT: String(port), DRAFTGATE_ROLE: "web" },
          port,
          healthPath: "/api/ready",
          timeoutMs: 120_000,
          onLine: (line) => options.onLine?.(name, line),
        });
        webs[i] = web;
        watch(name, web.child);
      }),
    );
    const workerProcess = spawn(process.execPath, ["scripts/cli.mjs", "worker"], {
      cwd: root,
      env: shared as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker = workerProcess;
    forwardLines(workerProcess, (line) => options.onLine?.("worker", line));
    watch("worker", workerProcess);
    return { webs: [webs[0]!.url, webs[1]!.url], databaseUrl, workerPid: workerProcess.pid, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
