import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { RunStatus } from "@/lib/queries";
import { runStatusLabels } from "./run-status-badge";

/** Status filters as links (each one a URL you can share); the current one is marked with aria-current. */
export function RunStatusFilter({ current, statuses }: { current: RunStatus | null; statuses: readonly RunStatus[] }) {
  const options: Array<{ status: RunStatus | null; label: string }> = [{ status: null, label: "All" }, ...statuses.map((status) => ({ status, label: runStatusLabels[status] }))];
  return (
    <nav aria-label="Filter runs by status" className="-mx-4 overflow-x-auto px-4">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {options.map((option) => {
          const isCurrent = option.status === current;
          return (
            <li key={option.label}>
              <Link
                href={option.status ? `/runs?status=${option.status}` : "/runs"}
                aria-current={isCurrent ? "page" : undefined}
                className={cn(
                  "-mb-px inline-block border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                  isCurrent ? "border-emerald-700 font-semibold text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {option.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
