/**
 * Versions of the release-notes workflow. A run records the version it started on (runs.workflow_version), and
 * every version listed here must still be able to finish its paused runs.
 *
 * A new version may serve the runs of an older one only when it keeps the older graph (same executors, accepted
 * message types and edges: the same graph signature, which checkpoints carry and the engine checks on resume) and
 * accepts every message and answer the older one stored. Otherwise the older definition stays in the code, built
 * for its runs, or a tested migration moves their checkpoints forward. `versions.test.ts` pins each signature, so
 * a change to the graph fails until this list says how older runs finish.
 */
export interface ReleaseNotesVersion {
  version: number;
  graphSignature: string;
  /** The newest version that finishes this version's runs (itself, or a compatible successor). */
  servedBy: number;
  changes: string;
}

export const RELEASE_NOTES_VERSIONS: readonly ReleaseNotesVersion[] = [
  {
    version: 1,
    graphSignature: "269e54c04a3a4aa73533f449b3e0f9e7",
    servedBy: 2,
    changes: "SPEC §9: answers are 'approve' or revision guidance (text).",
  },
  {
    version: 2,
    graphSignature: "269e54c04a3a4aa73533f449b3e0f9e7",
    servedBy: 2,
    changes:
      "Review decisions: structured approve, revise, edit (published, or asked about again) and reject; text answers still work.",
  },
];

/** The version new runs start on. */
export const RELEASE_NOTES_VERSION = 2;
