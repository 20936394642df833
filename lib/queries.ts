/**
 * TanStack Query keys, fetchers and options for the dashboard's live views. Server pages seed the same keys
 * (with data read through lib/services) and hydrate them, so a client hook picks up where the server left off.
 * The fetchers call the JSON API under /api (see docs/API.md).
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type {
  CheckpointDetail,
  CheckpointListItem,
  Reviewer,
  RunDetail,
  RunListItem,
  RunPage,
  RunStatus,
} from "@/lib/services/dto";

// Components may not import lib/services; they take the DTO types from here.
export type {
  AnswerResult,
  ApiKeyInfo,
  Approval,
  Assignee,
  AuditEntry,
  CheckpointDetail,
  CheckpointListItem,
  CreatedApiKey,
  CreatedInvitation,
  CreatedWebhookEndpoint,
  Decision,
  DeliveryInfo,
  DraftVersion,
  InvitationInfo,
  NotificationChannelsInfo,
  NotificationPreference,
  NotificationPreferences,
  Person,
  Publication,
  Reviewer,
  ReviewPolicy,
  ReviewRequest,
  ReviewRound,
  RunDetail,
  RunListItem,
  RunPage,
  RunPermissions,
  RunPolicy,
  RunStatus,
  WebhookEndpointInfo,
  WorkspaceSettings,
  WriterInfo,
} from "@/lib/services/dto";
export type { Role, SignInMethod } from "@/lib/services/actor";

/** Every status a run can have, in the order a run passes through them: the runs list's filters. */
export { runStatuses } from "@/lib/services/dto";

/** The inbox's tabs: every run awaiting review, or those assigned to the person looking. */
export const inboxScopes = ["all", "me"] as const;
export type InboxScope = (typeof inboxScopes)[number];

/** How often live views poll. */
export const pollIntervals = {
  /** A running or queued run: its status, iteration and draft change within seconds. */
  runningRunMs: 1_500,
  /** The navigation's "awaiting review" count. */
  reviewCountMs: 5_000,
  /** The inbox list. */
  inboxMs: 10_000,
} as const;

export const queryKeys = {
  reviews: ["reviews"] as const,
  reviewList: (assigned: InboxScope) => [...queryKeys.reviews, "list", { assigned }] as const,
  reviewCount: () => [...queryKeys.reviews, "count"] as const,
  runs: ["runs"] as const,
  runList: (status: RunStatus | null) => [...queryKeys.runs, "list", { status }] as const,
  runDetail: (runId: string) => [...queryKeys.runs, "detail", runId] as const,
  runCheckpoints: (runId: string) => [...queryKeys.runs, "checkpoints", runId] as const,
  checkpointDetail: (checkpointId: string) => ["checkpoints", "detail", checkpointId] as const,
  /** Whom a run can be assigned to. */
  reviewers: () => ["reviewers"] as const,
};

/** A non-2xx answer from the API, with its `{ error: { code, message } }` body. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

async function fetchJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: "application/json" }, cache: "no-store", signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "HTTP_ERROR",
      body?.error?.message ?? `The server answered ${response.status} for ${path}`,
    );
  }
  return (await response.json()) as T;
}

export function fetchRunDetail(runId: string, signal?: AbortSignal): Promise<RunDetail> {
  return fetchJson(`/api/runs/${encodeURIComponent(runId)}`, signal);
}

export function fetchRunCheckpoints(runId: string, signal?: AbortSignal): Promise<CheckpointListItem[]> {
  return fetchJson<{ checkpoints: CheckpointListItem[] }>(
    `/api/runs/${encodeURIComponent(runId)}/checkpoints`,
    signal,
  ).then((body) => body.checkpoints);
}

export function fetchCheckpointDetail(checkpointId: string, signal?: AbortSignal): Promise<CheckpointDetail> {
  return fetchJson(`/api/checkpoints/${encodeURIComponent(checkpointId)}`, signal);
}

export function fetchRunPage(
  params: { status: RunStatus | null; cursor: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<RunPage> {
  const search = new URLSearchParams();
  if (params.status) search.set("status", params.status);
  if (params.cursor) search.set("cursor", params.cursor);
  search.set("limit", String(params.limit ?? runPageSize));
  return fetchJson(`/api/runs?${search}`, signal);
}

export function fetchReviews(
  assigned: InboxScope,
  signal?: AbortSignal,
): Promise<{ reviews: RunListItem[]; count: number }> {
  return fetchJson(assigned === "me" ? "/api/reviews?assigned=me" : "/api/reviews", signal);
}

export function fetchReviewers(signal?: AbortSignal): Promise<Reviewer[]> {
  return fetchJson<{ reviewers: Reviewer[] }>("/api/reviewers", signal).then((body) => body.reviewers);
}

export function fetchReviewCount(signal?: AbortSignal): Promise<number> {
  return fetchJson<{ count: number }>("/api/reviews/count", signal).then((body) => body.count);
}

/** The URL of a run's server-sent events (a `snapshot` first, then engine events). */
export function runEventsUrl(runId: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/events`;
}

export const runPageSize = 20;

/** Running, or queued for a model slot (which becomes running without anyone acting): the run's page follows it live. */
export function isRunActive(status: RunStatus): boolean {
  return status === "running" || status === "queued";
}

export function runDetailQuery(runId: string) {
  return queryOptions({
    queryKey: queryKeys.runDetail(runId),
    queryFn: ({ signal }) => fetchRunDetail(runId, signal),
    // Poll only while the writer works or waits for a model slot; a paused or finished run changes when someone acts on it.
    refetchInterval: (query) =>
      query.state.data && isRunActive(query.state.data.status) ? pollIntervals.runningRunMs : false,
  });
}

export function runCheckpointsQuery(runId: string, options: { isRunning?: boolean } = {}) {
  return queryOptions({
    queryKey: queryKeys.runCheckpoints(runId),
    queryFn: ({ signal }) => fetchRunCheckpoints(runId, signal),
    refetchInterval: options.isRunning ? pollIntervals.runningRunMs : false,
  });
}

export function checkpointDetailQuery(checkpointId: string) {
  return queryOptions({
    queryKey: queryKeys.checkpointDetail(checkpointId),
    queryFn: ({ signal }) => fetchCheckpointDetail(checkpointId, signal),
  });
}

export function reviewListQuery(assigned: InboxScope = "all") {
  return queryOptions({
    queryKey: queryKeys.reviewList(assigned),
    queryFn: ({ signal }) => fetchReviews(assigned, signal),
    refetchInterval: pollIntervals.inboxMs,
  });
}

/** Active reviewers and admins (for reviewers and admins, who may assign); changes rarely, so no polling. */
export function reviewersQuery() {
  return queryOptions({
    queryKey: queryKeys.reviewers(),
    queryFn: ({ signal }) => fetchReviewers(signal),
  });
}

export function reviewCountQuery() {
  return queryOptions({
    queryKey: queryKeys.reviewCount(),
    queryFn: ({ signal }) => fetchReviewCount(signal),
    refetchInterval: pollIntervals.reviewCountMs,
  });
}

export function runListQuery(status: RunStatus | null) {
  return infiniteQueryOptions({
    queryKey: queryKeys.runList(status),
    queryFn: ({ pageParam, signal }) => fetchRunPage({ status, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}
