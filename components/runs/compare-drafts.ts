import { diffWords, type ChangeObject } from "diff";

/**
 * Bounds on the word diff, so two very different drafts cannot block the page (the diff runs during render, on
 * the server and in the browser). jsdiff gives up and returns `undefined` past either bound.
 * - `maxEditLength`: words added plus words removed. Past about a thousand, a word-by-word view is unreadable
 *   anyway; within it, even long drafts diff in tens of milliseconds.
 * - `timeoutMs`: a ceiling whatever the texts are.
 */
export const DRAFT_DIFF_LIMITS = { maxEditLength: 1_000, timeoutMs: 200 } as const;

export type DraftComparison =
  | { kind: "changes"; changes: ChangeObject<string>[]; added: number; removed: number }
  /** jsdiff gave up (too many changes, or it ran out of time): show both drafts in full instead. */
  | { kind: "too-different" };

/** What changed from `previous` to `current`, word by word (jsdiff's diffWords), within {@link DRAFT_DIFF_LIMITS}. */
export function compareDrafts(
  previous: string,
  current: string,
  limits: { maxEditLength: number; timeoutMs: number } = DRAFT_DIFF_LIMITS,
): DraftComparison {
  const changes = diffWords(previous, current, { maxEditLength: limits.maxEditLength, timeout: limits.timeoutMs });
  if (changes === undefined) return { kind: "too-different" };
  return {
    kind: "changes",
    changes,
    added: changes.filter((change) => change.added).length,
    removed: changes.filter((change) => change.removed).length,
  };
}
