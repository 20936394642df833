import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createChatClient } from "@/lib/llm";
import { InMemoryCheckpointStorage } from "@/lib/workflow/testing";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import {
  createReleaseNotesWorkflow,
  DEFAULT_GUIDANCE,
  draftPrompt,
  revisionPrompt,
  WRITER_INSTRUCTIONS,
  type HumanApprovalRequest,
} from ".";

const BRIEF = "Introduce our limited edition smart coffee grinder. Mention the $249 price and invite pre-orders.";

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
  fake.setHandler(undefined);
});

function workflowOverOpenAI(storage = new InMemoryCheckpointStorage()) {
  const chatClient = createChatClient({ openaiBaseUrl: fake.baseURL, openaiApiKey: "test-key", timeoutMs: 2_000 });
  return createReleaseNotesWorkflow({ chatClient, storage, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 } });
}

type Sent = { messages: Array<{ role: string; content: string }>; stream: boolean };
const sent = () => fake.requests.map((request) => request.body as Sent);

describe("release-notes workflow through the openai SDK and a local compatible server", () => {
  it("sends SPEC §9's prompts word for word through two revisions, then publishes the approved draft", async () => {
    const workflow = workflowOverOpenAI();
    let result = await workflow.run(BRIEF);
    const drafts: string[] = [];
    for (const guidance of ["Mention free shipping.", ""]) {
      const request = result.pendingRequests[0]!;
      drafts.push((request.data as HumanApprovalRequest).draft);
      result = await workflow.sendResponses({ [request.requestId]: guidance });
    }
    const last = result.pendingRequests[0]!;
    expect((last.data as HumanApprovalRequest).iteration).toBe(3);
    const done = await workflow.sendResponses({ [last.requestId]: "approve" });
    expect(done.outputs).toEqual([(last.data as HumanApprovalRequest).draft]);

    const bodies = sent();
    expect(bodies).toHaveLength(3);
    expect(
      bodies.every(
        (body) =>
          body.stream && body.messages[0]!.role === "system" && body.messages[0]!.content === WRITER_INSTRUCTIONS,
      ),
    ).toBe(true);
    const userPrompts = bodies.map((body) => body.messages.at(-1)!.content);
    expect(userPrompts).toEqual([
      draftPrompt(BRIEF),
      revisionPrompt(drafts[0]!, "Mention free shipping."),
      revisionPrompt(drafts[1]!, DEFAULT_GUIDANCE),
    ]);
  });

  it("retries a 429 and carries on with the draft of the retry", async () => {
    fake.respondWith(
      { kind: "error", status: 429, message: "Rate limit reached", headers: { "retry-after-ms": "5" } },
      { kind: "reply", text: "Second time lucky. Pre-order today!" },
    );
    const result = await workflowOverOpenAI().run(BRIEF);
    expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    expect((result.pendingRequests[0]!.data as HumanApprovalRequest).draft).toBe("Second time lucky. Pre-order today!");
    expect(fake.requests).toHaveLength(2);
  });

  it("fails with MODEL_ERROR and the provider's message when 500s never stop, and resumes from the last checkpoint", async () => {
    const storage = new InMemoryCheckpointStorage();
    fake.setHandler(() => ({
      kind: "error",
      status: 500,
      message: "The server had an error while processing your request",
    }));
    const failed = await workflowOverOpenAI(storage).run(BRIEF);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatchObject({ code: "MODEL_ERROR", executorId: "writer" });
    expect(failed.error?.message).toContain("The server had an error while processing your request");
    expect(fake.requests).toHaveLength(3);

    fake.setHandler(undefined);
    const resumed = await workflowOverOpenAI(storage).resume(failed.lastCheckpointId!);
    expect(resumed.status).toBe("IDLE_WITH_PENDING_REQUESTS");
  });

  it("calls the Azure deployment path with an injected token provider", async () => {
    const chatClient = createChatClient(
      { azureEndpoint: fake.url, azureDeployment: "notes-writer", timeoutMs: 2_000 },
      { azureTokenProvider: async () => "entra-token" },
    );
    const result = await createReleaseNotesWorkflow({ chatClient }).run(BRIEF);
    expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    expect(fake.requests[0]).toMatchObject({
      path: "/openai/deployments/notes-writer/chat/completions",
      headers: { authorization: "Bearer entra-token" },
    });
    expect(fake.requests[0]!.headers["api-key"]).toBeUndefined();
  });

  it("retries when Entra ID fails to issue a token for a moment, then drafts", async () => {
    let attempts = 0;
    const chatClient = createChatClient(
      { azureEndpoint: fake.url, azureDeployment: "notes-writer", timeoutMs: 2_000 },
      {
        azureTokenProvider: async () => {
          attempts += 1;
          if (attempts === 1)
            throw Object.assign(new Error("AADSTS90033: a transient error has occurred"), {
              name: "AuthenticationError",
            });
          return "entra-token";
        },
      },
    );
    const result = await createReleaseNotesWorkflow({
      chatClient,
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
    }).run(BRIEF);
    expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    expect(attempts).toBe(2);
    expect(fake.requests).toHaveLength(1);
  });

  it("fails the run with a message that says the draft was cut off, when the model hits its length limit", async () => {
    fake.setHandler(() => ({ kind: "reply", text: "Meet the grinder that", finishReason: "length" }));
    const result = await workflowOverOpenAI().run(BRIEF);
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({
      code: "MODEL_ERROR",
      message: expect.stringMatching(/cut off at the model's length limit/),
    });
    expect(fake.requests).toHaveLength(1);
  });
});
