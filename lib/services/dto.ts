/**
 * What the services layer hands to pages, route handlers, server actions and the CLI: plain JSON, no
 * database rows, no engine classes.
 */
import type { CheckpointSummary, WorkflowEvent } from "@/lib/workflow";
import type { Role, SignInMethod } from "./actor";
import type { DecisionKind } from "./review-decisions";

/** `queued`: running, but waiting for one of the process's model slots (MODEL_CONCURRENCY) before calling the model. */
export const runStatuses = ["queued", "running", "awaiting_review", "completed", "rejected", "failed"] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Who writes the drafts; `isModel` is false for the offline writer, which the UI must name as such. */
export interface WriterInfo {
  provider: string;
  model: string;
  label: string;
  isModel: boolean;
}

export interface RunListItem {
  runId: string;
  brief: string;
  status: RunStatus;
  iteration: number;
  submittedBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set while awaiting review. */
  pendingRequestId: string | null;
  pendingSince: string | null;
  draftPreview: string | null;
  /** While awaiting review: approvals that count for the draft, of how many the run's policy requires. */
  approvals: { count: number; required: number } | null;
  /** People asked to review the run's drafts (empty: anyone in the pool of reviewers). */
  assignees: Assignee[];
  /** While awaiting review: when the draft under review is due, and what its deadline did so far. */
  deadline: ReviewDeadline | null;
}

/** A review request's deadline (the run's policy): reminded before it, escalated at it, optionally expired after. */
export interface ReviewDeadline {
  askedAt: string;
  dueAt: string;
  remindedAt: string | null;
  escalatedAt: string | null;
  /** Whom it was offered to at the deadline (names). */
  escalatedTo: string | null;
}

export interface Assignee {
  userId: string;
  name: string;
}

/** Someone who may review (a reviewer or an admin): whom a run can be assigned to. */
export interface Reviewer {
  userId: string;
  name: string;
  role: Role;
}

/** One approval of a draft: who, how they were signed in, when; `edit` when it came with their edit of the text. */
export interface Approval {
  by: string;
  byId: string | null;
  via: SignInMethod;
  at: string;
  kind: "approve" | "edit";
}

