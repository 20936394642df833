export {
  createReleaseNotesWorkflow,
  draftPreview,
  describeCheckpoint,
  releaseNotesDetailsSchema,
  type ReleaseNotesDetails,
  ids as releaseNotesExecutorIds,
  RELEASE_NOTES_WORKFLOW,
  MAX_SUPERSTEPS_PER_CALL,
  type ReleaseNotesOptions,
} from "./workflow";
export {
  HumanApprovalRequest,
  HumanApprovalResponse,
  reviewAnswerSchema,
  reviewDecisionSchema,
  isApprovalReply,
  decisionOf,
  type ReviewAnswer,
  type ReviewDecision,
  type ReviewGatewayState,
  type FinaliseState,
} from "./messages";
export { briefSchema, normalizeBrief, MAX_BRIEF_LENGTH } from "./brief";
export { RELEASE_NOTES_VERSION, RELEASE_NOTES_VERSIONS, type ReleaseNotesVersion } from "./versions";
export { WRITER_INSTRUCTIONS, REVIEW_PROMPT, DEFAULT_GUIDANCE, draftPrompt, revisionPrompt } from "./prompts";
export { OfflineWriter, OFFLINE_CALLS_TO_ACTION, writeOfflineReply } from "./writers/offline-writer";
