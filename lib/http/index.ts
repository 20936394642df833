/**
 * Shared helpers for the HTTP API's route handlers (app/api/**): error responses, body/query/param parsing,
 * the cross-site origin rule and Server-Sent Events. Routes stay thin: parse, call the service, respond.
 */
export { jsonError } from "./respond";
export { HttpError, toErrorResponse, type ErrorBody, type HttpErrorCode } from "./errors";
export { assertSameOrigin } from "./origin";
export { requireActor } from "./actor";
export { parseJsonBody, parseSearchParams, parseIdParam, validate, idParamSchema, MAX_BODY_BYTES } from "./parse";
export {
  createEventStreamResponse,
  drainEventStreams,
  formatSseEvent,
  formatSseComment,
  lastEventIdOf,
  SSE_HEARTBEAT_MS,
  SSE_RETRY_MS,
  SSE_MAX_LIFETIME_MS,
  SSE_MAX_BUFFERED_BYTES,
  type SendEvent,
  type StreamEndReason,
} from "./sse";
export { StreamSlots, processStreamSlots, type StreamSlotLimits } from "./sse-streams";
export * from "./schemas";
export { runNotFound, checkpointNotFound } from "./not-found";
