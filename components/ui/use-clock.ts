"use client";

import { useSyncExternalStore } from "react";

/** How often relative times ("Due in 3 h") are worked out again while a page is open. */
const TICK_MS = 30_000;

// One clock for the whole tab: every subscriber re-renders on the same tick, and the interval runs only while
// someone shows a relative time.
let now = typeof window === "undefined" ? 0 : Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  now = Date.now();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    // catch up first: the time kept while nobody subscribed is stale (React re-renders if it changed)
    now = Date.now();
    timer = setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function readNow(): number {
  return now;
}

/**
 * The time (epoch ms) for relative times ("Due in 3 h"). The server render and the browser's hydration both use
 * `readAt`, a time they share (when the data shown was read: a query's `dataUpdatedAt`, dehydrated with the data),
 * so they write the same text and hydration never mismatches; right after hydration, and then every 30 s, the
 * browser's clock takes over.
 */
export function useClock(readAt: number): number {
  return useSyncExternalStore(subscribe, readNow, () => readAt);
}
