/**
 * Draftgate's workflow engine: supersteps, executor and shared state, durable checkpoints and
 * human-in-the-loop requests. Framework-agnostic; outside code imports only this file.
 * See README.md beside it for the superstep lifecycle and how resume works.
 */
export { WorkflowBuilder } from "./builder";
export {
  Workflow,
  type WorkflowDefinition,
  type CheckpointDescriber,
  type CallOptions,
  type RespondOptions,
  type ResumeOptions,
  type ResumeResult,
} from "./workflow";
export { Executor, type Handler } from "./executor";
export { INPUT_SOURCE_ID, type WorkflowContext } from "./context";
export type { Edge, DirectEdge, FanInEdge, EdgeCondition } from "./edges";
export {
  defineMessageType,
  listOf,
  StringMessage,
  NumberMessage,
  BooleanMessage,
  MessageTypeRegistry,
  type MessageType,
  type TypedMessage,
  type QueuedMessage,
  type SendableMessage,
} from "./messages";
export { RequestInfoExecutor, requestResponseOf, type RequestResponse, type RequestKind } from "./requests";
export {
  AgentExecutor,
  AgentExecutorRequest,
  AgentExecutorResponse,
  chatMessageSchema,
  defaultRetryPolicy,
  type AgentState,
  type RetryPolicy,
  type ContextWindow,
} from "./agent";
export {
  ChatClientError,
  isChatClientError,
  type ChatClient,
  type ChatClientInfo,
  type ChatFailureKind,
  type ChatMessage,
  type ChatRequest,
  type ChatUsage,
} from "./chat-client";
export {
  CHECKPOINT_SCHEMA_VERSION,
  type Checkpoint,
  type CheckpointKind,
  type CheckpointStatus,
  type CheckpointSummary,
  type CheckpointSummaryStatus,
  type CheckpointRecord,
  type CheckpointHeader,
  type CheckpointBlob,
  type CheckpointQuery,
  type CheckpointStorage,
  type PendingRequest,
  type AnsweredRequest,
  type WorkflowOutput,
  type ResponseRecord,
  type SaveOptions,
} from "./checkpoint";
export {
  decodeCheckpoint,
  upgradeCheckpointBody,
  blobHash,
  CHECKPOINT_BODY_UPGRADES,
  type CheckpointBodyUpgrade,
  type DecodeOptions,
} from "./codec";
export {
  checkpointHeaderSchema,
  checkpointRecordSchema,
  checkpointSummarySchema,
  responseRecordSchema,
  parsedJsonValueSchema,
  CHECKPOINT_HEADER_COLUMNS,
  SUMMARY_IDENTITY_FIELDS,
  summaryWithoutIdentity,
  pickHeaderColumns,
  describeFirstIssue,
} from "./records";
export { checkpointSummary, pendingRequestsFromCheckpoint } from "./summary";
export {
  collectRunResult,
  summarizeEvents,
  type WorkflowEvent,
  type WorkflowEventType,
  type WorkflowRunState,
  type RunResult,
  type RequestInfo,
} from "./events";
export {
  WorkflowError,
  isWorkflowError,
  requestAlreadyAnsweredError,
  checkpointExistsError,
  workflowErrorCodes,
  type WorkflowErrorCode,
  type WorkflowErrorDetails,
} from "./errors";
export { freezeJson, setOwnProperty, type JsonValue } from "./json";
