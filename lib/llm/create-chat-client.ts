import OpenAI, { AzureOpenAI } from "openai";
import type { ChatClient } from "@/lib/workflow";
import { OpenAIChatClient, redactUrl, reportingTokenFailures } from "./openai-chat-client";

/**
 * Which model writes, as plain data. `lib/env.ts` fills it from AZURE_OPENAI_ENDPOINT,
 * AZURE_OPENAI_CHAT_DEPLOYMENT_NAME, AZURE_OPENAI_API_VERSION, AZURE_OPENAI_API_KEY, OPENAI_API_KEY,
 * OPENAI_MODEL, OPENAI_BASE_URL and MODEL_TIMEOUT_MS. Empty strings count as unset.
 */
export interface ModelConfig {
  /** e.g. `https://my-resource.openai.azure.com` (a trailing `/openai` is accepted too). */
  azureEndpoint?: string | undefined;
  azureDeployment?: string | undefined;
  /** Defaults to {@link DEFAULT_AZURE_API_VERSION}. */
  azureApiVersion?: string | undefined;
  /** Without it, Azure uses Microsoft Entra ID (DefaultAzureCredential, or the injected token provider). */
  azureApiKey?: string | undefined;
  openaiApiKey?: string | undefined;
  /** Defaults to {@link DEFAULT_OPENAI_MODEL}. */
  openaiModel?: string | undefined;
  /** An OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1` (Ollama); may need no key. */
  openaiBaseUrl?: string | undefined;
  /** Wait for response headers and between stream chunks. Defaults to {@link DEFAULT_MODEL_TIMEOUT_MS}. */
  timeoutMs?: number | undefined;
  /** Pause before each chunk of the offline writer (demos, crash tests). Defaults to 0. */
  offlineWriterDelayMs?: number | undefined;
  /** The longest reply a model call may produce (`max_completion_tokens`); the provider's default when unset. */
  maxCompletionTokens?: number | undefined;
}

export interface CreateChatClientDeps {
  /** Replaces DefaultAzureCredential for Azure without an API key (tests; custom credentials). */
  azureTokenProvider?: () => Promise<string>;
  /**
   * The writer for when no model is configured. It answers a workflow's own prompts, so the workflow supplies
   * it (`OfflineWriter` of lib/release-notes); without it, a configuration with no model is refused.
   */
  offlineWriter?: (options: { delayMs: number }) => ChatClient;
}

export const DEFAULT_AZURE_API_VERSION = "2024-10-21";
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
export const AZURE_COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
const USE_A_MODEL =
  "set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_CHAT_DEPLOYMENT_NAME, or OPENAI_API_KEY / OPENAI_BASE_URL, to use a model";

/** A model configuration that cannot work, e.g. an endpoint that is not a URL. */
export class ModelConfigError extends Error {
  override readonly name = "ModelConfigError";
  readonly code = "MODEL_CONFIG_INVALID" as const;
}

export function isModelConfigError(error: unknown): error is ModelConfigError {
  return error instanceof ModelConfigError;
}

type ResolvedModelConfig =
  | {
      kind: "azure-openai";
      endpoint: string;
      deployment: string;
      apiVersion: string;
      apiKey?: string;
      timeoutMs: number;
    }
  | { kind: "openai"; apiKey?: string; model: string; baseURL?: string; timeoutMs: number }
  | { kind: "offline"; delayMs: number; note?: string };

/**
 * Picks the writer: Azure OpenAI when endpoint and deployment are set (API key, else Microsoft Entra ID);
 * else OpenAI, or an OpenAI-compatible server, when an OpenAI key or base URL is set; else the offline writer
 * from `deps.offlineWriter`.
 * The SDK gets `maxRetries: 0` (the agent executor retries) and the configured timeout, and is given every
 * setting explicitly so it never falls back to reading `process.env` itself.
 *
 * @throws {ModelConfigError} when a URL in the configuration is not a valid http(s) URL, or when no model is
 * configured and `deps` has no offline writer.
 * @example
 * const writer = createChatClient({ openaiBaseUrl: "http://127.0.0.1:11434/v1", openaiModel: "llama3.1" });
 * for await (const piece of writer.streamChat({ messages: [{ role: "user", text: "Hi" }] })) process.stdout.write(piece);
 */
export function createChatClient(config: ModelConfig, deps: CreateChatClientDeps = {}): ChatClient {
  const resolved = resolveModelConfig(config);
  switch (resolved.kind) {
    case "azure-openai": {
      const auth = resolved.apiKey
        ? { apiKey: resolved.apiKey }
        : // An empty apiKey keeps the SDK from picking up AZURE_OPENAI_API_KEY from the environment.
          {
            apiKey: "",
            azureADTokenProvider: reportingTokenFailures(deps.azureTokenProvider ?? defaultAzureTokenProvider()),
          };
      const client = new AzureOpenAI({
        // baseURL rather than endpoint: the SDK would otherwise read OPENAI_BASE_URL and refuse both.
        baseURL: `${resolved.endpoint}/openai`,
        deployment: resolved.deployment,
        apiVersion: resolved.apiVersion,
        ...auth,
        ...sdkDefaults(resolved.timeoutMs),
      });
      return new OpenAIChatClient({
        client,
        model: resolved.deployment,
        idleTimeoutMs: resolved.timeoutMs,
        ...maxTokens(config),
      });
    }
    case "openai": {
      const client = new OpenAI({
        // A compatible server such as Ollama takes no key, but the SDK insists on one.
        apiKey: resolved.apiKey ?? "unused",
        baseURL: resolved.baseURL ?? "https://api.openai.com/v1",
        ...sdkDefaults(resolved.timeoutMs),
      });
      return new OpenAIChatClient({
        client,
        model: resolved.model,
        idleTimeoutMs: resolved.timeoutMs,
        ...maxTokens(config),
      });
    }
    case "offline":
      if (!deps.offlineWriter)
        throw new ModelConfigError(
          `No model is configured and no offline writer was given: ${resolved.note ?? USE_A_MODEL}`,
        );
      return deps.offlineWriter({ delayMs: resolved.delayMs });
  }
}

