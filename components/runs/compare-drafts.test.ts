import { describe, expect, it } from "vitest";
import { compareDrafts, DRAFT_DIFF_LIMITS } from "./compare-drafts";

/** `count` pseudo-random words from a fixed seed (a linear congruential generator), so the test is repeatable. */
function randomWords(count: number, seed: number): string {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, () => Math.floor(next() * 1e9).toString(36)).join(" ");
}

describe("compareDrafts", () => {
  it("lists the words added and removed between two drafts", () => {
    const comparison = compareDrafts("The grinder has 40 settings.", "The quiet grinder has 40 grind settings.");
    expect(comparison.kind).toBe("changes");
    if (comparison.kind !== "changes") return;
    expect(comparison.changes.filter((change) => change.added).map((change) => change.value.trim())).toEqual([
      "quiet",
      "grind",
    ]);
    expect(comparison).toMatchObject({ added: 2, removed: 0 });
    expect(comparison.changes.map((change) => (change.removed ? "" : change.value)).join("")).toBe(
      "The quiet grinder has 40 grind settings.",
    );
  });

  it("compares two identical drafts as one unchanged run of text", () => {
    expect(compareDrafts("Same text.", "Same text.")).toMatchObject({ kind: "changes", added: 0, removed: 0 });
  });

  // The limits make jsdiff give up instead of working for minutes and holding memory for every edit path; the
  // test's own timeout is only a guard against that hang (speed targets live in bench/, not here).
  it("gives up on two unrelated 20,000-word drafts, so the page shows both in full", { timeout: 10_000 }, () => {
    expect(compareDrafts(randomWords(20_000, 1), randomWords(20_000, 2))).toEqual({ kind: "too-different" });
  });

  it("gives up once the edits exceed maxEditLength, even with time to spare", () => {
    const previous = randomWords(400, 3);
    const current = randomWords(400, 4);
    expect(compareDrafts(previous, current, { maxEditLength: 50, timeoutMs: 60_000 })).toEqual({
      kind: "too-different",
    });
    expect(compareDrafts(previous, current, { maxEditLength: 10_000, timeoutMs: 60_000 }).kind).toBe("changes");
  });

  it("still diffs a long draft with a few hundred words changed: the edit limit leaves room for a real revision", () => {
    const words = randomWords(2_000, 5).split(" ");
    const revised = words.map((word, index) => (index % 10 === 0 ? `${word}x` : word)).join(" ");
    // the default edit limit, but time to spare: this is about the limit, not about the machine's speed
    const limits = { maxEditLength: DRAFT_DIFF_LIMITS.maxEditLength, timeoutMs: 60_000 };
    expect(compareDrafts(words.join(" "), revised, limits)).toMatchObject({
      kind: "changes",
      added: 200,
      removed: 200,
    });
  });
});
