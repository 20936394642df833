import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createEventStreamResponse,
  drainEventStreams,
  formatSseComment,
  formatSseEvent,
  lastEventIdOf,
  type SendEvent,
  type StreamEndReason,
} from "./sse";

afterEach(() => vi.useRealTimers());

describe("formatSseEvent", () => {
  it("writes a named event with an id and one JSON data line", () => {
    expect(formatSseEvent({ event: "snapshot", id: 1, data: { status: "running", liveText: "a\nb" } })).toBe(
      'event: snapshot\nid: 1\ndata: {"status":"running","liveText":"a\\nb"}\n\n',
    );
  });

  it("keeps a hostile event name on one line", () => {
    expect(formatSseEvent({ event: "x\n\ndata: injected", data: 1 })).toBe("event: x data: injected\ndata: 1\n\n");
  });

  it("writes comments that clients ignore", () => {
    expect(formatSseComment("heartbeat")).toBe(": heartbeat\n\n");
  });
});

async function readAvailable(reader: ReadableStreamDefaultReader<Uint8Array>, until: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(until)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe("createEventStreamResponse", () => {
  function open(heartbeatMs = 15_000, limits: { maxLifetimeMs?: number; maxBufferedBytes?: number } = {}) {
    const controller = new AbortController();
    const unsubscribe = vi.fn();
    const onClose = vi.fn<(reason: StreamEndReason) => void>();
    let send: SendEvent = () => {};
    let end: (reason: StreamEndReason) => void = () => {};
    const response = createEventStreamResponse({
      signal: controller.signal,
      heartbeatMs,
      ...limits,
      onClose,
      start: (sendEvent, endStream) => {
        send = sendEvent;
        end = endStream;
        sendEvent("snapshot", { status: "running" }, "exec.4");
        return unsubscribe;
      },
    });
    return {
      controller,
      unsubscribe,
      onClose,
      response,
      send: (event: string, data: unknown, id?: string) => send(event, data, id),
      end: (reason: StreamEndReason) => end(reason),
    };
  }

  it("answers text/event-stream that proxies and compression leave alone", () => {
    const { response, controller } = open();
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    controller.abort();
  });

  it("sends the start events first, then what the source sends, with the ids the source gives", async () => {
    const { response, send, controller } = open();
    const reader = response.body!.getReader();
    expect(await readAvailable(reader, "event: snapshot")).toBe(
      'retry: 3000\n\nevent: snapshot\nid: exec.4\ndata: {"status":"running"}\n\n',
    );
    send("AgentRunUpdate", { textDelta: "Hi" }, "exec.5");
    expect(await readAvailable(reader, "AgentRunUpdate")).toBe(
      'event: AgentRunUpdate\nid: exec.5\ndata: {"textDelta":"Hi"}\n\n',
    );
    send("note", { without: "id" });
    expect(await readAvailable(reader, "note")).toBe('event: note\ndata: {"without":"id"}\n\n');
    controller.abort();
  });

  it("ends every open stream when the process drains them (a shutdown), once, and only those open", async () => {
    const first = open();
    const second = open();
    const readers = [first.response.body!.getReader(), second.response.body!.getReader()];
    second.controller.abort(); // already ended: not counted again
    expect(drainEventStreams()).toBe(1);
    expect(first.onClose).toHaveBeenCalledExactlyOnceWith("draining");
    expect(first.unsubscribe).toHaveBeenCalledOnce();
    await readAvailable(readers[0]!, "snapshot");
    expect((await readers[0]!.read()).done).toBe(true);
    expect(drainEventStreams()).toBe(0);
    const later = open();
    expect(later.onClose).not.toHaveBeenCalled(); // a stream opened after a drain is served
    later.controller.abort();
  });

  it("ends when its source says it went stale, once, after what was already sent", async () => {
    const stream = open();
    const reader = stream.response.body!.getReader();
    stream.send("AgentRunUpdate", { textDelta: "Hi" }, "exec.5");
    stream.end("stale");
    stream.end("stale");
    expect(await readAvailable(reader, "AgentRunUpdate")).toContain("id: exec.5");
    expect((await reader.read()).done).toBe(true);
    expect(stream.onClose).toHaveBeenCalledExactlyOnceWith("stale");
    expect(stream.unsubscribe).toHaveBeenCalledOnce();
  });

  it("sends a heartbeat comment on the interval", async () => {
    vi.useFakeTimers();
    const { response, controller } = open(1_000);
    const reader = response.body!.getReader();
    await readAvailable(reader, "snapshot");
    vi.advanceTimersByTime(1_000);
    expect(await readAvailable(reader, "heartbeat")).toBe(": heartbeat\n\n");
    controller.abort();
  });

  it("unsubscribes once and ends the stream when the client aborts", async () => {
    vi.useFakeTimers();
    const { response, controller, unsubscribe, onClose, send } = open(1_000);
    const reader = response.body!.getReader();
    await readAvailable(reader, "snapshot");
    controller.abort();
    controller.abort();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(onClose.mock.calls).toEqual([["aborted"]]);
    expect(vi.getTimerCount()).toBe(0);
    send("late", {}); // ignored after close
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it("unsubscribes when the consumer cancels the stream", async () => {
    const { response, unsubscribe, onClose, controller } = open();
    await response.body!.cancel();
    controller.abort();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(onClose.mock.calls).toEqual([["cancelled"]]);
  });

  it("never subscribes for a request that was aborted before the stream opened, and still calls onClose", () => {
    const controller = new AbortController();
    controller.abort();
    const start = vi.fn(() => () => {});
    const onClose = vi.fn();
    createEventStreamResponse({ signal: controller.signal, start, onClose });
    expect(start).not.toHaveBeenCalled();
    expect(onClose.mock.calls).toEqual([["aborted"]]);
  });

  it("calls onClose once and stops its timers when start throws, and rethrows", () => {
    vi.useFakeTimers();
    const onClose = vi.fn();
    const failure = new Error("no such run");
    expect(() =>
      createEventStreamResponse({
        signal: new AbortController().signal,
        onClose,
        start: () => {
          throw failure;
        },
      }),
    ).toThrow(failure);
    expect(onClose.mock.calls).toEqual([["failed"]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ends the stream at its maximum lifetime, after what was sent, so the client reconnects", async () => {
    vi.useFakeTimers();
    const { response, unsubscribe, onClose, send, controller } = open(60_000, { maxLifetimeMs: 5_000 });
    const reader = response.body!.getReader();
    await readAvailable(reader, "snapshot");
    vi.advanceTimersByTime(4_999);
    expect(unsubscribe).not.toHaveBeenCalled();
    send("AgentRunUpdate", { textDelta: "last" }, "exec.5");
    vi.advanceTimersByTime(1);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(onClose.mock.calls).toEqual([["lifetime"]]);
    expect(vi.getTimerCount()).toBe(0);
    expect(await readAvailable(reader, "the end")).toBe(
      'event: AgentRunUpdate\nid: exec.5\ndata: {"textDelta":"last"}\n\n',
    );
    controller.abort();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  describe("a client that stops reading", () => {
    const event = { textDelta: "x".repeat(43) }; // 100 bytes on the wire with its name and id
    const wireBytes = formatSseEvent({ event: "AgentRunUpdate", id: "exec.5", data: event }).length;

    it("is dropped once more than maxBufferedBytes are queued and unread: unsubscribed, closed, queue discarded", async () => {
      expect(wireBytes).toBe(100);
      const { response, send, unsubscribe, onClose } = open(60_000, { maxBufferedBytes: 1_000 });
      // nothing is read: the catch-up (retry line and snapshot) is allowed on top of the limit, then 1,000 bytes more
      for (let sent = 0; sent < 10; sent++) send("AgentRunUpdate", event, "exec.5");
      expect(unsubscribe).not.toHaveBeenCalled();
      send("AgentRunUpdate", event, "exec.5");
      expect(unsubscribe).toHaveBeenCalledTimes(1);
      expect(onClose.mock.calls).toEqual([["overflow"]]);
      send("AgentRunUpdate", event, "exec.5"); // ignored
      const reader = response.body!.getReader();
      await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
    });

    it("is dropped by heartbeats alone, too", () => {
      vi.useFakeTimers();
      const { unsubscribe, onClose } = open(1_000, { maxBufferedBytes: 1_024 });
      const heartbeat = formatSseComment("heartbeat").length;
      vi.advanceTimersByTime(1_000 * Math.floor(1_024 / heartbeat));
      expect(unsubscribe).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1_000);
      expect(onClose.mock.calls).toEqual([["overflow"]]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("but one that reads is never dropped, however much passes through", async () => {
      const { response, send, unsubscribe, controller } = open(60_000, { maxBufferedBytes: 1_000 });
      const reader = response.body!.getReader();
      await readAvailable(reader, "snapshot");
      for (let round = 0; round < 50; round++) {
        // 900 bytes and a marker, read before the next round: never more than the limit waits unread
        for (let sent = 0; sent < 9; sent++) send("AgentRunUpdate", event, `exec.${round}`);
        send("marker", { round });
        await readAvailable(reader, `{"round":${round}}`);
      }
      expect(unsubscribe).not.toHaveBeenCalled();
      controller.abort();
    });
  });
});

describe("lastEventIdOf", () => {
  it("reads Last-Event-ID, else ?lastEventId=, and ignores empty or oversized ids", () => {
    const url = "http://localhost/api/runs/r/events";
    expect(lastEventIdOf(new Request(url, { headers: { "Last-Event-ID": "exec.7" } }))).toBe("exec.7");
    expect(lastEventIdOf(new Request(`${url}?lastEventId=exec.8`))).toBe("exec.8");
    expect(lastEventIdOf(new Request(`${url}?lastEventId=exec.8`, { headers: { "Last-Event-ID": "exec.9" } }))).toBe(
      "exec.9",
    );
    expect(lastEventIdOf(new Request(url))).toBeUndefined();
    expect(lastEventIdOf(new Request(url, { headers: { "Last-Event-ID": " " } }))).toBeUndefined();
    expect(lastEventIdOf(new Request(`${url}?lastEventId=${"x".repeat(101)}`))).toBeUndefined();
  });
});
