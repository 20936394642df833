/** How the CLI shows runs, checkpoints and review requests: the notebook's layout, plain text. */
import type { CheckpointListItem, ReviewRequest, RunListItem, WriterInfo } from "@/lib/services";

export const ANSWER_QUESTION = "Type 'approve' or enter revision guidance (or 'exit' to quit): ";
export const COMPLETED_CHECKPOINT_REFUSAL = "Selected checkpoint already reflects a completed workflow; nothing to resume.";

export function formatWriterBanner(writer: WriterInfo): string {
  if (writer.isModel) return `Writer: ${writer.label}`;
  return `Writer: ${writer.label} (offline: no model is configured, drafts are deterministic; set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_* to use one)`;
}

/** The notebook's `prompt_for_responses` block. */
export function formatReviewRequest(request: Pick<ReviewRequest, "requestId" | "iteration" | "prompt" | "draft">): string {
  return [
    "",
    "=== Human approval needed ===",
    `request_id: ${request.requestId}`,
    ...(request.iteration ? [`Iteration: ${request.iteration}`] : []),
    request.prompt,
    `Draft:\n---\n${request.draft}\n---`,
  ].join("\n");
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

export function formatRunLine(run: RunListItem): string {
  return [
    `- ${run.runId}`,
    `status=${run.status}`,
    `iteration=${run.iteration}`,
    `created=${run.createdAt}`,
    `brief=${oneLinePreview(run.brief, 60)}`,
  ].join(" | ");
}

export function oneLinePreview(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
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
