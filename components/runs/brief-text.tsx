import { cn } from "@/components/ui/cn";

/** A brief as plain text (never HTML); `clamp` shortens it to two lines for lists. */
export function BriefText({ brief, clamp = false, className }: { brief: string; clamp?: boolean; className?: string }) {
  return <p className={cn("whitespace-pre-wrap break-words", clamp && "line-clamp-2", className)}>{brief}</p>;
}
