import { terminalSafe, terminalSafeJson } from "./format";

/**
 * Where the CLI writes. In human mode text goes to stdout and errors to stderr. With `--json`, stdout carries
 * exactly one JSON document per command and the narrative is dropped; only what a person at a terminal needs
 * to answer a prompt (the draft under review, the question) goes to stderr.
 *
 * Everything written here passes through `terminalSafe`, because most lines carry a brief, a draft, guidance,
 * a name or an error message that a person or a model wrote. The CLI's own text is plain (newlines and
 * indentation only), so it is unchanged: colours or other sequences of our own would have to bypass this.
 */
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

const discard: Writable = { write: () => true };

/** `stream`, with everything written to it made terminal-safe. */
function terminalSafeWritable(stream: Writable): Writable {
  return { write: (text: string) => stream.write(terminalSafe(text)) };
}

export class Output {
  readonly isJson: boolean;
  /**
   * Where the review request and the question go (stdout; stderr or nowhere under `--json`). Without a
   * terminal the line prompter echoes each piped answer here, so that stream is made terminal-safe too; a
   * terminal prompt gets the real stream, which readline needs for line editing (and echoes only keystrokes).
   */
  readonly prompts: Writable;
  private readonly narrative: Writable;
  private readonly stdout: Writable;
  private readonly stderr: Writable;

  constructor(options: { isJson: boolean; isInteractive: boolean; stdout: Writable; stderr: Writable }) {
    this.isJson = options.isJson;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.narrative = options.isJson ? discard : options.stdout;
    const prompts = !options.isJson ? options.stdout : options.isInteractive ? options.stderr : discard;
    this.prompts = options.isInteractive ? prompts : terminalSafeWritable(prompts);
  }

  /** A line of text for people. */
  line(text = ""): void {
    this.narrative.write(`${terminalSafe(text)}\n`);
  }

  /** Text for people without a newline (streamed writer tokens). */
  write(text: string): void {
    this.narrative.write(terminalSafe(text));
  }

  /** A line the reviewer needs in order to answer (the review request). */
  promptLine(text: string): void {
    this.prompts.write(`${terminalSafe(text)}\n`);
  }

  /** One line on stderr, whatever the mode. */
  error(text: string): void {
    this.stderr.write(`${terminalSafe(text)}\n`);
  }

  /** The command's JSON document; written only under `--json`. */
  document(value: unknown): void {
    if (this.isJson) this.stdout.write(`${terminalSafeJson(value)}\n`);
  }
}
