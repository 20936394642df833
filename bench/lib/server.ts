/** Starts `next start` (production build) or the floor server on a temp database, and stops it again. */
import fs from "node:fs";
import path from "node:path";
import { freePort, startHttpProcess, type HttpProcess } from "@/tests/support/processes";
import { childBaseEnv, repoRoot } from "./child";


export type RunningServer = HttpProcess;

function startProcess(command: string, args: string[], env: Record<string, string>, port: number): Promise<RunningServer> {
  return startHttpProcess({ command, args, cwd: repoRoot, env: { ...childBaseEnv(), ...env }, port, timeoutMs: 90_000 });
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
