/**
 * `resume`'s answers given on the command line, one flag per decision, each naming its request:
 *
 * | flag | decision |
 * | --- | --- |
 * | `--respond <requestId>=<text>` | SPEC §9 text: `approve` (any case) approves, anything else is revision guidance |
 * | `--approve [requestId]` | approve; without an id, every pending request no other flag answers |
 * | `--edit <requestId>=<file>` | replace the draft with the file's text (`-`: stdin) |
 * | `--reject <requestId>=<reason>` | end the run unpublished, for this reason |
 *
 * A request gets at most one answer. Parsing is pure; edit files are read once the requests are known.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { isApprovalReply } from "@/lib/release-notes";
import { CliError } from "./cli-errors";
import type { GivenAnswer } from "./review-session";

export interface AnswerOptions {
  respond: string[];
  /** `--approve` values; "" for the bare flag (every other pending request). */
  approve: string[];
  reject: string[];
  edit: string[];
}

/** One flag's answer to one request; an edit still names its file. */
export type AnswerOption = { flag: string; requestId: string } & (
  { kind: "given"; answer: GivenAnswer } | { kind: "edit"; file: string }
);

export interface ParsedAnswerOptions {
  byRequest: Map<string, AnswerOption>;
  /** The bare `--approve`: approve every pending request that no flag answers. */
  approvesTheRest: boolean;
}

/** @throws CliError BAD_OPTION for a malformed value or a request answered twice */
export function parseAnswerOptions(options: AnswerOptions): ParsedAnswerOptions {
  const byRequest = new Map<string, AnswerOption>();
  const add = (option: AnswerOption) => {
    const earlier = byRequest.get(option.requestId);
    if (earlier) {
      throw new CliError(
        "BAD_OPTION",
        earlier.flag === option.flag
          ? `${option.flag} gives request ${option.requestId} twice`
          : `Request ${option.requestId} is answered twice (${earlier.flag} and ${option.flag}); give one answer per request`,
      );
    }
    byRequest.set(option.requestId, option);
  };
  for (const value of options.respond) {
    const { requestId, rest } = splitPair("--respond", value, "<requestId>=<text>");
    // the text may be empty: the workflow's default guidance
    const text = rest.trim();
    add({
      flag: "--respond",
      requestId,
      kind: "given",
      answer: { decision: isApprovalReply(text) ? "approve" : "revise", response: text, words: text },
    });
  }
  let approvesTheRest = false;
  for (const value of options.approve) {
    const requestId = value.trim();
    if (requestId === "") {
      approvesTheRest = true;
      continue;
    }
    if (byRequest.get(requestId)?.flag === "--approve") continue; // the same approval twice is one approval
    add({ flag: "--approve", requestId, kind: "given", answer: approval() });
  }
  for (const value of options.reject) {
    const { requestId, rest } = splitPair("--reject", value, "<requestId>=<reason>");
    const reason = rest.trim();
    if (reason === "")
      throw new CliError("BAD_OPTION", `--reject needs a reason: ${requestId}=<why the draft is rejected>`);
    add({
      flag: "--reject",
      requestId,
      kind: "given",
      answer: { decision: "reject", response: { decision: "reject", reason }, words: reason },
    });
  }
  let readsStdin = false;
  for (const value of options.edit) {
    const { requestId, rest } = splitPair("--edit", value, "<requestId>=<file> (- for stdin)");
    const file = rest.trim();
    if (file === "")
      throw new CliError("BAD_OPTION", `--edit needs a file: ${requestId}=<file with the edited draft> (- for stdin)`);
    if (file === "-" && readsStdin) throw new CliError("BAD_OPTION", "Only one --edit can read stdin (-)");
    readsStdin ||= file === "-";
    add({ flag: "--edit", requestId, kind: "edit", file });
  }
  return { byRequest, approvesTheRest };
}

export function approval(): GivenAnswer {
  return { decision: "approve", response: "approve", words: "approve" };
}

/**
 * The edit's answer once its file is read (`-`: `readStdin`). Refuses an empty text, and the draft unchanged:
 * the services count an unchanged edit as an approval, which a flag named `--edit` should not do silently.
 * @throws CliError BAD_OPTION
 */
export async function resolveEdit(
  option: Extract<AnswerOption, { kind: "edit" }>,
  draft: { draft: string; draftSha256: string },
  readStdin: () => Promise<string>,
): Promise<GivenAnswer> {
  const text = (option.file === "-" ? await readStdin() : await readFile(option.file)).trim();
  const source = option.file === "-" ? "stdin" : option.file;
  if (text === "") throw new CliError("BAD_OPTION", `--edit ${option.requestId}: ${source} holds no text`);
  if (text === draft.draft.trim()) {
    throw new CliError(
      "BAD_OPTION",
      `--edit ${option.requestId}: ${source} holds the draft unchanged; approve it with --approve ${option.requestId} instead`,
    );
  }
  return { decision: "edit", response: { decision: "edit", text, draftSha256: draft.draftSha256 }, words: text };
}

async function readFile(file: string): Promise<string> {
  try {
    return await fs.readFile(path.resolve(file), "utf8");
  } catch (error) {
    const reason =
      typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
        ? error.code
        : String(error);
    throw new CliError("BAD_OPTION", `--edit: cannot read ${file} (${reason})`);
  }
}

/** `id=rest` → both parts; the rest may contain "=". */
function splitPair(flag: string, value: string, shape: string): { requestId: string; rest: string } {
  const at = value.indexOf("=");
  const requestId = at === -1 ? "" : value.slice(0, at).trim();
  if (!requestId) throw new CliError("BAD_OPTION", `${flag} expects ${shape}, got "${value}"`);
  return { requestId, rest: value.slice(at + 1) };
}
