import { compareDrafts } from "./compare-drafts";

export interface DraftDiffProps {
  previous: string;
  current: string;
  /** How the two drafts are named when they are shown in full ("Draft 1"). */
  previousLabel?: string;
  currentLabel?: string;
}

/**
 * Word-level changes between two drafts (jsdiff's diffWords). Additions are underlined and deletions struck
 * through, besides their colours, and each carries a screen-reader label. When the drafts differ too much to
 * compare in reasonable time, both are shown in full instead, side by side on wide screens.
 */
export function DraftDiff({
  previous,
  current,
  previousLabel = "Previous draft",
  currentLabel = "This draft",
}: DraftDiffProps) {
  const comparison = compareDrafts(previous, current);
  if (comparison.kind === "too-different") {
    return (
      <div className="space-y-3">
        <p role="note" className="text-sm text-slate-700">
          These drafts differ too much to compare word by word; both are shown in full.
        </p>
        <div className="grid gap-4 lg:grid-cols-2" data-testid="draft-diff-fallback">
          <FullDraft label={previousLabel} text={previous} />
          <FullDraft label={currentLabel} text={current} />
        </div>
      </div>
    );
  }
  const { changes, added, removed } = comparison;
  return (
    <div>
      <p className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
        <ins className="bg-emerald-100 text-emerald-950 underline decoration-2 underline-offset-2">
          {added} {added === 1 ? "addition" : "additions"}
        </ins>
        <del className="bg-rose-100 text-rose-950 line-through decoration-2">
          {removed} {removed === 1 ? "removal" : "removals"}
        </del>
      </p>
      <p className="whitespace-pre-wrap break-words leading-relaxed text-slate-900" data-testid="draft-diff">
        {changes.map((change, index) => {
          if (change.added) {
            return (
              <ins
                key={index}
                className="rounded-sm bg-emerald-100 px-px text-emerald-950 underline decoration-emerald-700 decoration-2 underline-offset-2"
              >
                <span className="sr-only">[added: </span>
                {change.value}
                <span className="sr-only">]</span>
              </ins>
            );
          }
          if (change.removed) {
            return (
              <del
                key={index}
                className="rounded-sm bg-rose-100 px-px text-rose-950 line-through decoration-rose-700 decoration-2"
              >
                <span className="sr-only">[removed: </span>
                {change.value}
                <span className="sr-only">]</span>
              </del>
            );
          }
          return <span key={index}>{change.value}</span>;
        })}
      </p>
    </div>
  );
}

/** One draft as plain text, in a box that scrolls (and takes keyboard focus to do so) when it is long. */
function FullDraft({ label, text }: { label: string; text: string }) {
  return (
    <div className="min-w-0 space-y-1.5">
      <h3 className="text-sm font-semibold text-slate-900">{label}</h3>
      <div
        tabIndex={0}
        role="region"
        aria-label={`${label}, full text`}
        className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 focus-visible:outline-2 focus-visible:outline-sky-600"
      >
        <p className="whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-900">{text}</p>
      </div>
    </div>
  );
}
