/** Starts `next start` (production build) or the floor server on a temp database, and stops it again. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { childBaseEnv, repoRoot } from "./child";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startProcess(command: string, args: string[], env: Record<string, string>, port: number): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...childBaseEnv(), ...env } as NodeJS.ProcessEnv,
    detached: true, // its own process group, so stopping it stops every process of the server
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, stop };
}

/** `next start` on `dbFile` with the offline writer at zero latency. Requires `next build` to have run. */
export async function startNext(dbFile: string): Promise<RunningServer> {
  if (!fs.existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) throw new Error("No production build: run `npx next build` first");
  const port = await freePort();
  return startProcess(path.join(repoRoot, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    DATABASE_FILE: dbFile,
    PORT: String(port),
    OFFLINE_WRITER_DELAY_MS: "0",
  }, port);
}

export async function startFloorServer(dbFile: string): Promise<RunningServer> {
  const port = await freePort();
  return startProcess(process.execPath, [path.join(repoRoot, "bench/http-floor-server.mjs"), dbFile, String(port)], {}, port);
}
