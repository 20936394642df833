import Link from "next/link";
import type { Ref } from "react";
import { Badge } from "@/components/ui/badge";
import { Age } from "@/components/ui/local-time";
import { BriefText } from "@/components/runs/brief-text";
import { approvalCount } from "@/components/runs/review-rounds";
import type { RunListItem } from "@/lib/queries";
import { DueTime } from "./due-time";

/** Finds the links `j`/`k` move between. */
export const INBOX_LINK_SELECTOR = "a[data-inbox-link]";

export interface InboxListProps {
  reviews: RunListItem[];
  /** The signed-in person, for "Assigned to you". */
  viewerId: string | null;
  /** When the data shown was read, for "Due in 3 h" (see useClock). */
  readAt: number;
  listRef?: Ref<HTMLUListElement>;
}

/**
 * Runs waiting for a reviewer, due first (the caller's order), each with when it is due (or how long it is
 * overdue, and whom it was escalated to), how long it has waited, whom it is assigned to and, when the policy asks
 * for more than one, how many approvals it has.
 */
export function InboxList({ reviews, viewerId, readAt, listRef }: InboxListProps) {
  return (
    <ul
      ref={listRef}
      className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white"
      aria-label="Runs awaiting review"
    >
      {reviews.map((run) => {
        const isMine = viewerId !== null && run.assignees.some((assignee) => assignee.userId === viewerId);
        const others = run.assignees
          .filter((assignee) => assignee.userId !== viewerId)
          .map((assignee) => assignee.name);
        const deadline = run.deadline;
        return (
          <li
            key={run.runId}
            className="relative flex flex-col gap-2 px-4 py-4 focus-within:bg-slate-50 hover:bg-slate-50 has-[:focus-visible]:bg-sky-50/60 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-inset has-[:focus-visible]:ring-sky-600 sm:flex-row sm:items-start sm:gap-4"
          >
            <div className="min-w-0 flex-1">
              <Link
                href={`/runs/${run.runId}`}
                data-inbox-link=""
                className="font-medium text-slate-900 after:absolute after:inset-0 focus-visible:outline-none"
              >
                <BriefText brief={run.brief} clamp />
              </Link>
              {run.draftPreview ? (
                <p className="mt-1 line-clamp-1 break-words text-sm text-slate-600">{run.draftPreview}</p>
              ) : null}
              <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600">
                {run.submittedBy ? <span>from {run.submittedBy}</span> : null}
                <span>
                  submitted <Age iso={run.createdAt} suffix="ago" />
                </span>
                {others.length > 0 ? (
                  <span>{isMine ? `also assigned to ${others.join(", ")}` : `assigned to ${others.join(", ")}`}</span>
                ) : null}
                {deadline?.remindedAt && !deadline.escalatedAt ? (
                  <span>
                    reminder sent <Age iso={deadline.remindedAt} suffix="ago" />
                  </span>
                ) : null}
              </p>
            </div>
            <div className="flex shrink-0 flex-wrap items-center gap-2 sm:max-w-64 sm:flex-col sm:items-end">
              {deadline ? <DueTime dueAt={deadline.dueAt} readAt={readAt} /> : null}
              {deadline?.escalatedAt ? (
                <Badge tone="danger" className="whitespace-normal">
                  Escalated to {deadline.escalatedTo ?? "the admins"}
                </Badge>
              ) : null}
              {isMine ? (
                <Badge tone="info">
                  <span aria-hidden="true">●</span> Assigned to you
                </Badge>
              ) : null}
              <Badge tone="warning">Draft {run.iteration}</Badge>
              {run.approvals && run.approvals.required > 1 ? (
                <Badge tone={run.approvals.count > 0 ? "success" : "muted"}>
                  {approvalCount(run.approvals.count, run.approvals.required)}
                </Badge>
              ) : null}
              <Age iso={run.pendingSince ?? run.updatedAt} prefix="waiting" className="text-sm text-slate-600" />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
