"use client";

import { useEffect, useState } from "react";
import type { LiveProgress } from "@/components/runs/live-draft";
import { runEventsUrl } from "@/lib/queries";

const ENGINE_EVENTS = [
  "WorkflowStarted",
  "WorkflowStatus",
  "SuperstepStarted",
  "SuperstepCompleted",
  "ExecutorInvoked",
  "ExecutorCompleted",
  "ExecutorFailed",
  "WorkflowOutput",
  "RequestInfo",
  "AgentRunUpdate",
  "CheckpointSaved",
  "WorkflowFailed",
] as const;

/** Events after which the run's stored state (status, drafts, checkpoints) has moved on. */
const SETTLING_EVENTS = new Set(["CheckpointSaved", "RequestInfo", "WorkflowOutput", "WorkflowFailed"]);

interface LiveEvent {
  type?: string;
  status?: string;
  liveText?: string | null;
  liveAttempt?: number | null;
  superstep?: number;
  executorId?: string;
  textDelta?: string;
  attempt?: number;
  state?: string;
}

export interface LiveRun {
  liveText: string;
  progress: LiveProgress;
  isStreaming: boolean;
}

/** An event id as the server writes it, `<execution>.<sequence>` (docs/API.md, "Live events"); anything else is null. */
function parseEventId(id: string): { execution: string; seq: number } | null {
  const dot = id.lastIndexOf(".");
  const seq = Number(id.slice(dot + 1));
  return dot > 0 && Number.isSafeInteger(seq) ? { execution: id.slice(0, dot), seq } : null;
}

/**
 * Follows a running run over server-sent events: the text the writer streams and which superstep and executor
 * are at work. `onStateChange` fires when stored state moved on (a checkpoint, a request, an output, a failure)
 * so the caller can refetch; polling covers everything else, including runs executing in another process.
 *
 * The server ends streams now and then (their maximum lifetime); `EventSource` then reconnects by itself with
 * the last event id and gets the events after it, or a fresh snapshot. A refused connection (429: too many open
 * for this person) is not retried by `EventSource`; the page keeps polling and tries again when the run next runs.
 */
export function useLiveRun(runId: string, isRunning: boolean, onStateChange: () => void): LiveRun {
  const [live, setLive] = useState<LiveRun>({
    liveText: "",
    progress: { superstep: null, executorId: null },
    isStreaming: false,
  });

  useEffect(() => {
    if (!isRunning || typeof EventSource === "undefined") return;
    const source = new EventSource(runEventsUrl(runId));
    let attempt = 1;
    /** The newest event applied, so an event the server sends again (it should not) cannot double the text. */
    let newest: { execution: string; seq: number } | null = null;
    const handle = (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      const type = message.type === "message" ? event.type : message.type;
      const id = parseEventId(message.lastEventId);
      if (type === "snapshot") {
        // A new connection (or call) starts from what the server knows now; earlier progress is stale.
        newest = id;
        attempt = event.liveAttempt ?? 1;
        setLive({
          liveText: event.liveText ?? "",
          progress: { superstep: null, executorId: null },
          isStreaming: event.liveText !== null && event.liveText !== undefined,
        });
        if (event.status && event.status !== "running") onStateChange();
        return;
      }
      if (id && newest && id.execution === newest.execution && id.seq <= newest.seq) return;
      if (id) newest = id;
      if (type === "SuperstepStarted")
        setLive((current) => ({
          ...current,
          liveText: "",
          progress: { superstep: event.superstep ?? null, executorId: null },
        }));
      if (type === "ExecutorInvoked")
        setLive((current) => ({ ...current, progress: { ...current.progress, executorId: event.executorId ?? null } }));
      if (type === "AgentRunUpdate") {
        // a retried model call starts its text over
        const isNewAttempt = (event.attempt ?? 1) !== attempt;
        attempt = event.attempt ?? 1;
        setLive((current) => ({
          ...current,
          isStreaming: true,
          liveText: (isNewAttempt ? "" : current.liveText) + (event.textDelta ?? ""),
        }));
      }
      if (type && SETTLING_EVENTS.has(type)) onStateChange();
    };
    source.addEventListener("snapshot", handle);
    source.addEventListener("message", handle);
    for (const type of ENGINE_EVENTS) source.addEventListener(type, handle);
    // CLOSED means the browser gave up (a 429 or another refusal), unlike a dropped stream it reconnects to itself
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) setLive((current) => ({ ...current, isStreaming: false }));
    });
    return () => {
      source.close();
      setLive((current) => ({ ...current, isStreaming: false }));
    };
  }, [runId, isRunning, onStateChange]);

  return live;
}
