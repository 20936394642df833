/**
 * Entry point: `npm run cli -- <command>` (`node scripts/cli.mjs`, which runs this file as an esbuild bundle on
 * plain node; `npm run cli:dev` runs it with tsx). See README "Command line".
 *
 * The program is imported dynamically so that an invalid environment (checked when the logger and services
 * load) is reported as one line, not a stack trace.
 */
import { ExitCode } from "./exit-codes";
import { oneLine } from "./format";

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  onSigint(listener: () => void) {
    let count = 0;
    const handler = () => {
      count += 1;
      // A second Ctrl-C while shutting down means "now".
      if (count > 1) process.exit(ExitCode.interrupted);
      listener();
    };
    process.on("SIGINT", handler);
    return () => process.off("SIGINT", handler);
  },
  // Read here, where the process meets its environment, rather than in lib/env: it is the user's terminal
  // setting (as for git), not Draftgate's configuration, and only `edit` at a terminal uses it.
  editor: process.env.VISUAL || process.env.EDITOR || undefined,
};

let exitCode: number;
try {
  const { runCli } = await import("./program");
  exitCode = await runCli(process.argv.slice(2), io);
} catch (error) {
  // Only reached when the program cannot even load (e.g. an invalid environment); commands report their own errors.
  const code =
    typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
      ? error.code
      : "INTERNAL";
  const message = oneLine(error instanceof Error ? error.message : String(error));
  process.stderr.write(`error [${code}]: ${message}\n`);
  if (process.argv.includes("--json"))
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message }, exitCode: ExitCode.error })}\n`);
  exitCode = ExitCode.error;
}
// Writes to pipes and files are synchronous on POSIX, so nothing printed is lost; exiting explicitly also
// ends a stdin pipe that the parent keeps open.
process.exit(exitCode);
