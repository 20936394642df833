"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { shortcutOf } from "./shortcut-keys";

const PREFERENCE_KEY = "draftgate:single-key-shortcuts";
const PREFERENCE_EVENT = "draftgate:shortcut-preference";

function readPreference(): boolean {
  try {
    return window.localStorage.getItem(PREFERENCE_KEY) !== "off";
  } catch {
    return true; // storage blocked: the default
  }
}

function subscribePreference(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(PREFERENCE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(PREFERENCE_EVENT, onChange);
  };
}

/**
 * Whether single-key shortcuts are on (the default), kept in this browser. They can be turned off (WCAG 2.1.4):
 * someone who speaks commands to their computer, or whose hand rests on the keyboard, should not approve a draft
 * by accident.
 */
export function useShortcutPreference(): [isOn: boolean, setIsOn: (isOn: boolean) => void] {
  const isOn = useSyncExternalStore(subscribePreference, readPreference, () => true);
  const setIsOn = (next: boolean) => {
    try {
      window.localStorage.setItem(PREFERENCE_KEY, next ? "on" : "off");
    } catch {
      // storage blocked: the choice lasts until the page is left
    }
    window.dispatchEvent(new Event(PREFERENCE_EVENT));
  };
  return [isOn, setIsOn];
}

/** One key and what it does, for the handler and for the list the `?` dialog shows. */
export interface Shortcut {
  key: string;
  run: () => void;
}

/**
 * Runs `shortcuts` on single key presses anywhere on the page, except while someone types in a field, holds a
 * modifier, or has a modal dialog open, and only while single-key shortcuts are on. A key that ran a shortcut
 * is not also typed (its default is prevented).
 */
export function useShortcuts(shortcuts: readonly Shortcut[], isEnabled = true): void {
  const [isOn] = useShortcutPreference();
  // the latest handlers without re-subscribing on every render
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });

  useEffect(() => {
    if (!isEnabled || !isOn) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const key = shortcutOf(
        {
          key: event.key,
          altKey: event.altKey,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          defaultPrevented: event.defaultPrevented,
          target: target
            ? {
                tagName: target.tagName,
                isContentEditable: target.isContentEditable,
                type: (target as HTMLInputElement).type,
                role: target.getAttribute("role"),
              }
            : null,
        },
        latest.current.map((shortcut) => shortcut.key),
      );
      const shortcut = key ? latest.current.find((candidate) => candidate.key === key) : undefined;
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [isEnabled, isOn]);
}
