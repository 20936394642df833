import { describe, expect, it } from "vitest";
import type { CheckpointListItem, ReviewRound } from "@/lib/queries";
import { groupCheckpointsByRound, superstepRange } from "./checkpoint-rounds";

function checkpoint(id: string, superstep: number, extra: Partial<CheckpointListItem> = {}): CheckpointListItem {
  return {
    checkpointId: id,
    parentId: null,
    runId: "run",
    superstep,
    createdAt: `2026-01-01T00:00:${String(superstep).padStart(2, "0")}.000Z`,
    kind: "superstep",
    targets: [],
    executorsWithState: [],
    pendingRequests: [],
    status: "awaiting next superstep",
    preview: null,
    details: null,
    isHead: false,
    isOnHeadLineage: true,
    ...extra,
  };
}

function round(requestId: string, checkpointId: string, iteration: number): ReviewRound {
  return {
    iteration,
    requestId,
    draft: "",
    draftSha256: "",
    createdAt: "",
    checkpointId,
    editedFrom: null,
    editedBy: null,
    approvals: [],
    decision: null,
    state: "revised",
  };
}

describe("groupCheckpointsByRound", () => {
  it("ends each round's group at the checkpoint that asks for its review, and keeps what follows the last review apart", () => {
    const checkpoints = [
      checkpoint("c0", 0),
      checkpoint("c1", 1),
      checkpoint("c2", 2),
      checkpoint("c3", 3),
      checkpoint("c4", 4),
      checkpoint("c5", 5, { isHead: true }),
    ];
    const { groups, offLineage } = groupCheckpointsByRound(checkpoints, [round("r1", "c1", 1), round("r2", "c4", 2)]);
    expect(groups.map((group) => [group.key, group.checkpoints.map((item) => item.checkpointId)])).toEqual([
      ["r1", ["c0", "c1"]],
      ["r2", ["c2", "c3", "c4"]],
      ["after", ["c5"]],
    ]);
    expect(offLineage).toEqual([]);
  });

  it("returns checkpoints of older branches apart, oldest first", () => {
    const checkpoints = [
      checkpoint("b2", 4, { isOnHeadLineage: false }),
      checkpoint("c0", 0),
      checkpoint("c1", 1),
      checkpoint("b1", 2, { isOnHeadLineage: false }),
    ];
    const { groups, offLineage } = groupCheckpointsByRound(checkpoints, [round("r1", "c1", 1)]);
    expect(groups.map((group) => group.key)).toEqual(["r1"]);
    expect(offLineage.map((item) => item.checkpointId)).toEqual(["b1", "b2"]);
  });

  it("puts a run without any review yet in one group without a round", () => {
    const { groups } = groupCheckpointsByRound([checkpoint("c0", 0), checkpoint("c1", 1)], []);
    expect(groups).toMatchObject([{ key: "after", round: null }]);
  });
});

describe("superstepRange", () => {
  it("says one superstep or the range", () => {
    expect(superstepRange([{ superstep: 3 }])).toBe("superstep 3");
    expect(superstepRange([{ superstep: 0 }, { superstep: 2 }])).toBe("supersteps 0–2");
  });
});
