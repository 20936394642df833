/** How the CLI shows runs, checkpoints and review requests: the notebook's layout, plain text. */
import { stripVTControlCharacters } from "node:util";
import type {
  Approval,
  CheckpointListItem,
  ReviewDeadline,
  ReviewRequest,
  RunListItem,
  WriterInfo,
} from "@/lib/services";
import { formatDueIn } from "./durations";

export const ANSWER_QUESTION = "Type 'approve', 'edit', 'reject <reason>' or revision guidance (or 'exit' to quit): ";
export const COMPLETED_CHECKPOINT_REFUSAL =
  "Selected checkpoint already reflects a completed workflow; nothing to resume.";

export function formatWriterBanner(writer: WriterInfo): string {
  if (writer.isModel) return `Writer: ${writer.label}`;
  return `Writer: ${writer.label} (offline: no model is configured, drafts are deterministic; set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_* to use one)`;
}

/** The notebook's `prompt_for_responses` block, with the draft's approvals so far and who edited it, if anyone. */
export function formatReviewRequest(
  request: Pick<ReviewRequest, "requestId" | "iteration" | "prompt" | "draft"> &
    Partial<Pick<ReviewRequest, "approvals" | "editedFrom" | "editedBy">>,
  requiredApprovals = 1,
): string {
  const approvals = request.approvals ?? [];
  const isEdited = Boolean(request.editedFrom ?? request.editedBy);
  return [
    "",
    "=== Human approval needed ===",
    `request_id: ${request.requestId}`,
    ...(request.iteration ? [`Iteration: ${request.iteration}`] : []),
    // the count matters once more than one approval is needed, or once someone approved
    ...(approvals.length > 0 || requiredApprovals > 1 ? [formatApprovals(approvals, requiredApprovals)] : []),
    request.prompt,
    `${isEdited ? `Draft ${request.iteration}${request.editedBy ? ` (edited by ${request.editedBy})` : " (edited)"}` : "Draft"}:\n---\n${request.draft}\n---`,
  ].join("\n");
}

/** "1 of 2 approvals (Rita)". */
export function formatApprovals(approvals: ReadonlyArray<Pick<Approval, "by">>, requiredApprovals: number): string {
  const names = approvals.length > 0 ? ` (${approvals.map((approval) => approval.by).join(", ")})` : "";
  return `${approvals.length} of ${requiredApprovals} ${requiredApprovals === 1 ? "approval" : "approvals"}${names}`;
}

/** One checkpoint, like the notebook's `render_checkpoint_summary` line, plus its place in the run's tree. */
export function formatCheckpointLine(item: CheckpointListItem): string {
  const parts = [
    `- ${item.checkpointId}`,
    `superstep=${item.superstep}`,
    `kind=${item.kind}`,
    `targets=[${item.targets.join(", ")}]`,
    `states=[${item.executorsWithState.join(", ")}]`,
    `status=${item.status}`,
  ];
  if (item.preview) parts.push(`draft_preview=${oneLinePreview(item.preview, 80)}`);
  const pending = item.pendingRequests[0];
  if (pending) parts.push(`pending_request_id=${pending.requestId}`);
  if (item.isHead) parts.push("head");
  else if (!item.isOnHeadLineage) parts.push("branch");
  return parts.join(" | ");
}

/** One run of `list` and `list --inbox`; `now` (epoch ms) is what the due state of a run awaiting review counts from. */
export function formatRunLine(run: RunListItem, now = Date.now()): string {
  return [
    `- ${run.runId}`,
    `status=${run.status}`,
    `iteration=${run.iteration}`,
    // as at the prompt: the count matters once more than one approval is needed, or once someone approved
    ...(run.approvals && (run.approvals.required > 1 || run.approvals.count > 0)
      ? [`approvals=${run.approvals.count}/${run.approvals.required}`]
      : []),
    ...(run.assignees.length > 0 ? [`assigned=${run.assignees.map((assignee) => assignee.name).join(", ")}`] : []),
    ...(run.deadline ? [`due=${formatDue(run.deadline, now)}`] : []),
    `created=${run.createdAt}`,
    `brief=${oneLinePreview(run.brief, 60)}`,
  ].join(" | ");
}

/** "in 3h", "overdue 2h", "overdue 2h (escalated)": escalation happens at the deadline, so it rides on "overdue". */
export function formatDue(deadline: Pick<ReviewDeadline, "dueAt" | "escalatedAt">, now: number): string {
  return `${formatDueIn(deadline.dueAt, now)}${deadline.escalatedAt ? " (escalated)" : ""}`;
}

export function oneLinePreview(text: string, length: number): string {
  // Made safe before it is cut, so an escape sequence neither takes up the preview nor is cut in half.
  const flat = terminalSafe(text).replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** The command that continues from a checkpoint, as a user would type it. */
export function resumeCommandLine(checkpointId: string, databaseOption: string | undefined): string {
  const db = databaseOption ? ` --db ${shellQuote(databaseOption)}` : "";
  return `npm run cli -- resume ${checkpointId}${db}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Multi-line messages (the environment's list of bad variables) become one line. */
export function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim().replace(/^- /, ""))
    .filter(Boolean)
    .reduce((joined, line) => (joined === "" ? line : `${joined}${joined.endsWith(":") ? " " : "; "}${line}`), "");
}

// C0 controls but tab and newline, DEL and the C1 controls (U+009B is a one-character CSI), and the bidirectional
// marks, embeddings, overrides and isolates that make text display in an order other than the one it is stored in.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `text` as inert terminal text: without escape sequences (colours, screen clearing, OSC 8 links and window
 * titles), other control characters, or bidirectional controls. Briefs, drafts, guidance, names and error
 * messages come from people and models, and a terminal would obey what they contain.
 *
 * Whole sequences go first (`stripVTControlCharacters`, CSI and OSC); any control character left over, from a
 * sequence it does not know or one cut across two streamed chunks, is removed on its own, so no sequence can
 * be completed later.
 */
export function terminalSafe(text: string): string {
  return stripVTControlCharacters(text).replace(TERMINAL_UNSAFE, "");
}

/**
 * JSON for a terminal: the same document, with the characters that `JSON.stringify` leaves raw but
 * `terminalSafe` removes (DEL, C1 and bidirectional controls) written as `\uXXXX` escapes. It parses to the
 * same values: a script keeps the exact text, a person's terminal shows it inert.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    TERMINAL_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
