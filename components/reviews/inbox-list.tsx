import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Age } from "@/components/ui/local-time";
import { BriefText } from "@/components/runs/brief-text";
import type { RunListItem } from "@/lib/queries";

/** Runs waiting for a reviewer, oldest first (the caller's order), each with how long it has waited. */
export function InboxList({ reviews }: { reviews: RunListItem[] }) {
  return (
    <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Runs awaiting review">
      {reviews.map((run) => (
        <li key={run.runId} className="relative flex flex-col gap-2 px-4 py-4 focus-within:bg-slate-50 hover:bg-slate-50 sm:flex-row sm:items-start sm:gap-4">
          <div className="min-w-0 flex-1">
            <Link href={`/runs/${run.runId}`} className="font-medium text-slate-900 after:absolute after:inset-0 focus-visible:outline-none">
              <BriefText brief={run.brief} clamp />
            </Link>
            {run.draftPreview ? <p className="mt-1 line-clamp-1 break-words text-sm text-slate-600">{run.draftPreview}</p> : null}
            <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600">
              {run.submittedBy ? <span>from {run.submittedBy}</span> : null}
              <span>
                submitted <Age iso={run.createdAt} suffix="ago" />
              </span>
            </p>
          </div>
          <div className="flex shrink-0 items-center gap-2 sm:flex-col sm:items-end">
            <Badge tone="warning">Draft {run.iteration}</Badge>
            <Age iso={run.pendingSince ?? run.updatedAt} prefix="waiting" className="text-sm font-medium text-amber-900" />
          </div>
        </li>
      ))}
    </ul>
  );
}
