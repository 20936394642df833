import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A white, bordered box: a `section` (a region once it is labelled), or an `aside` for a side panel. */
export function Card({
  as: Element = "section",
  className,
  ...props
}: ComponentProps<"section"> & { as?: "section" | "aside" }) {
  return <Element className={cn("rounded-lg border border-slate-200 bg-white shadow-xs", className)} {...props} />;
}

export function CardHeader({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cn("flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3", className)}
      {...props}
    />
  );
}

export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("px-4 py-4", className)} {...props} />;
}
