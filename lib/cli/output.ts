/**
 * Where the CLI writes. In human mode text goes to stdout and errors to stderr. With `--json`, stdout carries
 * exactly one JSON document per command and the narrative is dropped; only what a person at a terminal needs
 * to answer a prompt (the draft under review, the question) goes to stderr.
 */
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

const discard: Writable = { write: () => true };

export class Output {
  readonly isJson: boolean;
  /** Where the review request and the question go (stdout; stderr or nowhere under `--json`). */
  readonly prompts: Writable;
  private readonly narrative: Writable;
  private readonly stdout: Writable;
  private readonly stderr: Writable;

  constructor(options: { isJson: boolean; isInteractive: boolean; stdout: Writable; stderr: Writable }) {
    this.isJson = options.isJson;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.narrative = options.isJson ? discard : options.stdout;
    this.prompts = !options.isJson ? options.stdout : options.isInteractive ? options.stderr : discard;
  }

  /** A line of text for people. */
  line(text = ""): void {
    this.narrative.write(`${text}\n`);
  }

  /** Text for people without a newline (streamed writer tokens). */
  write(text: string): void {
    this.narrative.write(text);
  }

  /** A line the reviewer needs in order to answer (the review request). */
  promptLine(text: string): void {
    this.prompts.write(`${text}\n`);
  }

  /** One line on stderr, whatever the mode. */
  error(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** The command's JSON document; written only under `--json`. */
  document(value: unknown): void {
    if (this.isJson) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
