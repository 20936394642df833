/**
 * Writers for the agent executor: model clients over the OpenAI SDK. The offline writer, used when no model is
 * configured, answers the release-notes prompts and lives beside them (lib/release-notes/writers); callers pass
 * it to `createChatClient` as `offlineWriter`.
 */
export {
  createChatClient,
  describeModelConfig,
  isModelConfigError,
  ModelConfigError,
  DEFAULT_AZURE_API_VERSION,
  DEFAULT_MODEL_TIMEOUT_MS,
  DEFAULT_OPENAI_MODEL,
  type CreateChatClientDeps,
  type ModelConfig,
} from "./create-chat-client";
export { OpenAIChatClient, type OpenAIChatClientOptions } from "./openai-chat-client";
