"use client";

import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/local-time";
import { useClock } from "@/components/ui/use-clock";
import { describeDue } from "./deadline-text";

export interface DueTimeProps {
  dueAt: string;
  /** When the data shown was read (see useClock). */
  readAt: number;
  className?: string;
}

/**
 * "Due in 3 h" / "Overdue by 2 h", kept current while the page is open; the exact time is in the tooltip and the
 * `dateTime`. Overdue reads as such in words and in weight, not only in colour.
 */
export function DueTime({ dueAt, readAt, className }: DueTimeProps) {
  const { text, isOverdue } = describeDue(dueAt, useClock(readAt));
  return (
    <time
      dateTime={dueAt}
      title={`Due ${formatDateTime(dueAt)}`}
      // the tooltip's wording is the reader's time zone, which the server cannot know
      suppressHydrationWarning
      data-overdue={isOverdue ? "" : undefined}
      className={cn("text-sm", isOverdue ? "font-semibold text-rose-700" : "font-medium text-slate-700", className)}
    >
      {text}
    </time>
  );
}
