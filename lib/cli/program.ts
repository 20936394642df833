/**
 * The command line: parses arguments with commander, builds the service for the chosen database, runs one
 * command, and always shuts the service down before returning the exit code (see exit-codes.ts).
 */
import os from "node:os";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createServiceFromEnv, prepareDatabase, type DraftgateService } from "@/lib/services";
import { CliError, describeError, isInterruptedError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { parseDuration, parseDurationOrOff } from "./durations";
import { ExitCode } from "./exit-codes";
import { resumeCommandLine } from "./format";
import { listCommand } from "./list-command";
import {
  addUserCommand,
  createTokenCommand,
  listUsersCommand,
  setActiveCommand,
  setRoleCommand,
} from "./people-commands";
import { Output, type Writable } from "./output";
import { createPrompter, type InputMode } from "./prompter";
import { resumeCommand } from "./resume-command";
import {
  assignCommand,
  setPolicyCommand,
  showPolicyCommand,
  unassignCommand,
  type PolicyChanges,
} from "./review-commands";
import { runCommand } from "./run-command";
import { dispatchNotificationsCommand, tickTimersCommand } from "./scheduler-commands";
import { workerCommand } from "./worker-command";

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: Writable & NodeJS.WritableStream;
  stderr: Writable & NodeJS.WritableStream;
  /** Ctrl-C: the CLI registers a listener for the duration of a command. */
  onSigint: (listener: () => void) => () => void;
  /** The user's editor command (`$VISUAL`, else `$EDITOR`), for `edit` at a terminal. */
  editor?: string;
}

interface CommonOptions {
  db?: string;
  json?: boolean;
  input: boolean;
  as?: string;
  verbose?: boolean;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = ExitCode.done;
  const program = new Command("draftgate")
    .description(
      "Draft release notes from a brief, with a human review at every draft (the notebook's interactive session).",
    )
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  withCommonOptions(
    program
      .command("run")
      .argument("<brief>", "what is being released")
      .description("submit a brief and review its drafts until published"),
  ).action(async (brief: string, options: CommonOptions) => {
    exitCode = await runWithService("run", options, io, (ctx) => runCommand(ctx, brief));
  });

  withCommonOptions(
    program
      .command("list")
      .description("list runs and the newest run's checkpoints, one run's checkpoints, or what awaits review"),
  )
    .option("--run <runId>", "list this run's checkpoints, oldest first")
    .addOption(
      new Option(
        "--inbox",
        "list the runs awaiting review, oldest first, with their approvals and assigned reviewers",
      ).conflicts("run"),
    )
    .addOption(
      new Option("--mine", "with --inbox (implied): only the runs assigned to you (needs --as)").conflicts("run"),
    )
    .option("--limit <n>", "how many runs to list", parseLimit, 20)
    .action(async (options: CommonOptions & { run?: string; inbox?: boolean; mine?: boolean; limit: number }) => {
      const inbox = options.mine ? "mine" : options.inbox ? "all" : undefined;
      exitCode = await runWithService("list", options, io, (ctx) =>
        listCommand(ctx, {
          ...(options.run ? { runId: options.run } : {}),
          ...(inbox ? { inbox } : {}),
          limit: options.limit,
        }),
      );
    });

  withCommonOptions(
    program
      .command("resume")
      .argument("<checkpointId>", "the checkpoint to continue from")
      .description("continue a run from a checkpoint, answering what it awaits"),
  )
    .option(
      "--respond <requestId=text>",
      "answer a pending request with text: 'approve', or revision guidance (repeatable)",
      collect,
      [],
    )
    .addOption(
      new Option(
        "--approve [requestId]",
        "approve this pending request; without an id, every pending request no other option answers (repeatable)",
      )
        .preset("")
        .argParser(collect)
        .default([]),
    )
    .option(
      "--edit <requestId=file>",
      "replace the request's draft with the text of this file (- reads stdin) (repeatable)",
      collect,
      [],
    )
    .option(
      "--reject <requestId=reason>",
      "reject the request's draft, ending the run unpublished, for this reason (repeatable)",
      collect,
      [],
    )
    .option("--branch", "answer requests already answered from this checkpoint differently, as a new branch of history")
    .option(
      "--reason <text>",
      "why you re-open a completed or rejected run (required for that; admins only), kept in its audit trail",
    )
    .action(
      async (
        checkpointId: string,
        options: CommonOptions & {
          respond: string[];
          approve: string[];
          edit: string[];
          reject: string[];
          branch?: boolean;
          reason?: string;
        },
      ) => {
        exitCode = await runWithService("resume", options, io, (ctx) =>
          resumeCommand(ctx, checkpointId, {
            respond: options.respond,
            approve: options.approve,
            edit: options.edit,
            reject: options.reject,
            isBranch: options.branch === true,
            ...(options.reason ? { reason: options.reason } : {}),
          }),
        );
      },
    );

