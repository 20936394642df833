/**
 * Server-Sent Events for route handlers: wire format and a stream that lives until the client goes away.
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

export type SendEvent = (event: string, data: unknown) => void;

/**
 * A `text/event-stream` response. `start` runs once, synchronously, when the stream opens: it sends what it
 * needs to (e.g. a snapshot), subscribes to its source, and returns the unsubscribe function. That function is
 * called exactly once, when the client aborts (`signal`) or cancels the stream. A comment is sent every
 * `heartbeatMs` while the stream is open.
 */
export function createEventStreamResponse(options: {
  signal: AbortSignal;
  start: (send: SendEvent) => () => void;
  heartbeatMs?: number;
}): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let isOpen = true;
      let eventId = 0;
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => write(formatSseComment("heartbeat")), options.heartbeatMs ?? SSE_HEARTBEAT_MS);
      const close = () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        options.signal.removeEventListener("abort", close);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed or errored by the runtime
        }
      };
      function write(text: string) {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close(); // the consumer is gone
        }
      }
      cleanup = close;
      write(`retry: ${SSE_RETRY_MS}\n\n`);
      if (options.signal.aborted) return close();
      options.signal.addEventListener("abort", close, { once: true });
      const stop = options.start((event, data) => write(formatSseEvent({ event, id: ++eventId, data })));
      // start may have sent into a stream that closed meanwhile; then stop listening right away
      if (isOpen) unsubscribe = stop;
      else stop();
    },
    cancel() {
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps Next's gzip from buffering the stream; no-cache keeps proxies from storing it
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
