"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldHint, inputClasses, Label } from "@/components/ui/field";

type CopyState = "idle" | "copied" | "blocked";

/**
 * A secret or link shown once: a read-only input (always visible, so it can be selected by hand) and a Copy
 * button. When the browser refuses the clipboard (e.g. plain http on another host), the text is selected and
 * the status line says how to copy it. Give it a `key` of the value so a new value starts fresh.
 */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: ReactNode }) {
  const ids = { input: useId(), hint: useId() };
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<CopyState>("idle");

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("The clipboard is not available on this page.");
      await navigator.clipboard.writeText(value);
      setCopyState("copied");
    } catch {
      setCopyState("blocked");
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  }

  return (
    <div className="space-y-1.5">
      <Label htmlFor={ids.input}>{label}</Label>
      {hint ? <FieldHint id={ids.hint}>{hint}</FieldHint> : null}
      <div className="flex gap-2">
        <input
          ref={inputRef}
          id={ids.input}
          type="text"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
          aria-describedby={hint ? ids.hint : undefined}
          className={cn(inputClasses, "min-w-0 flex-1 bg-slate-50 font-mono text-xs")}
        />
        <Button variant="primary" onClick={copy}>
          Copy<span className="sr-only"> {label.toLowerCase()}</span>
        </Button>
      </div>
      <p
        role="status"
        aria-live="polite"
        className={cn("text-sm", copyState === "blocked" ? "font-medium text-amber-800" : "text-slate-700")}
      >
        {copyState === "copied"
          ? "Copied to the clipboard."
          : copyState === "blocked"
            ? "This browser did not allow copying here. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it."
            : ""}
      </p>
    </div>
  );
}
