import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RunStatus } from "@/lib/queries";

export const runStatusLabels: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  awaiting_review: "Awaiting review",
  completed: "Completed",
  rejected: "Rejected",
  failed: "Failed",
};

const tones: Record<RunStatus, BadgeTone> = {
  queued: "neutral",
  running: "info",
  awaiting_review: "warning",
  completed: "success",
  rejected: "neutral",
  failed: "danger",
};
// A shape per status, so the badge does not rely on colour alone.
const marks: Record<RunStatus, string> = {
  queued: "⋯",
  running: "◌",
  awaiting_review: "●",
  completed: "✓",
  rejected: "⊘",
  failed: "✕",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge tone={tones[status]}>
      <span aria-hidden="true">{marks[status]}</span>
      {runStatusLabels[status]}
    </Badge>
  );
}
