/**
 * `edit` at the review prompt: the reviewer rewrites the draft in their own editor (`$VISUAL`, else `$EDITOR`) on
 * a temp file, as `git commit` does.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type EditorOutcome = { kind: "saved"; text: string } | { kind: "failed"; reason: string };

/**
 * Writes `draft` to a temp file, runs `editor` on it with the terminal handed over (stdio inherited), and returns
 * the saved text. The editor command is the user's own setting, so it may carry arguments (`code --wait`): it runs
 * through the shell, with the file path passed as a positional argument rather than spliced into the command.
 * The temp directory is removed afterwards, whatever happened.
 */
export async function editInEditor(editor: string, draft: string): Promise<EditorOutcome> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "draftgate-edit-"));
  const file = path.join(dir, "draft.md");
  try {
    // owner-only: the draft may be unpublished news
    await fs.writeFile(file, `${draft}\n`, { encoding: "utf8", mode: 0o600 });
    const exit = await runEditor(editor, file);
    if (exit.error) return { kind: "failed", reason: `the editor (${editor}) could not start: ${exit.error.message}` };
    // 127: the shell did not find the command
    if (exit.code === 127)
      return {
        kind: "failed",
        reason: `the editor (${editor}) was not found; set $VISUAL or $EDITOR to an editor command`,
      };
    if (exit.code !== 0)
      return {
        kind: "failed",
        reason: `the editor (${editor}) exited with ${exit.code === null ? `signal ${exit.signal}` : `code ${exit.code}`}`,
      };
    return { kind: "saved", text: await fs.readFile(file, "utf8") };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function runEditor(
  editor: string,
  file: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }> {
  const child =
    process.platform === "win32"
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: "inherit" })
      : spawn("/bin/sh", ["-c", `${editor} "$1"`, "draftgate-editor", file], { stdio: "inherit" });
  return new Promise((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}
