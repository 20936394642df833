import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { CheckpointListItem } from "@/lib/queries";
import { buildCheckpointTree, checkpointTitle, lineFrom, type CheckpointNode } from "./checkpoint-tree";

/** The workflow cuts previews at this length (SPEC §7); a preview this long was cut. */
const PREVIEW_LENGTH = 80;

const statusTones: Record<CheckpointListItem["status"], BadgeTone> = {
  "awaiting human response": "warning",
  completed: "success",
  failed: "danger",
  "awaiting next superstep": "neutral",
};

interface TimelineProps {
  runId: string;
  checkpoints: CheckpointListItem[];
  selectedId?: string | null;
}

/**
 * Every checkpoint of a run as a tree: each line continues down its first child; a resume from an older
 * checkpoint starts a branch, drawn indented under the checkpoint it started from. The head and the newest
 * lineage (the line from the first checkpoint to the head) are marked.
 */
export function CheckpointTimeline({ runId, checkpoints, selectedId = null }: TimelineProps) {
  const roots = buildCheckpointTree(checkpoints);
  return (
    <div>
      <p className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-1 rounded bg-emerald-600" /> newest lineage
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-1 rounded bg-slate-300" /> older branch
        </span>
      </p>
      {roots.map((root) => (
        <Line
          key={root.checkpoint.checkpointId}
          runId={runId}
          start={root}
          selectedId={selectedId}
          label="Checkpoints"
        />
      ))}
    </div>
  );
}

function Line({
  runId,
  start,
  selectedId,
  label,
}: {
  runId: string;
  start: CheckpointNode;
  selectedId: string | null;
  label: string;
}) {
  return (
    <ol aria-label={label} className="space-y-1">
      {lineFrom(start).map((node) => (
        <li key={node.checkpoint.checkpointId}>
          <CheckpointItem
            runId={runId}
            checkpoint={node.checkpoint}
            isSelected={node.checkpoint.checkpointId === selectedId}
          />
          {node.children.slice(1).map((branch) => (
            <div
              key={branch.checkpoint.checkpointId}
              className="ml-3 mt-1 border-l-2 border-dashed border-slate-300 pl-3 sm:ml-6 sm:pl-4"
            >
              <p className="py-1 text-xs font-medium text-slate-700">
                <span aria-hidden="true">↳ </span>Branch resumed from superstep {node.checkpoint.superstep}
              </p>
              <Line
                runId={runId}
                start={branch}
                selectedId={selectedId}
                label={`Branch from superstep ${node.checkpoint.superstep}`}
              />
            </div>
          ))}
        </li>
      ))}
    </ol>
  );
}

/**
 * Checkpoints left behind on older branches (a resume from an earlier checkpoint started a newer line): each branch
 * drawn from where it left the newest lineage.
 */
export function OlderBranches({
  runId,
  checkpoints,
  all,
}: {
  runId: string;
  checkpoints: CheckpointListItem[];
  all: readonly CheckpointListItem[];
}) {
  const superstepOf = new Map(all.map((checkpoint) => [checkpoint.checkpointId, checkpoint.superstep]));
  return (
    <div className="space-y-3">
      {buildCheckpointTree(checkpoints).map((root) => {
        const from = root.checkpoint.parentId ? superstepOf.get(root.checkpoint.parentId) : undefined;
        return (
          <div key={root.checkpoint.checkpointId} className="border-l-2 border-dashed border-slate-300 pl-3">
            <Line
              runId={runId}
              start={root}
              selectedId={null}
              label={from === undefined ? "Older branch" : `Older branch from superstep ${from}`}
            />
          </div>
        );
      })}
    </div>
  );
}

/** One checkpoint as a line of the timeline: a link to its page, its badges, when, what runs next and its preview. */
export function CheckpointItem({
  runId,
  checkpoint,
  isSelected,
}: {
  runId: string;
  checkpoint: CheckpointListItem;
  isSelected: boolean;
}) {
  return (
    <div
      className={cn(
        "relative rounded-md border-l-4 py-2 pl-3 pr-2 focus-within:ring-2 focus-within:ring-sky-600",
        checkpoint.isOnHeadLineage ? "border-emerald-600" : "border-slate-300",
        isSelected ? "bg-sky-50 ring-1 ring-sky-300" : "bg-white hover:bg-slate-50",
      )}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Link
          href={`/runs/${runId}/checkpoints/${checkpoint.checkpointId}`}
          aria-current={isSelected ? "true" : undefined}
          className="text-sm font-semibold text-slate-900 after:absolute after:inset-0 focus-visible:outline-none"
        >
          {checkpointTitle(checkpoint)}
          <span className="sr-only">{checkpoint.isOnHeadLineage ? "(newest lineage)" : "(older branch)"}</span>
        </Link>
        {checkpoint.isHead ? <Badge tone="info">Head</Badge> : null}
        <Badge tone={statusTones[checkpoint.status]}>{checkpoint.status}</Badge>
      </div>
      <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
        <LocalTime iso={checkpoint.createdAt} withSeconds />
        <span>next: {checkpoint.targets.length > 0 ? checkpoint.targets.join(", ") : "—"}</span>
      </p>
      {checkpoint.preview ? (
        <p className="mt-1 line-clamp-1 break-words text-sm text-slate-700">
          “{checkpoint.preview}
          {checkpoint.preview.length >= PREVIEW_LENGTH ? "…" : ""}”
        </p>
      ) : null}
    </div>
  );
}
