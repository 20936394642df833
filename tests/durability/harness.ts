/**
 * Real processes for durability tests: `next start` servers on a temp SQLite file, pointed at a fake
 * OpenAI-compatible server that the test runs, plus helpers to call the HTTP API and the CLI.
 * Requires a production build (`next build`); scripts/test.sh runs this suite after building.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, modelFreeEnv, startHttpProcess, type HttpProcess } from "@/tests/support/processes";
import { inject } from "vitest";
import { openPostgres } from "@/db/pg/client";
import { databaseEnv } from "@/tests/support/database-rows";
import { createTestDatabase } from "@/tests/support/postgres";
import { seedPeople, type SeededPerson } from "@/tests/support/seed-people";

const root = path.resolve(import.meta.dirname, "../..");

/** The stores a durability test can run on: a SQLite file, or PostgreSQL (DATABASE_URL). */
export const STORES = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof STORES)[number];

export { queryRows } from "@/tests/support/database-rows";

/**
 * A new, empty database of the kind: a file `name` in `dir` (created by the first process that opens it), or a
 * fresh PostgreSQL database on the run's server, migrated (people are seeded into it before any server starts).
 */
export async function freshDatabase(
  kind: StoreKind,
  name: string,
  dir: { file(name: string): string },
): Promise<string> {
  if (kind === "sqlite") return dir.file(name);
  const url = await createTestDatabase(inject("postgresUrl"), "durability");
  await (await openPostgres(url, { max: 1 })).close();
  return url;
}

/** The people every durability database has: an author, three reviewers and an admin, each with an API key. */
export const PEOPLE = [
  { name: "Pat", role: "author" },
  { name: "Rita", role: "reviewer" },
  { name: "Ana", role: "reviewer" },
  { name: "Ben", role: "reviewer" },
  { name: "Ada", role: "admin" },
] as const;
export type PersonName = (typeof PEOPLE)[number]["name"];

export interface ServerProcess extends HttpProcess {
  people: Record<PersonName, SeededPerson>;
  /** Headers that act as `name` (their API key). */
  as(name: PersonName): Record<string, string>;
}

/** Requests without their own credentials act as this person of the server they go to. */
const DEFAULT_PERSON: PersonName = "Ada";
const defaultCredentials = new Map<string, Record<string, string>>();

export interface ServerOptions {
  /** The database: a SQLite file, or a migrated PostgreSQL database's URL ({@link freshDatabase}). */
  dbFile: string;
  modelBaseUrl?: string;
  env?: Record<string, string>;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  // NEXT_DIST_DIR (read by next.config.ts) lets a second build live beside .next
  if (!fs.existsSync(path.join(root, process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID")))
    throw new Error("No production build: run `npx next build` first");
  // load tests answer hundreds of rounds on one run; the revision limit is tested in lib/services and e2e
  const people = (await seedPeople(options.dbFile, PEOPLE, { maxRevisionRounds: 1_000 })) as Record<
    PersonName,
    SeededPerson
  >;
  const port = await freePort();
  const server = await startHttpProcess({
    command: path.join(root, "node_modules/.bin/next"),
    args: ["start", "-p", String(port), "-H", "127.0.0.1"],
    cwd: root,
    port,
    env: modelFreeEnv({
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // as scripts/start.sh: the app handles SIGTERM itself (graceful shutdown)
      NEXT_MANUAL_SIG_HANDLE: "true",
      ...databaseEnv(options.dbFile),
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      // tests sign in and submit many times a minute from one address; each limiter is tested where it matters
      AUTH_RATE_LIMIT_PER_MINUTE: "0",
      RATE_LIMIT_BRIEFS_PER_MINUTE: "0",
      RATE_LIMIT_ANSWERS_PER_MINUTE: "0",
      RATE_LIMIT_RESUMES_PER_MINUTE: "0",
      RATE_LIMIT_SIGN_INS_PER_MINUTE: "0",
      LOG_LEVEL: "warn",
      RUN_LEASE_MS: "1500",
      TIMER_TICK_MS: "200",
      MODEL_TIMEOUT_MS: "2000",
      ...(options.modelBaseUrl ? { OPENAI_BASE_URL: options.modelBaseUrl, OPENAI_API_KEY: "test-key" } : {}),
      ...options.env,
    }),
  });
  const as = (name: PersonName) => ({ authorization: `Bearer ${people[name].apiKey}` });
  defaultCredentials.set(server.url, as(DEFAULT_PERSON));
  return { ...server, people, as };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * Calls the HTTP API. Without an `authorization` or `cookie` header the request acts as the server's admin
 * (every test runs signed in); pass `server.as(name)` to act as someone else.
 */
export async function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const credentials = "authorization" in headers || "cookie" in headers ? {} : (defaultCredentials.get(baseUrl) ?? {});
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...credentials, ...headers },
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
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
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
  error: { code: string; message: string; detail: string | null } | null;
  queuePosition: number | null;
}

export async function getRun(baseUrl: string, runId: string): Promise<RunDetailBody> {
  const { status, body } = await api<RunDetailBody>(baseUrl, "GET", `/api/runs/${runId}`);
  if (status !== 200) throw new Error(`GET run ${runId}: ${status} ${JSON.stringify(body)}`);
  return body;
}

export function waitForStatus(
  baseUrl: string,
  runId: string,
  status: string,
  timeoutMs = 30_000,
): Promise<RunDetailBody> {
  return waitFor(
    `run ${runId} to be ${status}`,
    async () => {
      const run = await getRun(baseUrl, runId);
      return run.status === status ? run : undefined;
    },
    timeoutMs,
  );
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Signs in with a password over HTTP (as a browser would) and returns the session cookie header. */
export async function signIn(baseUrl: string, person: SeededPerson): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${person.email}: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** Runs the CLI in a child process on the given database, with optional piped stdin (the shipped path: `node scripts/cli.mjs`, the bundle). */
export function runCli(
  args: string[],
  options: { dbFile: string; input?: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/cli.mjs"), ...args], {
      cwd: root,
      env: modelFreeEnv({
        ...databaseEnv(options.dbFile),
        LOG_LEVEL: "warn",
        ...options.env,
      }) as unknown as NodeJS.ProcessEnv,
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

export interface WorkerProcess {
  pid: number;
  output(): string;
  /** kill -9 */
  crash(): Promise<void>;
  /** SIGTERM, then waits for it to exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `npm run worker` (the shipped path: `node scripts/cli.mjs worker`) on the given database. */
export async function startWorker(options: {
  dbFile: string;
  modelBaseUrl?: string;
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [path.join(root, "scripts/cli.mjs"), "worker"], {
    cwd: root,
    env: modelFreeEnv({
      ...databaseEnv(options.dbFile),
      LOG_LEVEL: "info",
      RUN_LEASE_MS: "1500",
      TIMER_TICK_MS: "200",
      WORKER_POLL_MS: "100",
      MODEL_TIMEOUT_MS: "2000",
      ...(options.modelBaseUrl ? { OPENAI_BASE_URL: options.modelBaseUrl, OPENAI_API_KEY: "test-key" } : {}),
      ...options.env,
    }) as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await waitFor(
    "the worker to start",
    async () =>
      output.includes("Worker ") ? true : child.exitCode !== null ? Promise.reject(new Error(output)) : undefined,
    60_000,
  );
  return {
    pid: child.pid as number,
    output: () => output,
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
