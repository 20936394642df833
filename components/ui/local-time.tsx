"use client";

import { useEffect, useState } from "react";

const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
const dateTimeWithSecondsFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** "just now", "5 min", "3 h", "2 days". */
export function formatAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return "";
  if (seconds < 45) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * A timestamp in the reader's time zone. The server renders it in its own zone; the browser's text may
 * differ, which is expected, so the hydration warning is suppressed for this one text node.
 */
export function LocalTime({
  iso,
  withSeconds = false,
  className,
}: {
  iso: string;
  withSeconds?: boolean;
  className?: string;
}) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime())
    ? iso
    : (withSeconds ? dateTimeWithSecondsFormat : dateTimeFormat).format(date);
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {text}
    </time>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "waiting 5 min" style ages that keep counting while the page is open; the exact time is in the tooltip. */
export function Age({
  iso,
  prefix,
  suffix,
  className,
}: {
  iso: string;
  prefix?: string;
  suffix?: string;
  className?: string;
}) {
  const now = useNow(30_000);
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className={className} suppressHydrationWarning>
      {[prefix, formatAge(iso, now), suffix].filter(Boolean).join(" ")}
    </time>
  );
}
