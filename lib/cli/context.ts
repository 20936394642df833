import type { Actor, DraftgateService } from "@/lib/services";
import type { Output } from "./output";
import type { Prompter } from "./prompter";

/** What every command receives: the service, where to write, how to ask, and who is answering. */
export interface CliContext {
  service: DraftgateService;
  out: Output;
  prompter: Prompter;
  /** Who acts: the person named by `--as <email>`, else the local operator `cli:<os user>`; recorded with every action. */
  actor: Actor;
  /** The `--db` value as typed, repeated in resume hints so they work as printed. */
  databaseOption: string | undefined;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Print the writer's tokens as they stream (a terminal, not `--json`). */
  streamsTokens: boolean;
  /** The run being followed, so an interrupt can say where to resume. */
  currentRunId: string | undefined;
  /**
   * The command that edits a draft at `edit` (`$VISUAL`, else `$EDITOR`): only at a terminal. Undefined: the
   * edited draft is read from stdin, up to a line holding a single ".".
   */
  editor: string | undefined;
  /** All of stdin as text (`--edit <requestId>=-`). @throws CliError under `--no-input` */
  readStdin: () => Promise<string>;
}

/** The result of a command: its exit code and its `--json` document. */
export interface CommandResult {
  exitCode: number;
  document: Record<string, unknown>;
}
