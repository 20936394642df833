import readline from "node:readline";
import { createInterface } from "node:readline/promises";
import { InterruptedError } from "./cli-errors";
import type { Writable } from "./output";

/** Asks the reviewer. `null` means there is no (more) input: end of input, Ctrl-D, or `--no-input`. */
export interface Prompter {
  ask(question: string): Promise<string | null>;
  /**
   * Lines up to (not including) one that is exactly `end` (an edited draft, ended by "."); `null` when the input
   * ends first. One reader serves the whole block, so lines pasted at once are all kept.
   */
  readBlock(end: string): Promise<string[] | null>;
  close(): void;
}

export type InputMode = "terminal" | "lines" | "none";

export interface PrompterOptions {
  mode: InputMode;
  input: NodeJS.ReadableStream;
  output: Writable & NodeJS.WritableStream;
  /** Aborted on Ctrl-C: a pending question rejects with {@link InterruptedError}. */
  signal: AbortSignal;
  /** Called when Ctrl-C is typed at a terminal prompt (readline swallows the signal there). */
  onInterrupt: () => void;
}

/**
 * `terminal`: readline with line editing, one interface per question (so the terminal is back in normal mode,
 * and Ctrl-C is a plain SIGINT, while the run executes). `lines`: stdin is a pipe or a file; lines are read
 * in order from one buffered reader, echoed after the question so a transcript reads like a session, and end
 * of input answers `null`. `none`: never reads.
 */
export function createPrompter(options: PrompterOptions): Prompter {
  if (options.mode === "none") return { ask: async () => null, readBlock: async () => null, close: () => {} };
  if (options.mode === "terminal") return createTerminalPrompter(options);
  return createLinePrompter(options);
}

function createTerminalPrompter({ input, output, signal, onInterrupt }: PrompterOptions): Prompter {
  return {
    async ask(question) {
      if (signal.aborted) throw new InterruptedError();
      const rl = createInterface({ input, output, terminal: true });
      rl.on("SIGINT", onInterrupt);
      const closed = new Promise<null>((resolve) => rl.once("close", () => resolve(null)));
      try {
        return await Promise.race([rl.question(question, { signal }), closed]);
      } catch (error) {
        if (signal.aborted) throw new InterruptedError();
        throw error;
      } finally {
        rl.close();
      }
    },
    async readBlock(end) {
      if (signal.aborted) throw new InterruptedError();
      const rl = createInterface({ input, output, terminal: true });
      rl.on("SIGINT", onInterrupt);
      const block = new Promise<string[] | null>((resolve) => {
        const lines: string[] = [];
        rl.on("line", (line) => {
          if (line === end) {
            resolve(lines);
            rl.close();
          } else {
            lines.push(line);
          }
        });
        rl.once("close", () => resolve(null)); // Ctrl-D (a no-op once the block was resolved)
      });
      try {
        return await untilAborted(block, signal);
      } finally {
        rl.close();
      }
    },
    close: () => {},
  };
}

function createLinePrompter({ input, output, signal }: PrompterOptions): Prompter {
  let rl: readline.Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  return {
    async ask(question) {
      if (signal.aborted) throw new InterruptedError();
      output.write(question);
      // Created on first use and kept: the async iterator buffers lines that arrive before they are asked for.
      rl ??= readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
      lines ??= rl[Symbol.asyncIterator]();
      const next = await untilAborted(lines.next(), signal);
      if (next.done) {
        output.write("\n");
        return null;
      }
      output.write(`${next.value}\n`);
      return next.value;
    },
    async readBlock(end) {
      const lines: string[] = [];
      for (;;) {
        const line = await this.ask("");
        if (line === null) return null;
        if (line === end) return lines;
        lines.push(line);
      }
    },
    close: () => rl?.close(),
  };
}

/** Settles like `promise`, or rejects with {@link InterruptedError} once `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new InterruptedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
