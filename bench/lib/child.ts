import { spawn } from "node:child_process";
import path from "node:path";
import { now } from "./stats";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

export interface ChildResult {
  /** Spawn to the first stdout line (the child's "done" line), in ms; NaN if it printed nothing. */
  toLineMs: number;
  /** Spawn to exit, in ms. */
  toExitMs: number;
  line: string;
  code: number | null;
  stderr: string;
}

/** Spawns `node ...args` in the repo root with a clean, model-free environment and times it. */
export function timeChild(args: readonly string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...childBaseEnv(), ...env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let toLineMs = Number.NaN;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (Number.isNaN(toLineMs) && stdout.includes("\n")) toLineMs = now() - start;
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      resolve({ toLineMs, toExitMs: now() - start, line: stdout.split("\n")[0] ?? "", code, stderr }),
    );
  });
}

/** Only what a child needs: no model configuration (so nothing reaches a real model) and no DATABASE_FILE. */
export function childBaseEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: "production", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" };
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
