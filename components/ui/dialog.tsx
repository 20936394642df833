"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export interface DialogProps {
  isOpen: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  className?: string;
}

/**
 * A modal dialog on the native `<dialog>` (showModal): the browser keeps focus inside it, makes the page behind it
 * inert and closes it on Escape. Focus goes to its first control on opening and back where it was on closing.
 */
export function Dialog({ isOpen, onClose, title, children, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnFocusTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!isOpen && dialog.open) {
      dialog.close();
    }
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={() => {
        onClose();
        returnFocusTo.current?.focus();
        returnFocusTo.current = null;
      }}
      // a click on the backdrop lands on the dialog element itself
      onClick={(event) => {
        if (event.target === ref.current) ref.current?.close();
      }}
      className={cn(
        "m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40",
        className,
      )}
    >
      <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-4 py-3">
        <h2 id={titleId} className="font-semibold">
          {title}
        </h2>
        <Button variant="ghost" onClick={() => ref.current?.close()} className="min-h-8 px-2">
          Close<span className="sr-only"> {title}</span>
        </Button>
      </div>
      <div className="px-4 py-4">{children}</div>
    </dialog>
  );
}
