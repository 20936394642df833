import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Executor, StringMessage, NumberMessage, WorkflowBuilder, defineMessageType, type WorkflowError } from ".";

function buildError(builder: WorkflowBuilder): WorkflowError {
  try {
    builder.build();
  } catch (error) {
    return error as WorkflowError;
  }
  throw new Error("build() did not fail");
}

const noop = () => {};

describe("WorkflowBuilder.build()", () => {
  it("requires a start executor", () => {
    const error = buildError(new WorkflowBuilder({ name: "w" }).addExecutor(new Executor("a").on(StringMessage, noop)));
    expect(error.code).toBe("GRAPH_INVALID");
    expect(error.message).toContain("no start executor is set");
  });

  it("rejects two handlers for the same type on one executor", () => {
    const a = new Executor("a").on(StringMessage, noop).on(StringMessage, noop);
    expect(buildError(new WorkflowBuilder({ name: "w" }).setStartExecutor(a)).message).toContain(
      'executor "a" has two handlers for "string"',
    );
  });

  it("rejects duplicate ids, unknown edge endpoints and unreachable executors, naming each", () => {
    const a = new Executor("a").on(StringMessage, noop);
    const error = buildError(
      new WorkflowBuilder({ name: "w" })
        .setStartExecutor(a)
        .addExecutor(new Executor("a").on(StringMessage, noop))
        .addEdge(a, "ghost")
        .addExecutor(new Executor("island").on(StringMessage, noop)),
    );
    expect(error.message).toContain('two executors share the id "a"');
    expect(error.message).toContain('edge a -> ghost refers to unknown executor "ghost"');
    expect(error.message).toContain('unreachable from "a": island');
  });

  it("checks that an edge's target handles something its source declares it sends", () => {
    const a = new Executor("a", { sends: [NumberMessage] }).on(StringMessage, noop);
    const b = new Executor("b").on(StringMessage, noop);
    expect(buildError(new WorkflowBuilder({ name: "w" }).setStartExecutor(a).addEdge(a, b)).message).toContain(
      '"b" handles none of "number" that "a" sends',
    );
  });

  it("rejects a bad maxIterations and a fan-in target without a list handler", () => {
    const a = new Executor("a").on(StringMessage, noop);
    const b = new Executor("b").on(StringMessage, noop);
    const c = new Executor("c").on(StringMessage, noop);
    const error = buildError(
      new WorkflowBuilder({ name: "w", maxIterations: 0 })
        .setStartExecutor(a)
        .addFanOutEdges(a, [b])
        .addFanInEdge([a, b], c, StringMessage),
    );
    expect(error.message).toContain("maxIterations must be a positive integer");
    expect(error.message).toContain('has no handler for "string[]"');
  });

  it("rejects two different message types with one name", () => {
    const one = defineMessageType("Thing", z.object({ a: z.string() }));
    const two = defineMessageType("Thing", z.object({ b: z.number() }));
    const a = new Executor("a").on(one, noop);
    const b = new Executor("b").on(two, noop);
    expect(buildError(new WorkflowBuilder({ name: "w" }).setStartExecutor(a).addEdge(a, b)).message).toContain(
      'Two different message types are both named "Thing"',
    );
  });

  it("gives the same graph signature regardless of maxIterations, and a different one when the graph changes", () => {
    const make = (maxIterations: number, extraEdge: boolean) => {
      const a = new Executor("a").on(StringMessage, noop);
      const b = new Executor("b").on(StringMessage, noop);
      const builder = new WorkflowBuilder({ name: "w", maxIterations }).setStartExecutor(a).addEdge(a, b);
      if (extraEdge) builder.addEdge(b, a);
      return builder.build().graphSignature;
    };
    expect(make(3, false)).toBe(make(50, false));
    expect(make(3, false)).not.toBe(make(3, true));
  });

  it("signs the graph the same way in every locale: executor ids are ordered by code unit", () => {
    // localeCompare orders "a" before "B" (and differs between locales); code units put "B" (66) first
    const ids = ["a", "B", "_c", "Z9"];
    const executors = ids.map((id) => new Executor(id).on(StringMessage, noop));
    const builder = new WorkflowBuilder({ name: "w" }).setStartExecutor(executors[0]!);
    for (const executor of executors.slice(1)) builder.addEdge(executors[0]!, executor);
    expect(builder.build().graphSignature).toBe("6a93a6b14b2839c7984e818ce6af1d18");
  });
});
