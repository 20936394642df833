import { diffWords } from "diff";

/**
 * Word-level changes between two drafts (jsdiff's diffWords). Additions are underlined and deletions struck
 * through, besides their colours, and each carries a screen-reader label.
 */
export function DraftDiff({ previous, current }: { previous: string; current: string }) {
  const changes = diffWords(previous, current);
  const added = changes.filter((change) => change.added).length;
  const removed = changes.filter((change) => change.removed).length;
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
              <ins key={index} className="rounded-sm bg-emerald-100 px-px text-emerald-950 underline decoration-emerald-700 decoration-2 underline-offset-2">
                <span className="sr-only">[added: </span>
                {change.value}
                <span className="sr-only">]</span>
              </ins>
            );
          }
          if (change.removed) {
            return (
              <del key={index} className="rounded-sm bg-rose-100 px-px text-rose-950 line-through decoration-rose-700 decoration-2">
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
