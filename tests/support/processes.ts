/**
 * Child processes for tests and benchmarks: a free loopback port, an environment that can never reach a real
 * model, and an HTTP server process started in its own process group and awaited until healthy.
 */
import { spawn, type ChildProcess } from "node:child_process";

// relative: playwright.config.ts loads this file, before any path alias applies
export { freePort } from "../../scripts/lib/free-port";

const MODEL_VARIABLES = [
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME",
  "AZURE_OPENAI_API_KEY",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_MODEL",
];

/**
 * This process's environment (PATH, HOME...) without model, database, port or test-runner settings, with the
 * model variables set to "" so that a developer's `.env` cannot select a real model either (lib/env lets real
 * variables win over `.env` and treats "" as unset): the child writes with the offline writer unless told otherwise.
 */
export function modelFreeEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !/^(AZURE_|OPENAI_|MODEL_|DATABASE_FILE$|PORT$|NODE_OPTIONS$|VITEST)/.test(entry[0]),
  );
  return {
    ...Object.fromEntries(inherited),
    ...Object.fromEntries(MODEL_VARIABLES.map((name) => [name, ""])),
    ...overrides,
  };
}

export interface HttpProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL to the whole process group: no shutdown hooks, no flushing. */
  crash(): Promise<void>;
  /** SIGTERM to the process group, SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `command` detached (its own process group, so stopping it stops every process it started) and waits
 * until `GET <url><healthPath>` answers 2xx.
 */
export async function startHttpProcess(options: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  healthPath?: string;
  timeoutMs?: number;
}): Promise<HttpProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env as unknown as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const crash = async () => {
    if (!isRunning()) return;
    signalGroup("SIGKILL");
    await exited;
  };
  const stop = async () => {
    if (!isRunning()) return;
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!isRunning()) throw new Error(`${options.command} exited early:\n${output}`);
    try {
      if ((await fetch(`${url}${options.healthPath ?? "/api/health"}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await crash();
      throw new Error(`${options.command} did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, crash, stop };
}
