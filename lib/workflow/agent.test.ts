import { describe, expect, it } from "vitest";
import {
  AgentExecutor,
  AgentExecutorRequest,
  AgentExecutorResponse,
  ChatClientError,
  Executor,
  StringMessage,
  WorkflowBuilder,
  type AgentState,
} from ".";
import { InMemoryCheckpointStorage } from "./testing/memory-checkpoint-storage";
import { ScriptedChatClient } from "./testing/scripted-chat-client";

function build(client: ScriptedChatClient, storage = new InMemoryCheckpointStorage()) {
  const ask = new Executor("ask").on(StringMessage, (text, ctx) =>
    ctx.sendMessage(AgentExecutorRequest.of({ messages: [{ role: "user", text }], shouldRespond: true })),
  );
  const agent = new AgentExecutor("agent", {
    client,
    instructions: "Be brief.",
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
  });
  const sink = new Executor("sink").on(AgentExecutorResponse, (response, ctx) => ctx.yieldOutput(response.text));
  return new WorkflowBuilder({ name: "agent" })
    .setStartExecutor(ask)
    .addEdge(ask, agent)
    .addEdge(agent, sink)
    .withCheckpointing(storage)
    .build();
}

describe("AgentExecutor", () => {
  it("streams deltas as AgentRunUpdate events and keeps the conversation in its checkpointed state", async () => {
    const storage = new InMemoryCheckpointStorage();
    const workflow = build(new ScriptedChatClient(() => "Hello there"), storage);
    const result = await workflow.run("Hi");
    const deltas = result.events.flatMap((e) => (e.type === "AgentRunUpdate" ? [e.textDelta] : []));
    expect(deltas).toEqual(["Hello ", "there"]);
    expect(result.outputs).toEqual(["Hello there"]);
    const checkpoint = await workflow.loadCheckpoint(result.lastCheckpointId!);
    expect((checkpoint.executorStates.agent as unknown as AgentState).conversation).toEqual([
      { role: "user", text: "Hi" },
      { role: "assistant", text: "Hello there" },
    ]);
  });

  it("sends the turns its context window picks, and keeps the whole conversation", async () => {
    const client = new ScriptedChatClient((messages) => `reply ${messages.length}`);
    const ask = new Executor("ask").on(StringMessage, (text, ctx) =>
      ctx.sendMessage(AgentExecutorRequest.of({ messages: [{ role: "user", text }], shouldRespond: true })),
    );
    const agent = new AgentExecutor("agent", {
      client,
      contextWindow: (conversation, newTurns) => conversation.slice(conversation.length - newTurns),
    });
    const again = new Executor("again").on(AgentExecutorResponse, (response, ctx) => {
      if (response.conversation.length < 4)
        ctx.sendMessage(AgentExecutorRequest.of({ messages: [{ role: "user", text: "More" }], shouldRespond: true }));
      else ctx.yieldOutput(response.text);
    });
    const workflow = new WorkflowBuilder({ name: "window" })
      .setStartExecutor(ask)
      .addEdge(ask, agent)
      .addEdge(agent, again)
      .addEdge(again, agent)
      .build();
    const result = await workflow.run("Hi");
    expect(client.requests.map((request) => request.messages)).toEqual([
      [{ role: "user", text: "Hi" }],
      [{ role: "user", text: "More" }],
    ]);
    expect(result.outputs).toEqual(["reply 1"]);
    expect(client.requests[0]?.context).toEqual({ runId: result.runId, executorId: "agent" });
  });

  it("retries transient model errors, then succeeds", async () => {
    const client = new ScriptedChatClient((_m, call) =>
      call < 3
        ? new ChatClientError("Rate limited", { transient: true, status: 429, retryAfterMs: 1 })
        : "Third time lucky",
    );
    const result = await build(client).run("Hi");
    expect(result.outputs).toEqual(["Third time lucky"]);
    expect(client.requests).toHaveLength(3);
  });

  it("fails with MODEL_ERROR and the provider's message once retries are exhausted, leaving the last checkpoint resumable", async () => {
    const storage = new InMemoryCheckpointStorage();
    let healthy = false;
    const client = new ScriptedChatClient(() =>
      healthy ? "Recovered" : new ChatClientError("The server had an error (500)", { transient: true, status: 500 }),
    );
    const result = await build(client, storage).run("Hi");
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({ code: "MODEL_ERROR", executorId: "agent" });
    expect(result.error?.message).toBe("Model call of agent failed after 3 attempts: The server had an error (500)");
    expect(client.requests).toHaveLength(3);
    healthy = true;
    const retried = await build(client, storage).resume(result.lastCheckpointId!);
    expect(retried.outputs).toEqual(["Recovered"]);
  });

  it("does not retry a permanent model error", async () => {
    const client = new ScriptedChatClient(
      () => new ChatClientError("Invalid API key", { transient: false, status: 401 }),
    );
    const result = await build(client).run("Hi");
    expect(result.error?.message).toBe("Model call of agent failed: Invalid API key");
    expect(client.requests).toHaveLength(1);
  });
});
