import Link from "next/link";
import { Age } from "@/components/ui/local-time";
import type { RunListItem } from "@/lib/queries";
import { BriefText } from "./brief-text";
import { RunStatusBadge } from "./run-status-badge";

/** Runs as a list of links; each row names the brief, status, draft count and last activity. */
export function RunList({ runs }: { runs: RunListItem[] }) {
  return (
    <ul
      aria-label="Runs"
      className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white"
    >
      {runs.map((run) => (
        <li key={run.runId} className="relative px-4 py-3 focus-within:bg-slate-50 hover:bg-slate-50">
          <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
            <Link
              href={`/runs/${run.runId}`}
              className="min-w-0 flex-1 font-medium text-slate-900 after:absolute after:inset-0 focus-visible:outline-none"
            >
              <BriefText brief={run.brief} clamp />
            </Link>
            <RunStatusBadge status={run.status} />
          </div>
          <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600">
            <span>{run.iteration > 0 ? `Draft ${run.iteration}` : "No draft yet"}</span>
            {run.submittedBy ? <span>by {run.submittedBy}</span> : null}
            <Age iso={run.updatedAt} prefix="updated" suffix="ago" />
          </p>
        </li>
      ))}
    </ul>
  );
}