  // The common options belong to the subcommands only: on the parent they would take `--db`/`--as` from `policy set`.
  const policy = program
    .command("policy")
    .description("the approval policy: how many approvals a draft needs, and its deadline");
  withCommonOptions(
    policy.command("show", { isDefault: true }).description("show the approval policy (the default)"),
  ).action(async (options: CommonOptions) => {
    exitCode = await runWithService("policy", options, io, async (ctx) => showPolicyCommand(ctx));
  });
  withCommonOptions(
    policy.command("set").description("change the policy new runs start with, any of its parts (an admin's action)"),
  )
    .option("--approvals <n>", "approvals each draft needs before it is published (1 to 10)", parseWholeNumber)
    .option(
      "--deadline <duration>",
      "a draft is due this long after it is asked for review (like 90m, 24h, 2d, 1h30m)",
      parseDuration,
    )
    .option(
      "--remind-before <duration|off>",
      "remind the reviewers this long before the deadline, or off",
      parseDurationOrOff,
    )
    .option(
      "--escalate-to <people|admins>",
      "whom a draft is offered to at its deadline: emails or user ids, comma-separated, or admins",
      parseEscalateTo,
    )
    .option(
      "--expire-after <duration|off>",
      "reject a draft as expired this long after its deadline, or off (never)",
      parseDurationOrOff,
    )
    .action(
      async (
        options: CommonOptions & {
          approvals?: number;
          deadline?: number;
          remindBefore?: number | "off";
          escalateTo?: string[];
          expireAfter?: number | "off";
        },
      ) => {
        const changes: PolicyChanges = {
          requiredApprovals: options.approvals,
          deadlineMinutes: options.deadline,
          reminderMinutesBefore: options.remindBefore === "off" ? null : options.remindBefore,
          escalateTo: options.escalateTo,
          expireAfterMinutes: options.expireAfter === "off" ? null : options.expireAfter,
        };
        exitCode = await runWithService("policy set", options, io, async (ctx) => setPolicyCommand(ctx, changes));
      },
    );
  withCommonOptions(
    program
      .command("assign")
      .argument("<runId>")
      .argument("<email>", "a reviewer or admin")
      .description("ask a person to review a run's drafts"),
  ).action(async (runId: string, email: string, options: CommonOptions) => {
    exitCode = await runWithService("assign", options, io, (ctx) => assignCommand(ctx, runId, email));
  });
  withCommonOptions(
    program
      .command("unassign")
      .argument("<runId>")
      .argument("<email>")
      .description("take a person off a run's review (with nobody left, any reviewer may review it)"),
  ).action(async (runId: string, email: string, options: CommonOptions) => {
    exitCode = await runWithService("unassign", options, io, (ctx) => unassignCommand(ctx, runId, email));
  });

  withCommonOptions(
    program
      .command("timers")
      .command("tick")
      .description(
        "fire the deadline timers that are due (reminders, escalations, expiries) now, when no server does (an admin's action)",
      ),
  ).action(async (options: CommonOptions) => {
    exitCode = await runWithService("timers tick", options, io, (ctx) => tickTimersCommand(ctx));
  });

  withCommonOptions(
    program
      .command("worker")
      .description(
        "execute runs for web instances (DRAFTGATE_ROLE=web), fire timers and send notifications, until stopped",
      ),
  ).action(async (options: CommonOptions) => {
    // a long-running process: its log is the point
    exitCode = await runWithService("worker", { ...options, verbose: true }, io, (ctx) => workerCommand(ctx));
  });

