import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { ChatClientError, type ChatClient, type ChatRequest } from "@/lib/workflow";
import { OpenAIChatClient, parseRetryAfter } from "./openai-chat-client";

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.setHandler(undefined);
});

function openaiClient(options: { timeoutMs?: number; idleTimeoutMs?: number } = {}): OpenAIChatClient {
  const client = new OpenAI({
    apiKey: "sk-test",
    baseURL: server.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 5_000,
    logLevel: "off",
  });
  return new OpenAIChatClient({
    client,
    model: "gpt-4o-mini",
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  });
}

const request: ChatRequest = {
  instructions: "Write concise, warm release notes.",
  messages: [{ role: "user", text: "BRIEF: Dark mode ships today." }],
};

async function collect(client: ChatClient, req: ChatRequest = request): Promise<{ text: string; chunks: string[] }> {
  const chunks: string[] = [];
  for await (const chunk of client.streamChat(req)) chunks.push(chunk);
  return { text: chunks.join(""), chunks };
}

async function failure(client: ChatClient, req: ChatRequest = request): Promise<ChatClientError> {
  try {
    await collect(client, req);
  } catch (error) {
    if (error instanceof ChatClientError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("OpenAIChatClient against the fake server", () => {
  it("streams a reply from OpenAI with the system instructions and conversation, authorized by Bearer key", async () => {
    server.respondWith({ kind: "reply", text: "Dark mode is here. Try it today!" });

    const { text, chunks } = await collect(openaiClient(), {
      ...request,
      messages: [...request.messages, { role: "assistant", text: "Draft one." }, { role: "user", text: "Shorter." }],
    });

    expect(text).toBe("Dark mode is here. Try it today!");
    expect(chunks.length).toBeGreaterThan(3);
    const [sent] = server.requests;
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers["authorization"]).toBe("Bearer sk-test");
    expect(sent?.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: true,
      messages: [
        { role: "system", content: "Write concise, warm release notes." },
        { role: "user", content: "BRIEF: Dark mode ships today." },
        { role: "assistant", content: "Draft one." },
        { role: "user", content: "Shorter." },
      ],
    });
  });

  it("names itself after the provider without exposing the key", () => {
    const compatible = openaiClient();
    const openai = new OpenAIChatClient({
      client: new OpenAI({ apiKey: "sk-secret", maxRetries: 0 }),
      model: "gpt-4o",
    });
    const azure = new OpenAIChatClient({
      client: new AzureOpenAI({
        apiKey: "az-secret",
        endpoint: server.url,
        apiVersion: "2024-10-21",
        deployment: "gpt-4o",
      }),
      model: "gpt-4o",
    });

    expect(openai.info).toEqual({ provider: "openai", model: "gpt-4o", label: "OpenAI · gpt-4o", isModel: true });
    expect(azure.info).toEqual({
      provider: "azure-openai",
      model: "gpt-4o",
      label: "Azure OpenAI · gpt-4o (deployment)",
      isModel: true,
    });
    expect(compatible.info).toMatchObject({ provider: "openai-compatible", label: "OpenAI-compatible · gpt-4o-mini" });
    // the server's address is for the log and admins, not for every page that names the writer
    expect(compatible.info.label).not.toContain("127.0.0.1");
    expect(JSON.stringify([openai.info, azure.info, compatible.info])).not.toMatch(/secret|sk-test/);
  });

  it("calls the Azure deployment path with the api-version and an api-key header", async () => {
    const client = new AzureOpenAI({
      apiKey: "az-key",
      endpoint: server.url,
      deployment: "gpt-4o-prod",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const { text } = await collect(new OpenAIChatClient({ client, model: "gpt-4o-prod" }));

    expect(text).toMatch(/^Fake model reply [0-9a-f]{8}: BRIEF: Dark mode ships today\.$/);
    const [sent] = server.requests;
    expect(sent?.path).toBe("/openai/deployments/gpt-4o-prod/chat/completions");
    expect(sent?.query).toEqual({ "api-version": "2024-10-21" });
    expect(sent?.headers["api-key"]).toBe("az-key");
    expect(sent?.headers["authorization"]).toBeUndefined();
  });

  it("sends an Entra ID token from a token provider as Bearer, without an api-key header", async () => {
    const client = new AzureOpenAI({
      azureADTokenProvider: async () => "tok",
      endpoint: server.url,
      deployment: "gpt-4o",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    await collect(new OpenAIChatClient({ client, model: "gpt-4o" }));

    const [sent] = server.requests;
    expect(sent?.headers["authorization"]).toBe("Bearer tok");
    expect(sent?.headers["api-key"]).toBeUndefined();
  });

  it("reports 429 as transient with the wait from retry-after", async () => {
    server.respondWith({
      kind: "error",
      status: 429,
      message: "Rate limit reached for gpt-4o-mini",
      type: "requests",
      headers: { "retry-after": "2" },
    });

    const error = await failure(openaiClient());

    expect(error).toMatchObject({ transient: true, status: 429, retryAfterMs: 2000 });
    expect(error.message).toContain("Rate limit reached for gpt-4o-mini");
  });

  it("prefers retry-after-ms when the provider sends it", async () => {
    server.respondWith({
      kind: "error",
      status: 429,
      message: "Slow down",
      headers: { "retry-after-ms": "150", "retry-after": "9" },
    });

    expect(await failure(openaiClient())).toMatchObject({ transient: true, retryAfterMs: 150 });
  });

  it("reports 500 as transient with the provider's message", async () => {
    server.respondWith({
      kind: "error",
      status: 500,
      message: "The server had an error while processing your request.",
      type: "server_error",
    });

    const error = await failure(openaiClient());

    expect(error).toMatchObject({ transient: true, status: 500, retryAfterMs: undefined });
    expect(error.message).toContain("The server had an error while processing your request.");
  });

  it.each([
    [400, "Invalid 'messages': empty array."],
    [401, "Incorrect API key provided: sk-te****."],
    [403, "You are not allowed to use this model."],
    [404, "The model `gpt-5-nano` does not exist."],
  ])("reports %i as final (not transient) with the provider's message", async (status, message) => {
    server.respondWith({ kind: "error", status, message, type: "invalid_request_error" });

    const error = await failure(openaiClient());

    expect(error).toMatchObject({ transient: false, status });
    expect(error.message).toContain(message);
  });

  it("times out a provider that never answers, as a transient error", async () => {
    server.respondWith({ kind: "hang" });

    const started = Date.now();
    const error = await failure(openaiClient({ timeoutMs: 300 }));

    expect(error.transient).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("gives up on a stream that stalls mid-reply, as a transient error", async () => {
    server.respondWith({ kind: "malformed", fault: "stall", text: "Dark mode is here", afterChunks: 2 });

    const error = await failure(openaiClient({ timeoutMs: 5_000, idleTimeoutMs: 300 }));

    expect(error).toMatchObject({ transient: true });
    expect(error.message).toMatch(/no stream data for 300 ms/);
  });

  it.each(["garbage", "cut", "no-finish"] as const)("reports a malformed stream (%s) as transient", async (fault) => {
    server.respondWith({ kind: "malformed", fault, text: "Dark mode is here", afterChunks: 2 });

    const error = await failure(openaiClient());

    expect(error.transient).toBe(true);
    expect(error.status).toBeUndefined();
  });

  it("reports an error event inside the stream as transient with its message", async () => {
    // An SSE error payload as Azure sends it when a stream fails server-side.
    const sse = new OpenAIChatClient({
      client: new OpenAI({
        apiKey: "k",
        baseURL: server.baseURL,
        maxRetries: 0,
        fetch: async () =>
          new Response('data: {"error":{"message":"The model is overloaded","type":"server_error"}}\n\n', {
            headers: { "content-type": "text/event-stream" },
          }),
      }),
      model: "m",
    });

    const error = await failure(sse);

    expect(error).toMatchObject({ transient: true });
    expect(error.message).toContain("The model is overloaded");
  });

  it("refuses a reply cut off at the length limit as final, instead of passing it on as a whole draft", async () => {
    server.respondWith({ kind: "reply", text: "Meet the grinder that", finishReason: "length" });

    const error = await failure(openaiClient());

    expect(error).toMatchObject({ transient: false });
    expect(error.message).toMatch(/cut off at the model's length limit/);
  });

  it("refuses a reply stopped by the content filter, as final", async () => {
    server.respondWith({ kind: "reply", text: "Partial", finishReason: "content_filter" });

    const error = await failure(openaiClient());

    expect(error).toMatchObject({ transient: false });
    expect(error.message).toContain("content filter");
  });

  it("throws the caller's abort reason, not a ChatClientError, when the signal aborts mid-stream", async () => {
    server.respondWith({ kind: "reply", text: "one two three four five six seven eight", chunkDelayMs: 50 });
    const controller = new AbortController();
    const chunks: string[] = [];

    const reading = (async () => {
      for await (const chunk of openaiClient().streamChat({ ...request, signal: controller.signal })) {
        chunks.push(chunk);
        if (chunks.length === 2) controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    await expect(reading).rejects.not.toBeInstanceOf(ChatClientError);
    expect(chunks).toHaveLength(2);
  });

  it("throws the abort reason when the signal aborts before the response arrives", async () => {
    server.respondWith({ kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("run cancelled")), 50);

    await expect(collect(openaiClient(), { ...request, signal: controller.signal })).rejects.toThrow("run cancelled");
  });

  it("accepts an already-aborted signal without sending anything", async () => {
    await expect(collect(openaiClient(), { ...request, signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("reports a connection that is refused as transient", async () => {
    const closed = await startFakeOpenAIServer();
    await closed.close();
    const client = new OpenAI({ apiKey: "k", baseURL: closed.baseURL, maxRetries: 0 });

    const error = await failure(new OpenAIChatClient({ client, model: "m" }));

    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/connection/i);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds, milliseconds and HTTP dates, and ignores nonsense", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "20" }))).toBe(20);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(new Headers({ "retry-after": inTenSeconds }))).toBeGreaterThan(8_000);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});
