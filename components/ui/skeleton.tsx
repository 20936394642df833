import { cn } from "./cn";

/** A grey placeholder block for loading states; hidden from assistive tech (the page announces loading). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-slate-200", className)} />;
}
