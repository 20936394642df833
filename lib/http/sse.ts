/**
 * Server-Sent Events for route handlers: wire format, and a stream that lives until the client goes away, its
 * maximum lifetime passes, or the client stops reading.
 * See docs/API.md ("Live events") for the events the API sends.
 */

export const SSE_HEARTBEAT_MS = 15_000;

/** How long an `EventSource` waits before reconnecting after the stream drops. */
export const SSE_RETRY_MS = 3_000;

/** One event in the SSE wire format: `event:` (if named), `id:` (if given), one `data:` line per line of JSON. */
export function formatSseEvent(event: { event?: string; id?: string | number; data: unknown }): string {
  let text = "";
  if (event.event) text += `event: ${singleLine(event.event)}\n`;
  if (event.id !== undefined) text += `id: ${singleLine(String(event.id))}\n`;
  // JSON.stringify escapes newlines inside strings, so this is one line; split anyway in case of a
  // pre-serialised value with line breaks (each line of data needs its own `data:` prefix).
  for (const line of JSON.stringify(event.data).split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment line: ignored by clients, keeps proxies and the browser from closing an idle connection. */
export function formatSseComment(comment: string): string {
  return `: ${singleLine(comment)}\n\n`;
}

/** Sends one event; `id` (if given) is what the client sends back as `Last-Event-ID` when it reconnects. */
export type SendEvent = (event: string, data: unknown, id?: string) => void;

/** Why a stream ended: the client left (`aborted`, `cancelled`), it reached its lifetime, it stopped reading, or `start` threw. */
export type StreamEndReason = "aborted" | "cancelled" | "lifetime" | "overflow" | "failed" | "draining" | "stale";

// The open streams of this process, shared by every bundle that opens streams (route handlers) or drains them
// (the shutdown in instrumentation.ts): each entry closes one stream.
const processStreams = globalThis as unknown as { draftgateOpenStreams?: Set<() => void> };
const openStreams = (processStreams.draftgateOpenStreams ??= new Set());

/** Ends every stream open in this process (a shutdown): clients reconnect, with `Last-Event-ID`, elsewhere or later. Returns how many. */
export function drainEventStreams(): number {
  const closers = [...openStreams];
  for (const close of closers) close();
  return closers.length;
}

/** Streams end after this long by default; `EventSource` reconnects by itself (with `Last-Event-ID`). */
export const SSE_MAX_LIFETIME_MS = 10 * 60_000;

/** A stream with more than this many bytes queued and unread is dropped by default. */
export const SSE_MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * A `text/event-stream` response. `start` runs once, synchronously, when the stream opens: it sends what it
 * needs to (e.g. a snapshot), subscribes to its source, and returns the unsubscribe function. The stream ends
 * when the client aborts (`signal`) or cancels it, after `maxLifetimeMs`, when `start`'s `end` is called (its
 * source went stale: the client reconnects and catches up afresh), or when more than `maxBufferedBytes`
 * are queued and unread (a client that stopped reading: the stream is errored, which drops the queue and the
 * connection, instead of buffering forever). However it ends, the unsubscribe function and then `onClose` are
 * called exactly once (also when `start` throws, which rethrows). A comment is sent every `heartbeatMs`.
 *
 * What `start` sends (the catch-up: a snapshot or replayed events) is allowed on top of `maxBufferedBytes`, so
 * a long catch-up to a client that reads it is not taken for one that stopped reading.
 */
export function createEventStreamResponse(options: {
  signal: AbortSignal;
  start: (send: SendEvent, end: (reason: StreamEndReason) => void) => () => void;
  heartbeatMs?: number;
  maxLifetimeMs?: number;
  maxBufferedBytes?: number;
  onClose?: (reason: StreamEndReason) => void;
}): Response {
  const encoder = new TextEncoder();
  const maxBufferedBytes = options.maxBufferedBytes ?? SSE_MAX_BUFFERED_BYTES;
  let cleanup: ((reason: StreamEndReason) => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let isOpen = true;
        let catchUpBytes = 0;
        let isCatchingUp = true;
        let unsubscribe = () => {};
        const heartbeat = setInterval(
          () => write(formatSseComment("heartbeat")),
          options.heartbeatMs ?? SSE_HEARTBEAT_MS,
        );
        const lifetime = setTimeout(() => close("lifetime"), options.maxLifetimeMs ?? SSE_MAX_LIFETIME_MS);
        const onAbort = () => close("aborted");
        const onDrain = () => close("draining");
        const close = (reason: StreamEndReason) => {
          if (!isOpen) return;
          isOpen = false;
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          options.signal.removeEventListener("abort", onAbort);
          openStreams.delete(onDrain);
          try {
            unsubscribe();
          } finally {
            try {
              options.onClose?.(reason);
            } finally {
              end(reason);
            }
          }
        };
        const end = (reason: StreamEndReason) => {
          try {
            // an error drops what is queued at once (and the connection); "AbortError" tells Next's response
            // piping that the end is deliberate, so it does not log it as a failure
            if (reason === "overflow")
              controller.error(
                new DOMException(
                  `More than ${maxBufferedBytes} bytes queued and unread: the client stopped reading`,
                  "AbortError",
                ),
              );
            else controller.close();
          } catch {
            // already closed or errored by the runtime
          }
        };
        function write(text: string) {
          if (!isOpen) return;
          const bytes = encoder.encode(text);
          try {
            controller.enqueue(bytes);
          } catch {
            return close("cancelled"); // the consumer is gone
          }
          if (isCatchingUp) {
            catchUpBytes += bytes.byteLength;
            return;
          }
          // desiredSize is the high-water mark (maxBufferedBytes) minus what is queued and unread
          const queuedBytes = maxBufferedBytes - (controller.desiredSize ?? 0);
          if (queuedBytes > maxBufferedBytes + catchUpBytes) close("overflow");
        }
        cleanup = close;
        write(`retry: ${SSE_RETRY_MS}\n\n`);
        if (options.signal.aborted) return close("aborted");
        options.signal.addEventListener("abort", onAbort, { once: true });
        openStreams.add(onDrain);
        let stop: () => void;
        try {
          stop = options.start(
            (event, data, id) => write(formatSseEvent({ event, id, data })),
            (reason) => queueMicrotask(() => close(reason)),
          );
        } catch (error) {
          close("failed");
          throw error;
        }
        isCatchingUp = false;
        // start may have sent into a stream that closed meanwhile; then stop listening right away
        if (isOpen) unsubscribe = stop;
        else stop();
      },
      cancel() {
        cleanup?.("cancelled");
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: maxBufferedBytes }),
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps Next's gzip from buffering the stream; no-cache keeps proxies from storing it
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

/**
 * The id of the last event a reconnecting client saw: the `Last-Event-ID` header (what `EventSource` sends), else
 * the `lastEventId` query parameter (what polyfills send). Undefined when absent, empty or implausibly long.
 */
export function lastEventIdOf(request: Request): string | undefined {
  const value = (
    request.headers.get("last-event-id") ??
    new URL(request.url).searchParams.get("lastEventId") ??
    ""
  ).trim();
  return value === "" || value.length > MAX_EVENT_ID_LENGTH ? undefined : value;
}

const MAX_EVENT_ID_LENGTH = 100;

function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
