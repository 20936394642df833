import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Executor, RequestInfoExecutor, StringMessage, WorkflowBuilder, defineMessageType, requestResponseOf } from ".";
import { InMemoryCheckpointStorage } from "./testing/memory-checkpoint-storage";

const Question = defineMessageType("Question", z.object({ text: z.string() }));
const Answer = requestResponseOf(Question, z.string().min(1));

function build(storage = new InMemoryCheckpointStorage()) {
  const asker = new Executor("asker")
    .on(StringMessage, (text, ctx) => {
      ctx.sendMessage(Question.of({ text: `${text}?` }));
      ctx.sendMessage(Question.of({ text: `${text}??` }));
    })
    .on(Answer, (answer, ctx) => ctx.yieldOutput(`${answer.originalRequest.text} ${answer.data}`));
  const ask = new RequestInfoExecutor("ask", [{ request: Question, response: z.string().min(1) }]);
  return new WorkflowBuilder({ name: "qa" })
    .setStartExecutor(asker)
    .addEdge(asker, ask)
    .addEdge(ask, asker)
    .withCheckpointing(storage)
    .build();
}

describe("requests and responses", () => {
  it("pauses with every request pending and delivers answers as RequestResponse with the original request", async () => {
    const workflow = build();
    const first = await workflow.run("why");
    expect(first.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    expect(first.pendingRequests.map((r) => r.data)).toEqual([{ text: "why?" }, { text: "why??" }]);
    const [one, two] = first.pendingRequests;
    const partial = await workflow.sendResponses({ [one!.requestId]: "because" });
    expect(partial.outputs).toEqual(["why? because"]);
    // the final status is derived from what is still pending, not from what was ever emitted
    expect(partial.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    expect(partial.pendingRequests.map((r) => r.requestId)).toEqual([two!.requestId]);
    const done = await workflow.sendResponses({ [two!.requestId]: "indeed" });
    expect(done.status).toBe("IDLE");
  });

  it("validates responses whole: one bad answer applies nothing and leaves every request pending", async () => {
    const storage = new InMemoryCheckpointStorage();
    const workflow = build(storage);
    const first = await workflow.run("why");
    const [one, two] = first.pendingRequests;
    const before = await storage.list();
    await expect(workflow.sendResponses({ [one!.requestId]: "fine", [two!.requestId]: "" })).rejects.toMatchObject({
      code: "RESPONSE_INVALID",
      details: { requestId: two!.requestId },
    });
    await expect(workflow.sendResponses({ [one!.requestId]: "fine", nope: "x" })).rejects.toMatchObject({
      code: "REQUEST_NOT_FOUND",
      message: expect.stringContaining("nope"),
    });
    await expect(workflow.sendResponses({ [one!.requestId]: 42 })).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
    expect(workflow.pendingRequests).toHaveLength(2);
    expect(await storage.list()).toEqual(before);
  });

  it("tells a second answer to the same request who answered first, and when", async () => {
    const workflow = build();
    const first = await workflow.run("why");
    const id = first.pendingRequests[0]!.requestId;
    await workflow.sendResponses({ [id]: "because" }, { respondedBy: "ana" });
    const error = await workflow.sendResponses({ [id]: "no" }, { respondedBy: "ben" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "REQUEST_ALREADY_ANSWERED", details: { answeredBy: "ana", requestId: id } });
    expect((error as Error).message).toMatch(new RegExp(`Request ${id} was already answered by ana at \\d{4}-`));
  });

  it("validates pre-supplied responses on resume like sendResponses", async () => {
    const storage = new InMemoryCheckpointStorage();
    const first = await build(storage).run("why");
    await expect(build(storage).resume(first.lastCheckpointId!, { responses: { missing: "x" } })).rejects.toMatchObject(
      { code: "REQUEST_NOT_FOUND" },
    );
    await expect(
      build(storage).resume(first.lastCheckpointId!, { responses: { [first.pendingRequests[0]!.requestId]: "" } }),
    ).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
  });

  it("re-emits only the unanswered requests when resuming with some answers supplied", async () => {
    const storage = new InMemoryCheckpointStorage();
    const first = await build(storage).run("why");
    const [one, two] = first.pendingRequests;
    const resumed = await build(storage).resume(first.lastCheckpointId!, {
      responses: { [one!.requestId]: "because" },
    });
    const emitted = resumed.events
      .filter((e) => e.type === "RequestInfo")
      .map((e) => e.type === "RequestInfo" && e.requestId);
    expect(emitted).toEqual([two!.requestId]);
    expect(resumed.outputs).toEqual(["why? because"]);
  });

  it("reports REQUEST_NOT_FOUND when an instance holds no run", async () => {
    await expect(build().sendResponses({ x: "y" })).rejects.toMatchObject({ code: "REQUEST_NOT_FOUND" });
  });
});