export interface RunPage {
  runs: RunListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ReviewRequest {
  requestId: string;
  prompt: string;
  draft: string;
  /** The hex sha256 of `draft`: send it back with a decision so it is refused if the draft changed meanwhile. */
  draftSha256: string;
  iteration: number;
  createdAt: string;
  /** The checkpoint that holds the request as pending. */
  checkpointId: string;
  /** Set when the draft is a reviewer's edit: the request whose draft they edited, and who. */
  editedFrom: string | null;
  editedBy: string | null;
  /** Approvals that count for this draft so far (while it is pending), oldest first. */
  approvals: Approval[];
}

export interface Decision {
  requestId: string;
  kind: DecisionKind;
  /** In words: "approve", the guidance, the edited text, or the reason for rejecting. */
  response: string;
  /** True for an approval and for an edit that was published. */
  isApproval: boolean;
  /** The name recorded with the answer. */
  decidedBy: string | null;
  /** Who answered, as signed in (null for answers from before sign-in existed). */
  decidedById: string | null;
  decidedVia: SignInMethod | null;
  decidedAt: string;
  /** The `responses` checkpoint that applied the decision, and the one it continued from. */
  checkpointId: string;
  baseCheckpointId: string;
  iteration: number | null;
}

export interface DraftVersion {
  iteration: number;
  text: string;
  checkpointId: string;
}

/** One published version of a run; a run re-opened by an admin and approved again has several. */
export interface Publication {
  version: number;
  text: string;
  publishedAt: string;
  approvedBy: string | null;
  checkpointId: string;
}

/** One entry of a run's audit trail: who did what, how they were signed in, and why (for a re-opening). */
export interface AuditEntry {
  at: string;
  /** `approved`: an approval that did not complete the review by itself; `answered`: a decision applied to the run. */
  action:
    | "submitted"
    | "answered"
    | "approved"
    | "assigned"
    | "unassigned"
    | "reminded"
    | "escalated"
    | "resumed"
    | "retried"
    | "reopened";
  /** Whom an assignment, a reminder or an escalation names. */
  subjectName: string | null;
  actorName: string;
  actorRole: Role;
  actorMethod: SignInMethod;
  requestId: string | null;
  checkpointId: string | null;
  reason: string | null;
}

/** What the person looking at a run may do with it (the server checks again on every action). */
export interface RunPermissions {
  /** May request a revision, reject, and assign reviewers. */
  canAnswer: boolean;
  /** Approve, or edit and approve. False when they submitted the brief and self-approval is off: they may still send guidance. */
  canApprove: boolean;
  canRetry: boolean;
  /** Resume from an older checkpoint (a branch). */
  canBranch: boolean;
  /** Re-open the run once it completed (with a reason). */
  canReopen: boolean;
}

/** What happened to one draft: its approvals, and the decision that ended its round. */
export interface ReviewRound {
  /** The draft number; an edited draft keeps the number of the draft it edits. */
  iteration: number;
  requestId: string;
  draft: string;
  draftSha256: string;
  createdAt: string;
  checkpointId: string;
  editedFrom: string | null;
  editedBy: string | null;
  /** Every approval given to this draft; `dismissed` once the draft changed (a revision or an edit) before the quorum. */
  approvals: Array<Approval & { dismissed: "draft changed" | "superseded" | null }>;
  /** What ended the round; null while it is pending (or when it was left on an older branch). */
  decision: Decision | null;
  state: "pending" | "approved" | "revised" | "edited" | "rejected" | "superseded";
}

/** The approval policy a run started with. `version` is null for runs from before policies existed (one approval). */
export interface RunPolicy {
  version: number | null;
  requiredApprovals: number;
  deadlineMinutes: number;
  reminderMinutesBefore: number | null;
  expireAfterMinutes: number | null;
}

/** A workflow's approval policy as admins edit it: the current version and the earlier ones. */
export interface ReviewPolicy {
  workflowName: string;
  /** Null until an admin first saves one (the defaults: one approval, due in 24 h, reminder 2 h before, no expiry). */
  version: number | null;
  requiredApprovals: number;
  /** A draft is due this long after it is asked. */
  deadlineMinutes: number;
  /** Reminder this long before the deadline; null: none. */
  reminderMinutesBefore: number | null;
  /** Offered to these people at the deadline; empty: the admins. */
  escalateTo: Assignee[];
  /** Rejected as expired this long after the deadline; null (the default): never. */
  expireAfterMinutes: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** What answering did: `running` when the decision was applied; `awaiting_review` when it was an approval short of the quorum. */
export interface AnswerResult {
  runId: string;
  status: RunStatus;
  approvals: { count: number; required: number } | null;
}

export interface RunDetail extends RunListItem {
  /** The writer's label when the run started. */
  writer: string;
  /** False for the offline writer: say so wherever the writer is shown. */
  writerIsModel: boolean;
  /** The published text once approved (the run's outputs). */
  outputs: string[];
  publishedText: string | null;
  /** Requests awaiting an answer on the run's newest branch. */
  pendingRequests: ReviewRequest[];
  /** Requests left unanswered on a branch that is no longer the newest; answering them is refused. */
  supersededRequests: ReviewRequest[];
  /** Every recorded decision, oldest first: the audit trail. */
  decisions: Decision[];
  /** The drafts of the newest branch, oldest first, each with its approvals and the decision on it. */
  rounds: ReviewRound[];
  policy: RunPolicy;
  /** Set once a reviewer rejected the run: why, who, when. */
  rejection: { reason: string; by: string | null; at: string } | null;
  /** The release-notes workflow version the run started on. */
  workflowVersion: number;
  /** Drafts on the newest branch, oldest first (for the diff against the previous draft). */
  drafts: DraftVersion[];
  headCheckpointId: string | null;
  /**
   * Why the run failed: `message` in words for everyone who may act on it; `detail` (the provider's own message,
   * which may name addresses) only for admins, null for everyone else.
   */
  error: { code: string; message: string; detail: string | null } | null;
  /** While queued: 1 for the next run to get a model slot. */
  queuePosition: number | null;
  /** True while this process executes the run (tokens stream over the events endpoint). */
  isExecutingHere: boolean;
  /** Every published version, oldest first (append-only). */
  publications: Publication[];
  /** Submissions, answers, resumes, retries and re-openings, oldest first. */
  audit: AuditEntry[];
  permissions: RunPermissions;
}

export interface CheckpointListItem extends CheckpointSummary {
  isHead: boolean;
  /** On the line from the run's first checkpoint to its newest. */
  isOnHeadLineage: boolean;
}

export interface CheckpointDetail {
  summary: CheckpointListItem;
  /** The whole decoded checkpoint: queued messages, shared state, executor states, pending requests... */
  checkpoint: Record<string, unknown>;
}

/** What a subscriber to a run's live events receives. */
export type RunEvent = WorkflowEvent;

/** A person of the workspace, as the People page lists them. */
export interface Person {
  userId: string;
  name: string;
  email: string;
  role: Role;
  isActive: boolean;
  signInMethods: Array<"password" | "oidc">;
  createdAt: string;
}

/** A new invitation; `token` is shown once (the link), only its hash is stored. */
export interface CreatedInvitation {
  invitationId: string;
  email: string;
  role: Role;
  token: string;
  expiresAt: string;
}

export interface InvitationInfo {
  invitationId: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

/** A new API key; `key` is shown once, only its hash is stored. */
export interface CreatedApiKey {
  keyId: string;
  name: string;
  prefix: string;
  key: string;
  createdAt: string;
}

export interface ApiKeyInfo {
  keyId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What an admin decides for the whole workspace. */
export interface WorkspaceSettings {
  /** May the person who submitted a brief approve its drafts (teams of one)? Off by default. */
  allowSelfApproval: boolean;
  /** May anyone create an account (as an author) from the sign-in page? Off by default. */
  allowSignUp: boolean;
  /** How many times one run's draft may be sent back for a revision (10 by default): each costs a model call. */
  maxRevisionRounds: number;
}

/** Whether a person hears of one kind of event by email. */
export interface NotificationPreference {
  kind: string;
  label: string;
  email: boolean;
}

/** What firing the due deadline timers did, run by run. */
export interface TimerTickReport {
  reminded: string[];
  escalated: Array<{ runId: string; to: string | null }>;
  expired: string[];
}

/** A person's notification settings. */
export interface NotificationPreferences {
  /** False when this server has no SMTP configured: nothing is emailed, whatever the choices. */
  emailConfigured: boolean;
  /** Where email goes. */
  address: string | null;
  preferences: NotificationPreference[];
}

/** The workspace's channels, as admins see them (secrets never leave the server after they are made). */
export interface NotificationChannelsInfo {
  email: { configured: boolean; from: string | null };
  slack: { connected: boolean; urlHint: string | null };
  webhooks: WebhookEndpointInfo[];
  deliveryCounts: { pending: number; delivered: number; dead: number };
}

export interface WebhookEndpointInfo {
  id: string;
  url: string;
  description: string;
  kinds: string[];
  createdAt: string;
}

/** A new endpoint with its signing secret: shown once, to the admin who made it. */
export interface CreatedWebhookEndpoint extends WebhookEndpointInfo {
  secret: string;
}

export interface DeliveryInfo {
  id: string;
  eventKind: string;
  runId: string | null;
  channel: "email" | "webhook" | "slack";
  address: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** The event as stored in the outbox (payload version 1; webhooks receive it reshaped, see docs/WEBHOOKS.md). */
  payload: unknown;
}