  withCommonOptions(
    program
      .command("notifications")
      .command("dispatch")
      .description(
        "send the notifications that are due (email, webhooks, Slack) now, when no server does (an admin's action)",
      ),
  ).action(async (options: CommonOptions) => {
    exitCode = await runWithService("notifications dispatch", options, io, (ctx) => dispatchNotificationsCommand(ctx));
  });

  const user = program.command("user").description("people: add, list, change roles, deactivate (an admin's actions)");
  withCommonOptions(
    user.command("add").argument("<email>").description("add a person with a role (and a password read from stdin)"),
  )
    .requiredOption("--role <role>", "author, reviewer or admin")
    .option("--name <name>", "their display name (default: the part of the email before @)")
    .option(
      "--password-stdin",
      "read their password from stdin (else they sign in with company sign-in, or you invite them)",
    )
    .action(
      async (email: string, options: CommonOptions & { role: string; name?: string; passwordStdin?: boolean }) => {
        const password = options.passwordStdin ? await readAll(io.stdin) : undefined;
        exitCode = await runWithService("user add", options, io, (ctx) =>
          addUserCommand(ctx, email, {
            role: options.role,
            ...(options.name ? { name: options.name } : {}),
            ...(password !== undefined ? { password } : {}),
          }),
        );
      },
    );
  withCommonOptions(user.command("list").description("everyone, with role and how they sign in")).action(
    async (options: CommonOptions) => {
      exitCode = await runWithService("user list", options, io, async (ctx) => listUsersCommand(ctx));
    },
  );
  withCommonOptions(
    user
      .command("set-role")
      .argument("<email>")
      .argument("<role>", "author, reviewer or admin")
      .description("change a person's role"),
  ).action(async (email: string, role: string, options: CommonOptions) => {
    exitCode = await runWithService("user set-role", options, io, async (ctx) => setRoleCommand(ctx, email, role));
  });
  withCommonOptions(
    user
      .command("deactivate")
      .argument("<email>")
      .description("stop a person's sessions and API keys at once (their decisions stay)"),
  ).action(async (email: string, options: CommonOptions) => {
    exitCode = await runWithService("user deactivate", options, io, async (ctx) => setActiveCommand(ctx, email, false));
  });
  withCommonOptions(
    user.command("reactivate").argument("<email>").description("let a deactivated person sign in again"),
  ).action(async (email: string, options: CommonOptions) => {
    exitCode = await runWithService("user reactivate", options, io, async (ctx) => setActiveCommand(ctx, email, true));
  });
  withCommonOptions(
    program
      .command("token")
      .command("create")
      .argument("<email>", "whose key it is")
      .description("create an API key and print it once"),
  )
    .option("--name <name>", "what the key is for", "cli")
    .action(async (email: string, options: CommonOptions & { name: string }) => {
      exitCode = await runWithService("token create", options, io, async (ctx) =>
        createTokenCommand(ctx, email, options.name),
      );
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return ExitCode.done; // --help, --version
    // commander has printed the usage error; a --json caller still gets its one document
    if (argv.includes("--json")) {
      io.stdout.write(
        `${JSON.stringify({ ok: false, error: { code: "USAGE", message: error.message.replace(/^error: /, "") }, exitCode: ExitCode.refused })}\n`,
      );
    }
    return ExitCode.refused;
  }
  return exitCode;
}

function withCommonOptions(command: Command): Command {
  return command
    .option("--db <file>", "SQLite database file (default: DATABASE_FILE, else data/draftgate.db — the dashboard's)")
    .option(
      "--as <email>",
      "act as this person (their role applies; recorded as done through the CLI); default: the local operator cli:<your OS user name>",
    )
    .option("--json", "print one JSON document on stdout instead of text (prompts, if any, go to stderr)")
    .option("--no-input", "never read stdin: print what is pending and exit with code 2")
    .option("--verbose", "show the server log (JSON lines on stdout)");
}

/** Builds the service and the context, runs the command, reports errors, and always closes the service. */
async function runWithService(
  commandName: string,
  options: CommonOptions,
  io: CliIO,
  command: (ctx: CliContext) => Promise<CommandResult>,
): Promise<number> {
  const mode = inputMode(options, io);
  const out = new Output({
    isJson: options.json === true,
    isInteractive: mode === "terminal",
    stdout: io.stdout,
    stderr: io.stderr,
  });
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  const removeSigint = io.onSigint(onInterrupt);
  let service: DraftgateService | undefined;
  let ctx: CliContext | undefined;
  try {
    const env = getEnv();
    // The log goes to stdout as JSON lines; in a terminal program it would bury the session (and break --json).
    logger.level = options.verbose ? env.LOG_LEVEL : "silent";
    // the CLI always executes what it starts (DRAFTGATE_ROLE is the web server's)
    // --db names a SQLite file, whatever DATABASE_URL says
    const cliEnv = { ...env, DRAFTGATE_ROLE: "all" as const, ...(options.db ? { DATABASE_URL: undefined } : {}) };
    await prepareDatabase(cliEnv);
    service = createServiceFromEnv(cliEnv, options.db ? { databaseFile: path.resolve(options.db) } : {});
    ctx = {
      service,
      out,
      // In terminal mode prompts always go to a real stream (stdout, or stderr under --json).
      prompter: createPrompter({
        mode,
        input: io.stdin,
        output: out.prompts as NodeJS.WritableStream & Writable,
        signal: interrupt.signal,
        onInterrupt,
      }),
      actor: await service.people.actorForCli({
        ...(options.as?.trim() ? { asEmail: options.as.trim() } : {}),
        osUser: osUserName(),
      }),
      databaseOption: options.db,
      signal: interrupt.signal,
      streamsTokens: !out.isJson && io.stdout.isTTY === true,
      currentRunId: undefined,
      // an editor needs the terminal; piped or scripted input types the edited draft instead
      editor: mode === "terminal" && io.editor?.trim() ? io.editor.trim() : undefined,
      readStdin: () =>
        mode === "none"
          ? Promise.reject(new CliError("BAD_OPTION", "--no-input forbids reading stdin (an --edit of -)"))
          : readAll(io.stdin),
    };
    const result = await command(ctx);
    out.document(result.document);
    return result.exitCode;
  } catch (error) {
    const described = describeError(error);
    if (isInterruptedError(error)) {
      // Stop the run first (its lease is released), then say where it can be picked up again.
      await service?.close();
      out.error("Interrupted.");
      const hint = ctx?.currentRunId ? await interruptedHint(ctx, ctx.currentRunId, options.db) : null;
      if (hint) out.error(hint);
    } else {
      out.error(`error [${described.code}]: ${described.message}`);
    }
    out.document({
      ok: false,
      command: commandName,
      error: {
        code: described.code,
        message: described.message,
        ...(described.details ? { details: described.details } : {}),
      },
      exitCode: described.exitCode,
    });
    return described.exitCode;
  } finally {
    ctx?.prompter.close();
    removeSigint();
    await service?.close();
  }
}

async function interruptedHint(
  ctx: CliContext,
  runId: string,
  databaseOption: string | undefined,
): Promise<string | null> {
  try {
    const run = await ctx.service.getRun(ctx.actor, runId);
    const from = run.pendingRequests[0]?.checkpointId ?? run.headCheckpointId;
    return from
      ? `The run is kept at checkpoint ${from}. Continue with:\n  ${resumeCommandLine(from, databaseOption)}`
      : null;
  } catch {
    return null; // the hint is a courtesy; the interrupt itself is what we report
  }
}

function inputMode(options: CommonOptions, io: CliIO): InputMode {
  if (!options.input) return "none";
  return io.stdin.isTTY ? "terminal" : "lines";
}

function osUserName(): string {
  try {
    return os.userInfo().username || "cli";
  } catch {
    return "cli"; // no passwd entry (some containers)
  }
}

/** All of stdin as text, without the final newline (a password piped with echo). */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseWholeNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number)) throw new InvalidArgumentError("must be a whole number");
  return number;
}

/** `--escalate-to`: `admins` (an empty group), else emails or user ids, comma-separated (resolved by the command). */
function parseEscalateTo(value: string): string[] {
  if (value.trim().toLowerCase() === "admins") return [];
  const people = [
    ...new Set(
      value
        .split(",")
        .map((person) => person.trim())
        .filter(Boolean),
    ),
  ];
  if (people.length === 0)
    throw new InvalidArgumentError("name people (emails or user ids, comma-separated), or admins");
  return people;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new InvalidArgumentError("must be a whole number from 1 to 200");
  return limit;
}
