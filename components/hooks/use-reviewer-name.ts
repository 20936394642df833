"use client";

import { useCallback, useSyncExternalStore } from "react";

const STORAGE_KEY = "draftgate.reviewerName";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Other tabs change the name through the storage event; this tab through setReviewerName below.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

function readName(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return ""; // storage disabled (private mode, policies): the name is then simply not remembered
  }
}

/**
 * The reviewer's name, remembered in this browser until sign-in exists. Empty during server rendering and
 * until the browser has read it, so the first client render matches the server's.
 */
export function useReviewerName(): [name: string, setName: (name: string) => void] {
  const name = useSyncExternalStore(subscribe, readName, () => "");
  const setName = useCallback((next: string) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next.slice(0, 100));
    } catch {
      // not remembered; the form still sends what was typed
    }
    for (const listener of listeners) listener();
  }, []);
  return [name, setName];
}
