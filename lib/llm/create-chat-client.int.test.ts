import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import type { ChatClient } from "@/lib/workflow";
import { createChatClient, describeModelConfig, isModelConfigError, type ModelConfig } from "./create-chat-client";
import { OpenAIChatClient } from "./openai-chat-client";

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

async function ask(client: ChatClient): Promise<string> {
  let text = "";
  for await (const chunk of client.streamChat({
    instructions: "Be brief.",
    messages: [{ role: "user", text: "BRIEF: Exports include charts." }],
  })) {
    text += chunk;
  }
  return text;
}

describe("createChatClient", () => {
  it("uses Azure OpenAI with an API key when endpoint and deployment are set", async () => {
    const client = createChatClient({
      azureEndpoint: `${server.url}/`,
      azureDeployment: "gpt-4o",
      azureApiKey: "az-key",
      openaiApiKey: "sk-ignored",
    });

    expect(client).toBeInstanceOf(OpenAIChatClient);
    expect(client.info).toEqual({
      provider: "azure-openai",
      model: "gpt-4o",
      label: "Azure OpenAI · gpt-4o (deployment)",
      isModel: true,
    });
    await ask(client);
    const [sent] = server.requests;
    expect(sent?.path).toBe("/openai/deployments/gpt-4o/chat/completions");
    expect(sent?.query["api-version"]).toBe("2024-10-21");
    expect(sent?.headers["api-key"]).toBe("az-key");
    expect(sent?.headers["authorization"]).toBeUndefined();
  });

  it("uses the configured api-version and accepts an endpoint that already ends in /openai", async () => {
    const client = createChatClient({
      azureEndpoint: `${server.url}/openai/`,
      azureDeployment: "mini",
      azureApiKey: "k",
      azureApiVersion: "2025-01-01-preview",
    });

    await ask(client);

    expect(server.requests[0]?.path).toBe("/openai/deployments/mini/chat/completions");
    expect(server.requests[0]?.query["api-version"]).toBe("2025-01-01-preview");
  });

  it("uses the injected token provider for Azure without a key, and never a real credential", async () => {
    const tokenProvider = vi.fn(async () => "tok");
    const client = createChatClient(
      { azureEndpoint: server.url, azureDeployment: "gpt-4o" },
      { azureTokenProvider: tokenProvider },
    );

    await ask(client);

    expect(tokenProvider).toHaveBeenCalledTimes(1);
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer tok");
    expect(server.requests[0]?.headers["api-key"]).toBeUndefined();
  });

  it("builds Azure with DefaultAzureCredential lazily: constructing it asks for no token", () => {
    // No request is made here; the credential would only be created on the first streamChat call.
    const client = createChatClient({ azureEndpoint: server.url, azureDeployment: "gpt-4o" });

    expect(client.info.provider).toBe("azure-openai");
    expect(server.requests).toHaveLength(0);
  });

  it("reports a token provider that fails for a while (an Entra ID outage) as transient, so it is retried", async () => {
    const client = createChatClient(
      { azureEndpoint: server.url, azureDeployment: "gpt-4o" },
      {
        azureTokenProvider: async () =>
          Promise.reject(
            Object.assign(new Error("AADSTS50000: the token service is unavailable"), { name: "AuthenticationError" }),
          ),
      },
    );

    await expect(ask(client)).rejects.toMatchObject({
      transient: true,
      message: expect.stringMatching(/could not get a Microsoft Entra ID token: AADSTS50000/),
    });
    expect(server.requests).toHaveLength(0);
  });

  it("reports a machine with no Azure credential at all as a final error with its message", async () => {
    const client = createChatClient(
      { azureEndpoint: server.url, azureDeployment: "gpt-4o" },
      {
        azureTokenProvider: async () =>
          Promise.reject(
            Object.assign(new Error("No Azure credential available"), { name: "CredentialUnavailableError" }),
          ),
      },
    );

    await expect(ask(client)).rejects.toMatchObject({
      transient: false,
      message: expect.stringContaining("No Azure credential available"),
    });
    expect(server.requests).toHaveLength(0);
  });

  it("uses OpenAI with a Bearer key and the default model when only a key is set", () => {
    const client = createChatClient({ openaiApiKey: "sk-live" });

    expect(client.info).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      label: "OpenAI · gpt-4o-mini",
      isModel: true,
    });
  });

  it("uses an OpenAI-compatible server at the base URL, with the key and model given", async () => {
    const client = createChatClient({
      openaiApiKey: "sk-local",
      openaiBaseUrl: `${server.baseURL}/`,
      openaiModel: "llama3.1",
    });

    const text = await ask(client);

    expect(client.info).toEqual({
      provider: "openai-compatible",
      model: "llama3.1",
      label: "OpenAI-compatible · llama3.1",
      isModel: true,
    });
    expect(text).toMatch(/^Fake model reply/);
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer sk-local");
    expect(server.requests[0]?.body).toMatchObject({ model: "llama3.1", stream: true });
  });

  it("talks to a compatible server that needs no key", async () => {
    const client = createChatClient({ openaiBaseUrl: server.baseURL });

    await ask(client);

    expect(client.info.provider).toBe("openai-compatible");
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer unused");
  });

  it("does not retry inside the SDK: one request per call, even on a 503", async () => {
    server.respondWith({ kind: "error", status: 503, message: "Service Unavailable" });
    const client = createChatClient({ openaiBaseUrl: server.baseURL });

    await expect(ask(client)).rejects.toMatchObject({ transient: true, status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("applies the configured timeout", async () => {
    server.respondWith({ kind: "hang" });
    const client = createChatClient({ openaiBaseUrl: server.baseURL, timeoutMs: 250 });

    await expect(ask(client)).rejects.toMatchObject({
      transient: true,
      message: expect.stringContaining("timed out after 250 ms"),
    });
  });

  it("falls back to the offline writer it is given when nothing is configured (empty strings count as unset)", () => {
    const offline: ChatClient = {
      info: { provider: "offline", model: "stub", label: "Stub", isModel: false },
      streamChat: async function* () {},
    };
    const offlineWriter = vi.fn((_options: { delayMs: number }) => offline);

    const client = createChatClient(
      { azureEndpoint: "", openaiApiKey: "  ", openaiModel: "gpt-4o", offlineWriterDelayMs: 5 },
      { offlineWriter },
    );

    expect(client).toBe(offline);
    expect(offlineWriter).toHaveBeenCalledWith({ delayMs: 5 });
  });

  it("refuses a configuration without a model when it is given no offline writer", () => {
    const attempt = () => createChatClient({ azureEndpoint: "https://x.openai.azure.com" });

    expect(attempt).toThrow(
      /no offline writer was given: AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_CHAT_DEPLOYMENT_NAME is not/,
    );
    expect(() => createChatClient({})).toThrow(expect.objectContaining({ code: "MODEL_CONFIG_INVALID" }));
  });

  it("ignores SDK environment variables: the config alone decides", async () => {
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    vi.stubEnv("AZURE_OPENAI_API_KEY", "env-az-key");
    vi.stubEnv("OPENAI_API_KEY", "env-sk");
    try {
      const tokenClient = createChatClient(
        { azureEndpoint: server.url, azureDeployment: "d" },
        { azureTokenProvider: async () => "tok" },
      );
      await ask(tokenClient);
      await ask(createChatClient({ openaiBaseUrl: server.baseURL }));
    } finally {
      vi.unstubAllEnvs();
    }

    expect(server.requests.map((r) => [r.path, r.headers["authorization"], r.headers["api-key"]])).toEqual([
      ["/openai/deployments/d/chat/completions", "Bearer tok", undefined],
      ["/v1/chat/completions", "Bearer unused", undefined],
    ]);
  });

  it("rejects a URL that is not http(s), naming the setting but not its value", () => {
    const attempt = () => createChatClient({ azureEndpoint: "not a url?key=secret", azureDeployment: "d" });

    expect(attempt).toThrow(/AZURE_OPENAI_ENDPOINT/);
    try {
      attempt();
    } catch (error) {
      expect(isModelConfigError(error)).toBe(true);
      expect(String(error)).not.toContain("secret");
    }
  });
});

describe("describeModelConfig", () => {
  const secrets = ["az-secret-key", "sk-secret-key", "hunter2"];
  const cases: Array<[string, ModelConfig, RegExp]> = [
    [
      "azure with key",
      { azureEndpoint: "https://acme.openai.azure.com/", azureDeployment: "gpt-4o", azureApiKey: "az-secret-key" },
      /^Model: Azure OpenAI deployment "gpt-4o" at https:\/\/acme\.openai\.azure\.com \(api-version 2024-10-21, auth: API key, timeout 60000 ms\)$/,
    ],
    [
      "azure with entra",
      { azureEndpoint: "https://acme.openai.azure.com", azureDeployment: "gpt-4o" },
      /auth: Microsoft Entra ID token/,
    ],
    [
      "openai",
      { openaiApiKey: "sk-secret-key", timeoutMs: 5000 },
      /^Model: OpenAI, model "gpt-4o-mini" \(auth: API key, timeout 5000 ms\)$/,
    ],
    [
      "compatible with credentials in the URL",
      { openaiBaseUrl: "http://user:hunter2@127.0.0.1:11434/v1?token=hunter2", openaiModel: "llama3.1" },
      /^Model: OpenAI-compatible server at http:\/\/127\.0\.0\.1:11434\/v1, model "llama3\.1" \(auth: none/,
    ],
    ["offline", {}, /^Model: none, using the offline writer \(deterministic, no model\); set AZURE_OPENAI_ENDPOINT/],
    [
      "half an azure config",
      { azureEndpoint: "https://acme.openai.azure.com", openaiModel: "x" },
      /AZURE_OPENAI_CHAT_DEPLOYMENT_NAME is not/,
    ],
  ];

  it.each(cases)("describes %s on one line without secrets", (_name, config, expected) => {
    const line = describeModelConfig(config);

    expect(line).toMatch(expected);
    expect(line).not.toContain("\n");
    for (const secret of secrets) expect(line).not.toContain(secret);
  });
});
