export { createReleaseNotesWorkflow, draftPreview, describeCheckpoint, releaseNotesDetailsSchema, type ReleaseNotesDetails, ids as releaseNotesExecutorIds, RELEASE_NOTES_WORKFLOW, MAX_SUPERSTEPS_PER_CALL, type ReleaseNotesOptions } from "./workflow";
export { HumanApprovalRequest, HumanApprovalResponse, reviewAnswerSchema, isApprovalReply, type ReviewGatewayState, type FinaliseState } from "./messages";
export { briefSchema, normalizeBrief, MAX_BRIEF_LENGTH } from "./brief";
export { WRITER_INSTRUCTIONS, REVIEW_PROMPT, DEFAULT_GUIDANCE, draftPrompt, revisionPrompt } from "./prompts";
