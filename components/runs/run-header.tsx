import { deadlineTerms } from "@/components/reviews/deadline-text";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Badge } from "@/components/ui/badge";
import { Age } from "@/components/ui/local-time";
import type { RunDetail } from "@/lib/queries";
import { policySummary } from "./review-rounds";
import { RunStatusBadge } from "./run-status-badge";
import { WriterBadge } from "./writer-badge";

/** A short title taken from the brief: its first line, cut at a word near 90 characters. */
export function briefTitle(brief: string): string {
  const firstLine = brief.trim().split(/\n/)[0]?.trim() ?? "";
  if (firstLine.length <= 90) return firstLine || "Untitled brief";
  const cut = firstLine.slice(0, 90);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 50 ? cut.lastIndexOf(" ") : 90)}…`;
}

export function RunHeader({ run, writer }: { run: RunDetail; writer: { label: string; isModel: boolean } }) {
  return (
    <header className="mb-6 space-y-3">
      <Breadcrumbs
        items={[
          { label: "Runs", href: "/runs" },
          { label: run.runId.slice(0, 8), className: "font-mono text-xs" },
        ]}
      />
      <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900">{briefTitle(run.brief)}</h1>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-slate-700">
        <RunStatusBadge status={run.status} />
        {run.iteration > 0 &&
        (run.status === "awaiting_review" || run.status === "running" || run.status === "queued") ? (
          <Badge tone="muted">Draft {run.iteration}</Badge>
        ) : null}
        <span>
          {run.submittedBy ? `${run.submittedBy} submitted` : "Submitted"} <Age iso={run.createdAt} suffix="ago" />
        </span>
        <span>
          <span data-testid="run-policy">{policySummary(run.policy)}</span>,{" "}
          <span data-testid="run-deadline-terms">{deadlineTerms(run.policy)}</span>
        </span>
        <WriterBadge label={writer.label} isModel={writer.isModel} />
      </div>
    </header>
  );
}
