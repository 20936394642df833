/**
 * What the services layer hands to pages, route handlers, server actions and the CLI: plain JSON, no
 * database rows, no engine classes.
 */
import type { CheckpointSummary, WorkflowEvent } from "@/lib/workflow";

export const runStatuses = ["running", "awaiting_review", "completed", "failed"] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Who writes the drafts; `isModel` is false for the offline writer, which the UI must name as such. */
export interface WriterInfo {
  provider: string;
  model: string;
  label: string;
  isModel: boolean;
}

export interface RunListItem {
  runId: string;
  brief: string;
  status: RunStatus;
  iteration: number;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set while awaiting review. */
  pendingRequestId: string | null;
  pendingSince: string | null;
  draftPreview: string | null;
}

export interface RunPage {
  runs: RunListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ReviewRequest {
  requestId: string;
  prompt: string;
  draft: string;
  iteration: number;
  createdAt: string;
  /** The checkpoint that holds the request as pending. */
  checkpointId: string;
}

export interface Decision {
  requestId: string;
  response: string;
  isApproval: boolean;
  decidedBy: string | null;
  decidedAt: string;
  /** The `responses` checkpoint that applied the decision, and the one it continued from. */
  checkpointId: string;
  baseCheckpointId: string;
  iteration: number | null;
}

export interface DraftVersion {
  iteration: number;
  text: string;
  checkpointId: string;
}

export interface RunDetail extends RunListItem {
  /** The writer's label when the run started. */
  writer: string;
  /** False for the offline writer: say so wherever the writer is shown. */
  writerIsModel: boolean;
  /** The published text once approved (the run's outputs). */
  outputs: string[];
  publishedText: string | null;
  /** Requests awaiting an answer on the run's newest branch. */
  pendingRequests: ReviewRequest[];
  /** Requests left unanswered on a branch that is no longer the newest; answering them is refused. */
  supersededRequests: ReviewRequest[];
  /** Every recorded decision, oldest first: the audit trail. */
  decisions: Decision[];
  /** Drafts on the newest branch, oldest first (for the diff against the previous draft). */
  drafts: DraftVersion[];
  headCheckpointId: string | null;
  error: { code: string; message: string } | null;
  /** True while this process executes the run (tokens stream over the events endpoint). */
  isExecutingHere: boolean;
}

export interface CheckpointListItem extends CheckpointSummary {
  isHead: boolean;
  /** On the line from the run's first checkpoint to its newest. */
  isOnHeadLineage: boolean;
}

export interface CheckpointDetail {
  summary: CheckpointListItem;
  /** The whole decoded checkpoint: queued messages, shared state, executor states, pending requests... */
  checkpoint: Record<string, unknown>;
}

/** What a subscriber to a run's live events receives. */
export type RunEvent = WorkflowEvent;
