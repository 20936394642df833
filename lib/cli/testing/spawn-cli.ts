/**
 * Drives the CLI as a user would: a real child process (`node scripts/cli.mjs ...`, the shipped path: the
 * esbuild bundle on plain node, rebuilt by scripts/cli.mjs when lib/ or db/ changed) with piped stdin, on a
 * SQLite file in a temp directory. Test support only.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { modelFreeEnv } from "@/tests/support/processes";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const cliScript = path.join(repoRoot, "scripts", "cli.mjs");

/** A child's environment (plain strings; NodeJS.ProcessEnv also demands NODE_ENV, which the CLI does not need). */
export type ChildEnv = Record<string, string>;

export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's environment: this process's (PATH, HOME...) without any model settings, plus `overrides`.
 * The model variables are also set to "" so that a developer's `.env` cannot select a real model (lib/env
 * lets real variables win over `.env` and treats "" as unset), so the writer is the offline one unless a
 * test points it somewhere.
 */
export function cliEnv(databaseFile: string, overrides: Record<string, string> = {}): ChildEnv {
  return modelFreeEnv({ DATABASE_FILE: databaseFile, LOG_LEVEL: "info", OFFLINE_WRITER_DELAY_MS: "0", ...overrides });
}

/**
 * Environment overrides that run the CLI `offsetMs` later than now: a module preloaded with `--import` (written to
 * `dir`, a temp directory) shifts `Date.now`, which the services' clock and the CLI's due times read. Tests move
 * deadlines' time this way instead of sleeping; `new Date()` (run creation times) is left alone.
 */
export function clockShiftEnv(dir: string, offsetMs: number): Record<string, string> {
  const file = path.join(dir, `clock-shift-${offsetMs}.mjs`);
  fs.writeFileSync(file, `const realNow = Date.now;\nDate.now = () => realNow() + ${offsetMs};\n`);
  return { NODE_OPTIONS: `--import ${pathToFileURL(file).href}` };
}

export interface InteractiveCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  /** Resolves once stdout matches; rejects after `timeoutMs` with what was printed so far. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  write(text: string): void;
  exited: Promise<CliExit>;
}

/** Starts the CLI with a stdin pipe the test writes to (and may keep open). */
export function startCli(args: string[], env: ChildEnv): InteractiveCli {
  return watch(
    spawn(process.execPath, [cliScript, ...args], {
      cwd: repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
}

/**
 * Starts the CLI on a pseudo-terminal (util-linux `script`, in Debian's essential bsdutils), so it sees stdin and stdout as a terminal: line
 * editing, streamed tokens, and `$EDITOR` for `edit`. What the test writes is typed at that terminal (end lines
 * with "\r"); stdout is what the terminal shows (CRLF line ends, readline's cursor sequences), stderr included.
 */
export function startCliInTerminal(args: string[], env: ChildEnv): InteractiveCli {
  const command = [process.execPath, cliScript, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
  return watch(
    spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], {
      cwd: repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
}

function watch(child: ChildProcessWithoutNullStreams): InteractiveCli {
  // A CLI that exits without reading all of its input (it was told to stop) must not fail the test with EPIPE.
  child.stdin.on("error", () => {});
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<CliExit>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    waitForStdout(pattern, timeoutMs = 8_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern} in stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`The CLI exited before printing ${pattern}:\n${stdout}\nstderr:\n${stderr}`));
          }
        });
      });
    },
    write: (text) => {
      child.stdin.write(text);
    },
    exited,
  };
}

/**
 * Runs the CLI to the end. `input` is piped to stdin and then closed (end of input); `null` gives it no stdin
 * at all (/dev/null), as a cron job or CI step would.
 */
export async function runCli(args: string[], env: ChildEnv, input: string | null = ""): Promise<CliExit> {
  if (input === null) {
    const child = spawn(process.execPath, [cliScript, ...args], {
      cwd: repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
  }
  const cli = startCli(args, env);
  cli.child.stdin.end(input);
  return cli.exited;
}
