import { spawn, type ChildProcess } from "node:child_process";

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
  /** Each line the process prints, as it prints it (its output is also kept for `output()`). */
  onLine?: (line: string) => void;
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
  if (options.onLine) forwardLines(child, options.onLine);
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

/** Calls `onLine` with each whole line `child` prints on stdout or stderr. */
export function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
  }
}