/** One secret-free line for startup logs: which writer, where, and how it authenticates. */
export function describeModelConfig(config: ModelConfig): string {
  let resolved: ResolvedModelConfig;
  try {
    resolved = resolveModelConfig(config);
  } catch (error) {
    return `Model: invalid configuration: ${error instanceof Error ? error.message : String(error)}`;
  }
  switch (resolved.kind) {
    case "azure-openai": {
      const auth = resolved.apiKey ? "API key" : "Microsoft Entra ID token";
      return `Model: Azure OpenAI deployment "${resolved.deployment}" at ${redactUrl(resolved.endpoint)} (api-version ${resolved.apiVersion}, auth: ${auth}, timeout ${resolved.timeoutMs} ms)`;
    }
    case "openai": {
      const auth = resolved.apiKey ? "API key" : "none";
      const where = resolved.baseURL ? `OpenAI-compatible server at ${redactUrl(resolved.baseURL)}` : "OpenAI";
      return `Model: ${where}, model "${resolved.model}" (auth: ${auth}, timeout ${resolved.timeoutMs} ms)`;
    }
    case "offline":
      return `Model: none, using the offline writer (deterministic, no model); ${resolved.note ?? USE_A_MODEL}`;
  }
}

function resolveModelConfig(config: ModelConfig): ResolvedModelConfig {
  const timeoutMs = positiveInt(config.timeoutMs, "timeoutMs (MODEL_TIMEOUT_MS)") ?? DEFAULT_MODEL_TIMEOUT_MS;
  const azureEndpoint = present(config.azureEndpoint);
  const azureDeployment = present(config.azureDeployment);
  if (azureEndpoint && azureDeployment) {
    const apiKey = present(config.azureApiKey);
    return {
      kind: "azure-openai",
      endpoint: normalizeAzureEndpoint(azureEndpoint),
      deployment: azureDeployment,
      apiVersion: present(config.azureApiVersion) ?? DEFAULT_AZURE_API_VERSION,
      ...(apiKey ? { apiKey } : {}),
      timeoutMs,
    };
  }

  const apiKey = present(config.openaiApiKey);
  const baseURL = present(config.openaiBaseUrl);
  if (apiKey || baseURL) {
    return {
      kind: "openai",
      ...(apiKey ? { apiKey } : {}),
      model: present(config.openaiModel) ?? DEFAULT_OPENAI_MODEL,
      ...(baseURL
        ? { baseURL: checkHttpUrl(baseURL, "openaiBaseUrl (OPENAI_BASE_URL)").replace(/(?<!\/)\/+$/, "") }
        : {}),
      timeoutMs,
    };
  }

  // Half an Azure configuration is most likely a mistake: say so instead of quietly going offline.
  const note =
    azureEndpoint && !azureDeployment
      ? "AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_CHAT_DEPLOYMENT_NAME is not, so Azure OpenAI is not used"
      : azureDeployment && !azureEndpoint
        ? "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME is set but AZURE_OPENAI_ENDPOINT is not, so Azure OpenAI is not used"
        : undefined;
  return {
    kind: "offline",
    delayMs: nonNegativeInt(config.offlineWriterDelayMs, "offlineWriterDelayMs") ?? 0,
    ...(note ? { note } : {}),
  };
}

/** Client options shared by every SDK client we build; explicit so nothing comes from process.env. */
function sdkDefaults(timeoutMs: number) {
  return {
    maxRetries: 0,
    timeout: timeoutMs,
    organization: null,
    project: null,
    webhookSecret: null,
    // Failures reach the caller as ChatClientError; the SDK's own console logging would only duplicate them.
    logLevel: "off" as const,
  };
}

/**
 * Entra ID through DefaultAzureCredential, built on the first request: constructing the client probes nothing,
 * and @azure/identity is only loaded when Azure without a key is actually used.
 */
function defaultAzureTokenProvider(): () => Promise<string> {
  let provider: Promise<() => Promise<string>> | undefined;
  return async () => {
    provider ??= import("@azure/identity").then(({ DefaultAzureCredential, getBearerTokenProvider }) =>
      getBearerTokenProvider(new DefaultAzureCredential(), AZURE_COGNITIVE_SERVICES_SCOPE),
    );
    return (await provider)();
  };
}

function normalizeAzureEndpoint(endpoint: string): string {
  const url = checkHttpUrl(endpoint, "azureEndpoint (AZURE_OPENAI_ENDPOINT)");
  // The SDK appends /openai itself; accept endpoints copied with it.
  return url.replace(/(?<!\/)\/+$/, "").replace(/\/openai$/, "");
}

function checkHttpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ModelConfigError(`${field} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ModelConfigError(`${field} must be an http(s) URL, got ${url.protocol}`);
  }
  return value;
}

function maxTokens(config: ModelConfig): { maxCompletionTokens?: number } {
  return config.maxCompletionTokens ? { maxCompletionTokens: config.maxCompletionTokens } : {};
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positiveInt(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0)
    throw new ModelConfigError(`${field} must be a positive number of milliseconds, got ${value}`);
  return Math.ceil(value);
}

function nonNegativeInt(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0)
    throw new ModelConfigError(`${field} must be zero or more milliseconds, got ${value}`);
  return Math.round(value);
}
