"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { useShortcutPreference, useShortcuts } from "./use-shortcuts";

export interface ShortcutDescription {
  /** As pressed: "a", "?", "Enter". */
  keys: readonly string[];
  description: string;
}

/** Keys the `?` dialog lists on every page that has shortcuts. */
const COMMON: readonly ShortcutDescription[] = [{ keys: ["?"], description: "Show this list of keys" }];

/**
 * A "Keyboard shortcuts" button and the dialog it opens (also with `?`): the page's keys, and a switch to turn
 * single-key shortcuts off in this browser. The keys themselves are handled where their actions live.
 */
export function KeyboardShortcuts({
  shortcuts,
  className,
}: {
  shortcuts: readonly ShortcutDescription[];
  className?: string;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [isOn, setIsOn] = useShortcutPreference();
  const switchId = useId();
  useShortcuts([{ key: "?", run: () => setIsOpen(true) }]);
  return (
    <>
      <Button
        variant="ghost"
        onClick={() => setIsOpen(true)}
        aria-keyshortcuts={isOn ? "?" : undefined}
        className={cn("min-h-8 px-2 text-xs text-slate-600", className)}
      >
        <kbd
          aria-hidden="true"
          className="rounded border border-slate-300 bg-white px-1 font-mono text-[0.7rem] text-slate-700"
        >
          ?
        </kbd>
        Keyboard shortcuts
      </Button>
      <Dialog isOpen={isOpen} onClose={() => setIsOpen(false)} title="Keyboard shortcuts">
        <p className="mb-3 text-sm text-slate-700">
          Single keys work anywhere on this page except while you type in a field.
        </p>
        <table className="w-full text-sm">
          <caption className="sr-only">Keys on this page</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Key</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {[...shortcuts, ...COMMON].map((shortcut) => (
              <tr key={shortcut.keys.join(" ")}>
                <td className="w-24 py-1.5 pr-3 align-top">
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 ? <span className="text-slate-500"> or </span> : null}
                      <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                        {key}
                      </kbd>
                    </span>
                  ))}
                </td>
                <td className="py-1.5 text-slate-800">{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-4 flex gap-3 border-t border-slate-200 pt-3">
          <input
            id={switchId}
            type="checkbox"
            checked={isOn}
            onChange={(event) => setIsOn(event.target.checked)}
            aria-describedby={`${switchId}-hint`}
            className="mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
          />
          <div className="text-sm">
            <label htmlFor={switchId} className="font-medium text-slate-900">
              Use single-key shortcuts
            </label>
            <p id={`${switchId}-hint`} className="text-slate-600">
              Kept in this browser. Turn them off if you use speech input or they get in your way; this button still
              opens the list.
            </p>
          </div>
        </div>
      </Dialog>
    </>
  );
}
