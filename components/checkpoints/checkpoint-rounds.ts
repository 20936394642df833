import type { CheckpointListItem, ReviewRound } from "@/lib/queries";

/** The checkpoints of one review round on the newest lineage: those written up to and including its review checkpoint. */
export interface CheckpointRoundGroup {
  /** Stable across polls: the round's request, or "after" for the checkpoints past the last round. */
  key: string;
  /** The round whose review checkpoint ends the group; null for the checkpoints after the last round (or before any). */
  round: ReviewRound | null;
  /** Oldest first. */
  checkpoints: CheckpointListItem[];
}

export interface CheckpointRounds {
  groups: CheckpointRoundGroup[];
  /** Checkpoints of older branches (left behind by a resume from an earlier checkpoint), oldest first. */
  offLineage: CheckpointListItem[];
}

function byAge(a: CheckpointListItem, b: CheckpointListItem): number {
  return a.createdAt.localeCompare(b.createdAt) || a.superstep - b.superstep;
}

/**
 * Splits a run's newest lineage into one group per review round: each group runs from the checkpoint after the
 * previous round's review to the checkpoint that asks for this round's review (where `round.checkpointId` points).
 * What comes after the last round's review (the decision applied, publishing, the next draft being written) is a
 * last group without a round. Checkpoints off the newest lineage are returned apart.
 */
export function groupCheckpointsByRound(
  checkpoints: readonly CheckpointListItem[],
  rounds: readonly ReviewRound[],
): CheckpointRounds {
  const roundByCheckpoint = new Map(rounds.map((round) => [round.checkpointId, round]));
  const sorted = [...checkpoints].sort(byAge);
  const groups: CheckpointRoundGroup[] = [];
  let current: CheckpointListItem[] = [];
  for (const checkpoint of sorted) {
    if (!checkpoint.isOnHeadLineage) continue;
    current.push(checkpoint);
    const round = roundByCheckpoint.get(checkpoint.checkpointId);
    if (round) {
      groups.push({ key: round.requestId, round, checkpoints: current });
      current = [];
    }
  }
  if (current.length > 0) groups.push({ key: "after", round: null, checkpoints: current });
  return { groups, offLineage: sorted.filter((checkpoint) => !checkpoint.isOnHeadLineage) };
}

/** "superstep 4" or "supersteps 0–3". */
export function superstepRange(checkpoints: readonly Pick<CheckpointListItem, "superstep">[]): string {
  const steps = checkpoints.map((checkpoint) => checkpoint.superstep);
  if (steps.length === 0) return "no supersteps";
  const [low, high] = [Math.min(...steps), Math.max(...steps)];
  return low === high ? `superstep ${low}` : `supersteps ${low}–${high}`;
}
