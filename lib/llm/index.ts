/** Writers for the agent executor: model clients over the OpenAI SDK, and the offline writer. */
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
export { OfflineWriter, OFFLINE_CALLS_TO_ACTION, writeOfflineReply } from "./offline-writer";
