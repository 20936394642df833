/** Helpers for testing code built on the engine: an in-memory store, a scripted model, the storage contract suite. */
export { InMemoryCheckpointStorage } from "./memory-checkpoint-storage";
export { ScriptedChatClient } from "./scripted-chat-client";
export {
  describeCheckpointStorageContract,
  isoAt,
  makeRecord,
  makeResponse,
  type StorageUnderTest,
} from "./storage-contract";
