import { describe, expect, it } from "vitest";
import type { ChatClient, ChatRequest } from "@/lib/workflow";
import { ModelSlots } from "./model-slots";

/** A model whose calls each wait until the test finishes them, in any order. */
class HeldModel implements ChatClient {
  readonly info = { provider: "held", model: "held", label: "Held test writer", isModel: false };
  readonly started: string[] = [];
  private readonly finishers = new Map<string, () => void>();

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    const runId = request.context!.runId;
    this.started.push(runId);
    await new Promise<void>((resolve) => this.finishers.set(runId, resolve));
    yield `draft for ${runId}`;
  }

  finish(runId: string): void {
    this.finishers.get(runId)!();
  }
}

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const delta of stream) text += delta;
  return text;
}

const call = (slots: ModelSlots, runId: string, signal?: AbortSignal) =>
  drain(
    slots.streamChat({ messages: [{ role: "user", text: "hi" }], context: { runId, executorId: "writer" }, signal }),
  );
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ModelSlots", () => {
  it("runs at most `concurrency` calls, queues the rest first come first served, and says who waits", async () => {
    const model = new HeldModel();
    const events: string[] = [];
    const slots = new ModelSlots(model, 2, {
      onQueued: (runId) => events.push(`queued ${runId}`),
      onDequeued: (runId) => events.push(`dequeued ${runId}`),
    });
    const done = ["a", "b", "c", "d"].map((runId) => call(slots, runId));
    await tick();
    expect(model.started).toEqual(["a", "b"]);
    expect(slots.load).toEqual({ waiting: 2, active: 2 });
    expect(events).toEqual(["queued c", "queued d"]);

    model.finish("b");
    await tick();
    expect(model.started).toEqual(["a", "b", "c"]);
    expect(events).toEqual(["queued c", "queued d", "dequeued c"]);
    model.finish("a");
    await tick();
    model.finish("c");
    model.finish("d");
    expect(await Promise.all(done)).toEqual(["draft for a", "draft for b", "draft for c", "draft for d"]);
    expect(slots.load).toEqual({ waiting: 0, active: 0 });
  });

  it("lets a call that is cancelled while waiting leave the line without calling the model, and without skipping anyone", async () => {
    const model = new HeldModel();
    const slots = new ModelSlots(model, 1, { onQueued: () => {}, onDequeued: () => {} });
    const first = call(slots, "a");
    const cancel = new AbortController();
    const cancelled = call(slots, "b", cancel.signal);
    const third = call(slots, "c");
    await tick();
    cancel.abort(new Error("run cancelled"));
    await expect(cancelled).rejects.toThrow("run cancelled");
    expect(slots.load).toEqual({ waiting: 1, active: 1 });
    model.finish("a");
    await first;
    await tick();
    expect(model.started).toEqual(["a", "c"]);
    model.finish("c");
    await third;
    expect(slots.load).toEqual({ waiting: 0, active: 0 });
  });

  it("frees the slot of a call that fails", async () => {
    const failing: ChatClient = {
      info: { provider: "x", model: "x", label: "x", isModel: false },
      async *streamChat() {
        throw new Error("HTTP 500");
      },
    };
    const slots = new ModelSlots(failing, 1, { onQueued: () => {}, onDequeued: () => {} });
    await expect(call(slots, "a")).rejects.toThrow("HTTP 500");
    await expect(call(slots, "b")).rejects.toThrow("HTTP 500");
    expect(slots.load).toEqual({ waiting: 0, active: 0 });
  });
});
