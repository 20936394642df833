import { afterEach, describe, expect, it, vi } from "vitest";
import { createEventStreamResponse, formatSseComment, formatSseEvent, type SendEvent } from "./sse";

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
  function open(heartbeatMs = 15_000) {
    const controller = new AbortController();
    const unsubscribe = vi.fn();
    let send: SendEvent = () => {};
    const response = createEventStreamResponse({
      signal: controller.signal,
      heartbeatMs,
      start: (sendEvent) => {
        send = sendEvent;
        sendEvent("snapshot", { status: "running" });
        return unsubscribe;
      },
    });
    return { controller, unsubscribe, response, send: (event: string, data: unknown) => send(event, data) };
  }

  it("answers text/event-stream that proxies and compression leave alone", () => {
    const { response, controller } = open();
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    controller.abort();
  });

  it("sends the start events first, then what the source sends, numbered", async () => {
    const { response, send, controller } = open();
    const reader = response.body!.getReader();
    expect(await readAvailable(reader, "event: snapshot")).toBe('retry: 3000\n\nevent: snapshot\nid: 1\ndata: {"status":"running"}\n\n');
    send("AgentRunUpdate", { textDelta: "Hi" });
    expect(await readAvailable(reader, "AgentRunUpdate")).toBe('event: AgentRunUpdate\nid: 2\ndata: {"textDelta":"Hi"}\n\n');
    controller.abort();
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
    const { response, controller, unsubscribe, send } = open(1_000);
    const reader = response.body!.getReader();
    await readAvailable(reader, "snapshot");
    controller.abort();
    controller.abort();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    send("late", {}); // ignored after close
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it("unsubscribes when the consumer cancels the stream", async () => {
    const { response, unsubscribe } = open();
    await response.body!.cancel();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it("never subscribes for a request that was aborted before the stream opened", () => {
    const controller = new AbortController();
    controller.abort();
    const start = vi.fn(() => () => {});
    createEventStreamResponse({ signal: controller.signal, start });
    expect(start).not.toHaveBeenCalled();
  });
});
