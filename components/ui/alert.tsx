import type { ReactNode } from "react";
import { cn } from "./cn";

const tones = {
  info: "border-sky-300 bg-sky-50 text-sky-950",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
  danger: "border-rose-300 bg-rose-50 text-rose-950",
  success: "border-emerald-300 bg-emerald-50 text-emerald-950",
} as const;

/** A boxed message. `role` is the caller's choice: "alert" for something just gone wrong, "status" for news. */
export function Alert({
  tone = "info",
  title,
  children,
  role,
  className,
}: {
  tone?: keyof typeof tones;
  title?: string;
  children?: ReactNode;
  role?: "alert" | "status";
  className?: string;
}) {
  return (
    <div role={role} className={cn("rounded-md border px-4 py-3 text-sm", tones[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}
