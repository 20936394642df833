import type { CheckpointListItem } from "@/lib/queries";

export interface CheckpointNode {
  checkpoint: CheckpointListItem;
  /** Oldest first: the first child continues its parent's line, later ones are branches (resumes). */
  children: CheckpointNode[];
}

/** Arranges checkpoints (any order) into trees by parentId; a checkpoint whose parent is missing is a root. */
export function buildCheckpointTree(checkpoints: readonly CheckpointListItem[]): CheckpointNode[] {
  const sorted = [...checkpoints].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.superstep - b.superstep);
  const nodes = new Map(
    sorted.map((checkpoint) => [checkpoint.checkpointId, { checkpoint, children: [] as CheckpointNode[] }]),
  );
  const roots: CheckpointNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.checkpoint.parentId ? nodes.get(node.checkpoint.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A line of checkpoints: a node, its first child, that child's first child... */
export function lineFrom(node: CheckpointNode): CheckpointNode[] {
  const line: CheckpointNode[] = [];
  for (let current: CheckpointNode | undefined = node; current; current = current.children[0]) line.push(current);
  return line;
}

export const checkpointKindLabels: Record<CheckpointListItem["kind"], string> = {
  initial: "initial",
  superstep: "after superstep",
  responses: "answers applied",
};

/** "Superstep 4", or "Superstep 4 · answers applied" when the kind says more than the number. */
export function checkpointTitle(checkpoint: Pick<CheckpointListItem, "superstep" | "kind">): string {
  return checkpoint.kind === "superstep"
    ? `Superstep ${checkpoint.superstep}`
    : `Superstep ${checkpoint.superstep} · ${checkpointKindLabels[checkpoint.kind]}`;
}
