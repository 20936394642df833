import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Executor, StringMessage, WorkflowBuilder, defineMessageType, listOf, type WorkflowEvent } from ".";
import { InMemoryCheckpointStorage } from "./testing/memory-checkpoint-storage";

const Tick = defineMessageType("Tick", z.object({ n: z.number() }));

function superstepOf(events: WorkflowEvent[], predicate: (event: WorkflowEvent) => boolean): number | undefined {
  let current: number | undefined;
  for (const event of events) {
    if (event.type === "SuperstepStarted") current = event.superstep;
    if (predicate(event)) return current;
  }
  return undefined;
}

describe("superstep runner", () => {
  it("delivers a message sent in superstep N in superstep N+1, never in N", async () => {
    const a = new Executor("a").on(StringMessage, (text, ctx) => ctx.sendMessage(`${text}!`));
    const b = new Executor("b").on(StringMessage, (text, ctx) => ctx.yieldOutput(text));
    const result = await new WorkflowBuilder({ name: "n1" }).setStartExecutor(a).addEdge(a, b).build().run("hi");
    expect(result.outputs).toEqual(["hi!"]);
    expect(superstepOf(result.events, (e) => e.type === "ExecutorInvoked" && e.executorId === "a")).toBe(1);
    expect(superstepOf(result.events, (e) => e.type === "ExecutorInvoked" && e.executorId === "b")).toBe(2);
  });

  it("runs concurrent executors but commits their messages in a deterministic order", async () => {
    // b finishes last but was delivered first, so its message is queued first
    const fan = new Executor("fan").on(StringMessage, (_text, ctx) => {
      ctx.sendMessage("to-b", { targetId: "b" });
      ctx.sendMessage("to-c", { targetId: "c" });
    });
    const b = new Executor("b").on(StringMessage, async (_text, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ctx.sendMessage("from-b");
    });
    const c = new Executor("c").on(StringMessage, (_text, ctx) => ctx.sendMessage("from-c"));
    const sink = new Executor("sink").on(StringMessage, (text, ctx) => ctx.yieldOutput(text));
    const workflow = new WorkflowBuilder({ name: "order" })
      .setStartExecutor(fan)
      .addFanOutEdges(fan, [b, c])
      .addEdge(b, sink)
      .addEdge(c, sink)
      .build();
    for (let i = 0; i < 3; i++) {
      const result = await workflow.run("go");
      expect(result.outputs).toEqual(["from-b", "from-c"]);
      const completed = result.events
        .filter((e) => e.type === "ExecutorCompleted")
        .map((e) => e.type === "ExecutorCompleted" && e.executorId);
      expect(completed.slice(1, 3)).toEqual(["c", "b"]);
    }
  });

  it("stages state until the superstep ends: a writer sees its own write, others see it next superstep", async () => {
    const seen: Record<string, unknown> = {};
    const start = new Executor("start").on(StringMessage, (_t, ctx) => {
      ctx.sendMessage("go", { targetId: "writer" });
      ctx.sendMessage("go", { targetId: "reader" });
    });
    const writer = new Executor("writer").on(StringMessage, (_t, ctx) => {
      ctx.setSharedState("k", 1);
      ctx.setState({ mine: true });
      seen.writerShared = ctx.getSharedState("k");
      seen.writerOwn = ctx.getState();
      ctx.sendMessage("later", { targetId: "reader" });
    });
    const reader = new Executor("reader").on(StringMessage, async (text, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen[`reader-${text}`] = ctx.getSharedState("k") ?? null;
    });
    await new WorkflowBuilder({ name: "staging" })
      .setStartExecutor(start)
      .addEdge(start, writer)
      .addEdge(start, reader)
      .addEdge(writer, reader)
      .build()
      .run("x");
    expect(seen).toEqual({ writerShared: 1, writerOwn: { mine: true }, "reader-go": null, "reader-later": 1 });
  });

  it("rejects state that is not JSON when it is written, naming the executor and key", async () => {
    const bad = new Executor("bad").on(StringMessage, (_t, ctx) => ctx.setSharedState("when", new Date()));
    const result = await new WorkflowBuilder({ name: "state" }).setStartExecutor(bad).build().run("x");
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({ code: "STATE_INVALID", executorId: "bad" });
    expect(result.error?.message).toMatch(/shared state "when" written by bad.*instance of Date/);
    for (const value of [[1, undefined], Number.NaN, () => 1]) {
      const executor = new Executor("e").on(StringMessage, (_t, ctx) => ctx.setState(value));
      const failed = await new WorkflowBuilder({ name: "s" }).setStartExecutor(executor).build().run("x");
      expect(failed.error?.code).toBe("STATE_INVALID");
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cyclic = new Executor("c").on(StringMessage, (_t, ctx) => ctx.setState(cycle));
    expect((await new WorkflowBuilder({ name: "c" }).setStartExecutor(cyclic).build().run("x")).error?.message).toMatch(
      /cycle/,
    );
  });

  it("converges when nothing is queued; yieldOutput does not end the run", async () => {
    const a = new Executor("a").on(StringMessage, (t, ctx) => {
      ctx.yieldOutput("early");
      ctx.sendMessage(t);
    });
    const b = new Executor("b").on(StringMessage, (_t, ctx) => ctx.yieldOutput("late"));
    const result = await new WorkflowBuilder({ name: "c" }).setStartExecutor(a).addEdge(a, b).build().run("x");
    expect(result.outputs).toEqual(["early", "late"]);
    expect(result.status).toBe("IDLE");
  });

  it("fails with CONVERGENCE_LIMIT when a call exceeds maxIterations, and the last checkpoint stays resumable", async () => {
    const storage = new InMemoryCheckpointStorage();
    const build = (maxIterations: number) => {
      const loop = new Executor("loop").on(Tick, (tick, ctx) => {
        if (tick.n < 5) ctx.sendMessage(Tick.of({ n: tick.n + 1 }));
        else ctx.yieldOutput(tick.n);
      });
      return new WorkflowBuilder({ name: "loop", maxIterations })
        .setStartExecutor(loop)
        .addEdge(loop, loop)
        .withCheckpointing(storage)
        .build();
    };
    const limited = await build(3).run(Tick.of({ n: 0 }));
    expect(limited.status).toBe("FAILED");
    expect(limited.error?.code).toBe("CONVERGENCE_LIMIT");
    // the budget is per call, and the signature ignores maxIterations: the same checkpoint resumes with a new budget
    const resumed = await build(3).resume(limited.lastCheckpointId!);
    expect(resumed.outputs).toEqual([5]);
  });

  it("throws RUN_IN_PROGRESS at once for a second concurrent call on one instance", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Executor("slow").on(StringMessage, async (_t, ctx) => {
      await gate;
      ctx.yieldOutput("done");
    });
    const workflow = new WorkflowBuilder({ name: "busy" }).setStartExecutor(slow).build();
    const first = workflow.run("1");
    expect(() => workflow.runStream("2")).toThrow(expect.objectContaining({ code: "RUN_IN_PROGRESS" }));
    await expect(workflow.run("3")).rejects.toMatchObject({ code: "RUN_IN_PROGRESS" });
    release();
    expect((await first).outputs).toEqual(["done"]);
    expect((await workflow.run("4")).outputs).toEqual(["done"]);
  });

  it("cancels between supersteps when the signal aborts", async () => {
    const controller = new AbortController();
    const a = new Executor("a").on(StringMessage, (t, ctx) => {
      controller.abort();
      ctx.sendMessage(t);
    });
    const b = new Executor("b").on(StringMessage, (_t, ctx) => ctx.yieldOutput("should not run"));
    const result = await new WorkflowBuilder({ name: "cancel" })
      .setStartExecutor(a)
      .addEdge(a, b)
      .build()
      .run("x", { signal: controller.signal });
    expect(result.status).toBe("CANCELLED");
    expect(result.outputs).toEqual([]);
  });

  it("saves no checkpoint for a superstep that ended after its call was cancelled", async () => {
    const storage = new InMemoryCheckpointStorage();
    const controller = new AbortController();
    const a = new Executor("a").on(StringMessage, (t, ctx) => ctx.sendMessage(t));
    // cancels while its handler runs (a lost lease does this), then finishes normally
    const b = new Executor("b").on(StringMessage, (_t, ctx) => {
      controller.abort();
      ctx.setState("written after the cancel");
      ctx.sendMessage("more", { targetId: "a" });
    });
    const result = await new WorkflowBuilder({ name: "late" })
      .setStartExecutor(a)
      .addEdge(a, b)
      .addEdge(b, a)
      .withCheckpointing(storage)
      .build()
      .run("x", { signal: controller.signal });
    expect(result.status).toBe("CANCELLED");
    expect(result.events.some((event) => event.type === "WorkflowFailed")).toBe(false);
    expect((await storage.list({ runId: result.runId })).map((header) => header.superstep)).toEqual([1, 0]);
  });

  it("takes outputs and requests from committed supersteps only, whatever the scheduling", async () => {
    const fan = new Executor("fan").on(StringMessage, (t, ctx) => {
      ctx.sendMessage(t, { targetId: "quick" });
      ctx.sendMessage(t, { targetId: "broken" });
    });
    const quick = new Executor("quick").on(StringMessage, (_t, ctx) => ctx.yieldOutput("from a superstep that failed"));
    const broken = new Executor("broken").on(StringMessage, async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error("broken");
    });
    const result = await new WorkflowBuilder({ name: "uncommitted" })
      .setStartExecutor(fan)
      .addFanOutEdges(fan, [quick, broken])
      .build()
      .run("x");
    expect(result.status).toBe("FAILED");
    expect(result.outputs).toEqual([]);
    expect(result.events.some((event) => event.type === "WorkflowOutput")).toBe(false);
  });

  it("reports a handler failure as ExecutorFailed, WorkflowFailed, FAILED, and writes no checkpoint for that superstep", async () => {
    const storage = new InMemoryCheckpointStorage();
    let attempts = 0;
    const a = new Executor("a").on(StringMessage, (t, ctx) => ctx.sendMessage(t));
    const flaky = new Executor("flaky").on(StringMessage, (t, ctx) => {
      attempts++;
      if (attempts === 1) throw new Error("disk on fire");
      ctx.yieldOutput(`ok ${t}`);
    });
    const build = () =>
      new WorkflowBuilder({ name: "flaky" }).setStartExecutor(a).addEdge(a, flaky).withCheckpointing(storage).build();
    const failed = await build().run("x");
    const types = failed.events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(["ExecutorFailed", "WorkflowFailed", "WorkflowStatus"]);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toEqual({ code: "EXECUTOR_FAILED", message: "disk on fire", executorId: "flaky" });
    const headers = await storage.list({ runId: failed.runId });
    expect(headers.map((h) => h.superstep)).toEqual([1, 0]);
    const retried = await build().resume(headers[0]!.checkpointId);
    expect(retried.outputs).toEqual(["ok x"]);
  });

  it("errors when a message cannot be delivered, instead of dropping it", async () => {
    const lonely = new Executor("lonely").on(StringMessage, (_t, ctx) => ctx.sendMessage(42));
    const other = new Executor("other").on(StringMessage, () => {});
    const result = await new WorkflowBuilder({ name: "drop" })
      .setStartExecutor(lonely)
      .addEdge(lonely, other)
      .build()
      .run("x");
    expect(result.error).toMatchObject({ code: "MESSAGE_UNDELIVERABLE", executorId: "lonely" });
    expect(result.error?.message).toContain('No edge from "lonely" delivers a "number" message');
  });

  it("routes along named conditions", async () => {
    const router = new Executor("router").on(Tick, (tick, ctx) => ctx.sendMessage(tick.n % 2 === 0 ? "even" : "odd"));
    const even = new Executor("even").on(StringMessage, (t, ctx) => ctx.yieldOutput(`even:${t}`));
    const odd = new Executor("odd").on(StringMessage, (t, ctx) => ctx.yieldOutput(`odd:${t}`));
    const workflow = new WorkflowBuilder({ name: "cond" })
      .setStartExecutor(router)
      .addEdge(router, even, { condition: { name: "is-even", when: (m) => m.value === "even" } })
      .addEdge(router, odd, { condition: { name: "is-odd", when: (m) => m.value === "odd" } })
      .build();
    expect((await workflow.run(Tick.of({ n: 2 }))).outputs).toEqual(["even:even"]);
    expect((await workflow.run(Tick.of({ n: 3 }))).outputs).toEqual(["odd:odd"]);
  });

  it("fans in: delivers the list once every source has sent, and keeps the buffer in checkpoints", async () => {
    const storage = new InMemoryCheckpointStorage();
    const start = new Executor("start").on(StringMessage, (t, ctx) => ctx.sendMessage(t));
    const fast = new Executor("fast").on(StringMessage, (t, ctx) => ctx.sendMessage(Tick.of({ n: t.length })));
    const hop = new Executor("hop").on(StringMessage, (t, ctx) => ctx.sendMessage(`${t}${t}`));
    const slow = new Executor("slow").on(StringMessage, (t, ctx) => ctx.sendMessage(Tick.of({ n: t.length })));
    const join = new Executor("join").on(listOf(Tick), (ticks, ctx) => ctx.yieldOutput(ticks.map((tick) => tick.n)));
    const result = await new WorkflowBuilder({ name: "fan-in" })
      .setStartExecutor(start)
      .addFanOutEdges(start, [fast, hop])
      .addEdge(hop, slow)
      .addFanInEdge([fast, slow], join, Tick)
      .withCheckpointing(storage)
      .build()
      .run("abc");
    expect(result.outputs).toEqual([[3, 6]]);
    const waiting = (await storage.list({ runId: result.runId })).find((h) => h.superstep === 2)!;
    const body = JSON.parse((await storage.load(waiting.checkpointId))!.body) as {
      fanInBuffers: Record<string, unknown>;
    };
    expect(Object.keys(body.fanInBuffers)).toEqual(["fan-in:fast+slow->join"]);
  });
});
