import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
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
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const exits = children.map(
      ({ child }) =>
        new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve()))),
    );
    for (const { child } of children) child.kill("SIGTERM");
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 15_000))]);
    for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
    server.stop();
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("create database draftgate");
    await admin.end();
    const databaseUrl = server.url.replace(/\/postgres$/, "/draftgate");
    const [portA, portB] = options.ports;
    const shared = {
      ...process.env,
      ...options.env,
      DATABASE_URL: databaseUrl,
      // every web instance signs sessions with the same secret; new for each cluster, so sessions end with it
      BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
      APP_URL: `http://localhost:${portA}`,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "true",
    };
    let onExit: (exit: { name: string; code: number | null }) => void = () => {};
    const exited = new Promise<{ name: string; code: number | null }>((resolve) => (onExit = resolve));
    const start = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv) => {
      const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      for (const stream of [child.stdout, child.stderr]) {
        let rest = "";
        stream?.setEncoding("utf8");
        stream?.on("data", (chunk: string) => {
          const lines = (rest + chunk).split("\n");
          rest = lines.pop() ?? "";
          for (const line of lines) options.onLine?.(name, line);
        });
      }
      child.once("exit", (code) => {
        if (!stopping) onExit({ name, code });
      });
      children.push({ name, child });
      return child;
    };
    const next = path.join(root, "node_modules", ".bin", "next");
    const webs = [portA, portB].map((port, i) => {
      const url = `http://localhost:${port}`;
      const child = start(`web-${"ab"[i]}`, next, ["start", "-p", String(port)], {
        ...shared,
        PORT: String(port),
        DRAFTGATE_ROLE: "web",
      });
      return { url, child };
    });
    // the web instances migrate the database (one at a time); the worker starts on a migrated one
    await Promise.all(webs.map(({ url, child }) => waitUntilReady(url, child)));
    const worker = start("worker", process.execPath, ["scripts/cli.mjs", "worker"], shared);
    return {
      webs: [webs[0]!.url, webs[1]!.url],
      databaseUrl,
      workerPid: worker.pid,
      exited,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready in 2 minutes`);
}
