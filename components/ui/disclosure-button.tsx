import type { ReactNode } from "react";
import { cn } from "./cn";

/** A button that opens and closes the panel it controls, with a ▸ that turns when open. */
export function DisclosureButton({
  isOpen,
  onToggle,
  panelId,
  describedBy,
  className,
  children,
}: {
  isOpen: boolean;
  onToggle: () => void;
  panelId: string;
  /** The id of a short summary read after the button's name (state, counts). */
  describedBy?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-expanded={isOpen}
      aria-controls={panelId}
      aria-describedby={describedBy}
      onClick={onToggle}
      className={cn(
        "-mx-1 inline-flex items-center gap-1.5 rounded px-1 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600",
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cn("inline-block text-slate-500 transition-transform", isOpen && "rotate-90")}
      >
        ▸
      </span>
      {children}
    </button>
  );
}
