/**
 * Real processes for durability tests: `next start` servers on a temp SQLite file, pointed at a fake
 * OpenAI-compatible server that the test runs, plus helpers to call the HTTP API and the CLI.
 * Requires a production build (`next build`); scripts/test.sh runs this suite after building.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, modelFreeEnv, startHttpProcess, type HttpProcess } from "@/tests/support/processes";

const root = path.resolve(import.meta.dirname, "../..");


export type ServerProcess = HttpProcess;

export interface ServerOptions {
  dbFile: string;
  modelBaseUrl?: string;
  env?: Record<string, string>;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npx next build` first");
  const port = await freePort();
  return startHttpProcess({
    command: path.join(root, "node_modules/.bin/next"),
    args: ["start", "-p", String(port), "-H", "127.0.0.1"],
    cwd: root,
    port,
    env: modelFreeEnv({
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_FILE: options.dbFile,
      PORT: String(port),
      LOG_LEVEL: "warn",
      RUN_LEASE_MS: "1500",
      MODEL_TIMEOUT_MS: "2000",
      ...(options.modelBaseUrl ? { OPENAI_BASE_URL: options.modelBaseUrl, OPENAI_API_KEY: "test-key" } : {}),
      ...options.env,
    }),
  });
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function api<T = Record<string, unknown>>(baseUrl: string, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (an HTML page)
  }
  return { status: response.status, body: parsed as T };
}

/** Polls `probe` until it returns a value (not undefined), failing after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface RunDetailBody {
  runId: string;
  brief: string;
  status: string;
  iteration: number;
  outputs: string[];
  publishedText: string | null;
  pendingRequests: Array<{ requestId: string; draft: string; iteration: number; checkpointId: string }>;
  decisions: Array<{ requestId: string; response: string; decidedBy: string | null; decidedAt: string }>;
  headCheckpointId: string | null;
  error: { code: string; message: string } | null;
}

export async function getRun(baseUrl: string, runId: string): Promise<RunDetailBody> {
  const { status, body } = await api<RunDetailBody>(baseUrl, "GET", `/api/runs/${runId}`);
  if (status !== 200) throw new Error(`GET run ${runId}: ${status} ${JSON.stringify(body)}`);
  return body;
}

export function waitForStatus(baseUrl: string, runId: string, status: string, timeoutMs = 30_000): Promise<RunDetailBody> {
  return waitFor(`run ${runId} to be ${status}`, async () => {
    const run = await getRun(baseUrl, runId);
    return run.status === status ? run : undefined;
  }, timeoutMs);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process on the given database, with optional piped stdin (the shipped path: `node scripts/cli.mjs`, the bundle). */
export function runCli(args: string[], options: { dbFile: string; input?: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/cli.mjs"), ...args], {
      cwd: root,
      env: modelFreeEnv({ DATABASE_FILE: options.dbFile, LOG_LEVEL: "warn", ...options.env }) as unknown as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? "");
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
