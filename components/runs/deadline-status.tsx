"use client";

import { DueTime } from "@/components/reviews/due-time";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { RunListItem } from "@/lib/queries";

export interface DeadlineStatusProps {
  deadline: NonNullable<RunListItem["deadline"]>;
  /** When the data shown was read (see useClock). */
  readAt: number;
  className?: string;
}

/**
 * When the draft under review is due, "Due in 3 h (Dec 1, 2026, 4:00 PM)" or "Overdue by 2 h (…)", and what its
 * deadline did so far: the reminder sent before it, the escalation at it (to whom).
 */
export function DeadlineStatus({ deadline, readAt, className }: DeadlineStatusProps) {
  return (
    <p
      className={cn("flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700", className)}
      data-testid="run-deadline"
    >
      <span>
        <DueTime dueAt={deadline.dueAt} readAt={readAt} />{" "}
        <span className="text-slate-600">
          (<LocalTime iso={deadline.dueAt} />)
        </span>
      </span>
      {deadline.remindedAt ? (
        <span className="text-slate-600">
          Reminder sent on <LocalTime iso={deadline.remindedAt} />
        </span>
      ) : null}
      {deadline.escalatedAt ? (
        <span className="inline-flex flex-wrap items-center gap-x-1.5">
          <Badge tone="danger" className="whitespace-normal">
            Escalated to {deadline.escalatedTo ?? "the admins"}
          </Badge>
          <span className="text-slate-600">
            on <LocalTime iso={deadline.escalatedAt} />
          </span>
        </span>
      ) : null}
    </p>
  );
}
