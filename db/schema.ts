/**
 * The single source of truth for the SQLite schema. Migrations are generated from this file
 * (`npx drizzle-kit generate`) into `db/migrations/`; never edit a generated migration after merge.
 *
 * Sections: checkpoints (engine storage), then room for the services layer's tables (runs, leases).
 */
import { sql } from "drizzle-orm";
import { foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// ---------------------------------------------------------------------------------------------------------
// Checkpoints: `SqliteCheckpointStorage` (db/sqlite-checkpoint-storage.ts) implements the engine's
// `CheckpointStorage` on these three tables.
// ---------------------------------------------------------------------------------------------------------

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    checkpointId: text("checkpoint_id").primaryKey(),
    // Save order, the tiebreak for equal created_at. An explicit column rather than rowid, because VACUUM may
    // renumber the rowids of a table without an INTEGER PRIMARY KEY. Assigned as max(seq) + 1 inside the
    // saving transaction (BEGIN IMMEDIATE), so it is unique and increasing across connections.
    seq: integer("seq").notNull(),
    runId: text("run_id").notNull(),
    parentId: text("parent_id"),
    workflowName: text("workflow_name").notNull(),
    superstep: integer("superstep").notNull(),
    /** ISO 8601 text; compared as text, so every writer must use the same format (Date#toISOString). */
    createdAt: text("created_at").notNull(),
    kind: text("kind", { enum: ["initial", "superstep", "responses"] }).notNull(),
    status: text("status", { enum: ["running", "awaiting_input", "completed", "failed"] }).notNull(),
    /** `CheckpointSummary` as JSON text. */
    summary: text("summary").notNull(),
    /** The encoded checkpoint body, stored as-is; decoding is the engine's job. */
    body: text("body").notNull(),
  },
  (table) => [
    uniqueIndex("checkpoints_seq_idx").on(table.seq),
    // seq is the trailing column so "newest first" (created_at DESC, seq DESC) is read off the index, unsorted.
    // Only the per-run listing is indexed: the app never lists checkpoints by workflow or across runs, and
    // each index costs every save a page write (bench/: about 0.8 KiB per revision round).
    index("checkpoints_run_created_idx").on(table.runId, table.createdAt, table.seq),
  ],
);

/** Content-addressed pieces of checkpoint bodies, shared by every checkpoint that holds the same value. */
export const checkpointBlobs = sqliteTable("checkpoint_blobs", {
  hash: text("hash").primaryKey(),
  data: text("data").notNull(),
});

/** Answers to requests, written in the same transaction as the `responses` checkpoint that applies them. */
export const requestResponses = sqliteTable(
  "request_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").notNull(),
    runId: text("run_id").notNull(),
    /** The checkpoint that held the request as pending. No foreign key: deleting it must not erase the answer. */
    baseCheckpointId: text("base_checkpoint_id").notNull(),
    /** The checkpoint that carries the answer; deleting it deletes the answer with it. */
    checkpointId: text("checkpoint_id").notNull(),
    /** JSON text. */
    response: text("response").notNull(),
    answeredBy: text("answered_by"),
    answeredAt: text("answered_at").notNull(),
  },
  (table) => [
    foreignKey({ columns: [table.checkpointId], foreignColumns: [checkpoints.checkpointId] }).onDelete("cascade"),
    // Serves both "responses to a request" (its prefix) and the exclusive check on (request, base).
    index("request_responses_request_base_idx").on(table.requestId, table.baseCheckpointId),
    index("request_responses_checkpoint_idx").on(table.checkpointId),
    // The run page's audit trail.
    index("request_responses_run_idx").on(table.runId, table.id),
  ],
);

export type CheckpointRow = typeof checkpoints.$inferSelect;
export type NewCheckpointRow = typeof checkpoints.$inferInsert;
export type CheckpointBlobRow = typeof checkpointBlobs.$inferSelect;
export type RequestResponseRow = typeof requestResponses.$inferSelect;
export type NewRequestResponseRow = typeof requestResponses.$inferInsert;

// ---------------------------------------------------------------------------------------------------------
// Runs and leases (services layer): added here by lib/services.
// ---------------------------------------------------------------------------------------------------------

/**
 * One row per release-notes run: what listings and the inbox read. Its status, head, pending request,
 * preview and published text are a projection of the run's newest checkpoint, written only inside that
 * checkpoint's save transaction (lib/services/run-projection.ts). The lease columns make sure one process at a
 * time executes a run, and fence every write of an execution that lost its lease.
 */
export const runs = sqliteTable(
  "runs",
  {
    runId: text("run_id").primaryKey(),
    brief: text("brief").notNull(),
    /** The submitter's display name when they submitted (release 1 recorded a typed name here). */
    submittedBy: text("submitted_by"),
    /** The submitter's user id; null for runs from before sign-in existed. Separation of duties reads it. */
    submittedById: text("submitted_by_id"),
    status: text("status", { enum: ["running", "awaiting_review", "completed", "rejected", "failed"] }).notNull(),
    /** The draft number under review or last produced (1, 2, 3, ...); 0 before the first draft. */
    iteration: integer("iteration").notNull().default(0),
    headCheckpointId: text("head_checkpoint_id"),
    /** The request awaiting review, when status is awaiting_review. */
    pendingRequestId: text("pending_request_id"),
    pendingSince: text("pending_since"),
    /** The sha256 of the draft awaiting review: approvals are bound to the exact text. */
    pendingDraftSha256: text("pending_draft_sha256"),
    /** When the draft awaiting review is a reviewer's edit: the request whose draft was edited (its edit vote counts). */
    pendingEditedFrom: text("pending_edited_from"),
    draftPreview: text("draft_preview"),
    publishedText: text("published_text"),
    errorCode: text("error_code"),
    /** Why the run failed, in words for everyone who may act on it (no addresses or provider internals). */
    errorMessage: text("error_message"),
    /** The provider's own message, base URLs, socket errors: for admins and the log. Null before release 2. */
    errorDetail: text("error_detail"),
    /** The writer's label when the run started, e.g. "Offline writer — deterministic, no model". */
    writer: text("writer").notNull(),
    /** False for the offline writer, which the UI names as such. */
    writerIsModel: integer("writer_is_model", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    leaseOwner: text("lease_owner"),
    /** Epoch milliseconds; a lease past this time may be taken over. */
    leaseExpiresAt: integer("lease_expires_at"),
    /**
     * Grows with every acquisition of the lease. A write by an execution succeeds only while owner and token
     * are still its own, so a process that stalled past its lease cannot write after another took the run over.
     */
    leaseToken: integer("lease_token").notNull().default(0),
    /**
     * Set while the executing process holds the run back because its model calls are all taken (ISO time); the
     * run shows as queued, in this order. Written and cleared under the lease, like the failure.
     */
    queuedAt: text("queued_at"),
    /** The release-notes workflow version the run started on (lib/release-notes/versions.ts); 1 before it was recorded. */
    workflowVersion: integer("workflow_version").notNull().default(1),
    /** The approval policy the run started with: its version (null: the default, before policies existed) and quorum. */
    policyVersion: integer("policy_version"),
    requiredApprovals: integer("required_approvals").notNull().default(1),
  },
  (table) => [
    index("runs_created_idx").on(table.createdAt, table.runId),
    index("runs_status_created_idx").on(table.status, table.createdAt, table.runId),
    index("runs_status_pending_idx").on(table.status, table.pendingSince, table.runId),
  ],
);

export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;

// ---------------------------------------------------------------------------------------------------------
// People and sign-in. `user`, `session`, `account` and `verification` are Better Auth's tables (lib/auth/auth.ts
// maps its models onto them); the rest are Draftgate's own.
// ---------------------------------------------------------------------------------------------------------

const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });
const createdAtColumn = () =>
  timestamp("created_at")
    .notNull()
    .default(sql`(unixepoch('subsecond') * 1000)`);

export const roles = ["author", "reviewer", "admin"] as const;
export type Role = (typeof roles)[number];

export const users = sqliteTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  image: text("image"),
  role: text("role", { enum: roles }).notNull().default("author"),
  /** A deactivated person: their sessions and API keys stop working at once; their past decisions stay. */
  deactivatedAt: timestamp("deactivated_at"),
  createdAt: createdAtColumn(),
  updatedAt: timestamp("updated_at")
    .notNull()
    .default(sql`(unixepoch('subsecond') * 1000)`),
});

export const sessions = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAtColumn(),
    updatedAt: timestamp("updated_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** How this session was signed in: "password" or "oidc" (recorded with every decision made in it). */
    signInMethod: text("sign_in_method").notNull().default("password"),
  },
  (table) => [index("session_user_idx").on(table.userId)],
);

export const accounts = sqliteTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAtColumn(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (table) => [index("account_user_idx").on(table.userId)],
);

export const verifications = sqliteTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: timestamp("updated_at")
      .notNull()
      .default(sql`(unixepoch('subsecond') * 1000)`),
  },
  (table) => [index("verification_identifier_idx").on(table.identifier)],
);

/** Keys for scripts (`Authorization: Bearer dg_...`). Only a SHA-256 of the key is kept; the key is shown once. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, so people can tell their keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: timestamp("created_at").notNull(),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
  },
  (table) => [index("api_keys_user_idx").on(table.userId)],
);

/** An admin's invitation: a one-time link (only its SHA-256 is kept) that creates an account with `role`. */
export const invitations = sqliteTable("invitations", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  role: text("role", { enum: roles }).notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  invitedById: text("invited_by_id").notNull(),
  createdAt: timestamp("created_at").notNull(),
  expiresAt: timestamp("expires_at").notNull(),
  acceptedAt: timestamp("accepted_at"),
  revokedAt: timestamp("revoked_at"),
});

/** Workspace settings an admin changes (one row per key, JSON values). */
export const workspaceSettings = sqliteTable("workspace_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
  updatedById: text("updated_by_id"),
});

/**
 * Who did what to a run, and how they were signed in: submissions, decisions, resumes, retries, re-openings.
 * Decision rows are written in the same transaction as the checkpoint that records the answer.
 */
export const runAudit = sqliteTable(
  "run_audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    at: text("at").notNull(),
    /** `approved`: an approval that did not complete the review by itself (the one that did is `answered`). */
    action: text("action", {
      enum: [
        "submitted",
        "answered",
        "approved",
        "assigned",
        "unassigned",
        "reminded",
        "escalated",
        "resumed",
        "retried",
        "reopened",
      ],
    }).notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role").notNull(),
    /** "password", "oidc", "api-key" or "cli". */
    actorMethod: text("actor_method").notNull(),
    requestId: text("request_id"),
    checkpointId: text("checkpoint_id"),
    /** Why (required to re-open a completed run). */
    reason: text("reason"),
    /** Whom the action names (the person assigned or unassigned). */
    subjectId: text("subject_id"),
    subjectName: text("subject_name"),
  },
  (table) => [index("run_audit_run_idx").on(table.runId, table.id), index("run_audit_request_idx").on(table.requestId)],
);

/** Every published version of a run, append-only: a re-opened run that publishes again adds a version. */
export const runPublications = sqliteTable(
  "run_publications",
  {
    runId: text("run_id").notNull(),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    checkpointId: text("checkpoint_id").notNull(),
    publishedAt: text("published_at").notNull(),
    /** Who approved: the name recorded with the approving answer, and their user id when they were signed in. */
    approvedBy: text("approved_by"),
    approvedById: text("approved_by_id"),
  },
  (table) => [primaryKey({ columns: [table.runId, table.version] })],
);

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
/**
 * Each workflow's approval policy, append-only: a change by an admin is the next version. A run records the
 * version it started with (runs.policy_version) and keeps it.
 */
export const reviewPolicies = sqliteTable(
  "review_policies",
  {
    workflowName: text("workflow_name").notNull(),
    version: integer("version").notNull(),
    /** Distinct eligible reviewers who must approve the same draft text before it is published. */
    requiredApprovals: integer("required_approvals").notNull(),
    /** A review request is due this long after it is asked. */
    deadlineMinutes: integer("deadline_minutes").notNull().default(1440),
    /** The assignees (or the pool) are reminded this long before the deadline; null: no reminder. */
    reminderMinutesBefore: integer("reminder_minutes_before").default(120),
    /** At the deadline the request is offered to these people (JSON array of user ids); empty: the admins. */
    escalateToUserIds: text("escalate_to_user_ids").notNull().default("[]"),
    /** This long after the deadline the request is rejected as expired; null (the default): never. */
    expireAfterMinutes: integer("expire_after_minutes"),
    createdAt: text("created_at").notNull(),
    createdById: text("created_by_id"),
    createdByName: text("created_by_name").notNull(),
  },
  (table) => [primaryKey({ columns: [table.workflowName, table.version] })],
);

/**
 * Approvals of drafts, each bound to the exact text approved (sha256). An approval that leaves the quorum short
 * is written on its own; the one that completes it is written in the transaction of the checkpoint that applies
 * the answer (`checkpoint_id`). An edit is its author's approval of the edited text. One per person per request.
 */
export const reviewVotes = sqliteTable(
  "review_votes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    requestId: text("request_id").notNull(),
    kind: text("kind", { enum: ["approve", "edit"] }).notNull(),
    draftSha256: text("draft_sha256").notNull(),
    /** The voter's user id, or the CLI operator's name: what makes two approvals distinct. */
    voterKey: text("voter_key").notNull(),
    voterId: text("voter_id"),
    voterName: text("voter_name").notNull(),
    voterRole: text("voter_role").notNull(),
    voterMethod: text("voter_method").notNull(),
    votedAt: text("voted_at").notNull(),
    checkpointId: text("checkpoint_id"),
  },
  (table) => [
    uniqueIndex("review_votes_request_voter_idx").on(table.requestId, table.voterKey),
    index("review_votes_run_idx").on(table.runId, table.id),
  ],
);

/** Who is asked to review a run's drafts (empty: the pool of reviewers). */
export const runAssignments = sqliteTable(
  "run_assignments",
  {
    runId: text("run_id").notNull(),
    assigneeId: text("assignee_id").notNull(),
    assigneeName: text("assignee_name").notNull(),
    assignedAt: text("assigned_at").notNull(),
    assignedById: text("assigned_by_id"),
    assignedByName: text("assigned_by_name").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.assigneeId] }),
    index("run_assignments_assignee_idx").on(table.assigneeId, table.runId),
  ],
);

/**
 * When each review request is due, and what happened at its deadline. Written in the transaction of the
 * checkpoint that asks the request; closed in the one that answers it.
 */
export const reviewDeadlines = sqliteTable(
  "review_deadlines",
  {
    requestId: text("request_id").primaryKey(),
    runId: text("run_id").notNull(),
    askedAt: text("asked_at").notNull(),
    dueAt: text("due_at").notNull(),
    remindedAt: text("reminded_at"),
    escalatedAt: text("escalated_at"),
    /** Whom it was offered to at the deadline (names), for the inbox and the run page. */
    escalatedTo: text("escalated_to"),
    expiredAt: text("expired_at"),
    /** Answered (or left behind on another branch): its timers no longer fire. */
    closedAt: text("closed_at"),
  },
  (table) => [index("review_deadlines_run_idx").on(table.runId)],
);

/**
 * Durable timers: what is due when, fired by the process holding the scheduler lease. `key` makes each timer
 * unique (`<requestId>:reminder`), so planning it twice plans it once, and a fire is recorded with it.
 */
export const durableTimers = sqliteTable(
  "durable_timers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    runId: text("run_id").notNull(),
    requestId: text("request_id"),
    /** Epoch milliseconds. */
    dueAt: integer("due_at").notNull(),
    firedAt: integer("fired_at"),
    cancelledAt: integer("cancelled_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (table) => [
    uniqueIndex("durable_timers_key_idx").on(table.key),
    index("durable_timers_due_idx").on(table.firedAt, table.cancelledAt, table.dueAt),
    // request first, then the two "still pending" columns: closing a request's timers must not pick the due index
    // (equal on fired/cancelled, a range on due_at) and walk every pending timer (bench: 6 ms per answer at 10,000 runs)
    index("durable_timers_request_pending_idx").on(table.requestId, table.firedAt, table.cancelledAt, table.dueAt),
  ],
);

/** Which process fires timers: one holder at a time, fenced by a token that grows with every acquisition. */
export const schedulerLeases = sqliteTable("scheduler_leases", {
  name: text("name").primaryKey(),
  owner: text("owner"),
  token: integer("token").notNull().default(0),
  expiresAt: integer("expires_at").notNull().default(0),
});

export type ReviewDeadlineRow = typeof reviewDeadlines.$inferSelect;
export type DurableTimerRow = typeof durableTimers.$inferSelect;
export type ReviewPolicyRow = typeof reviewPolicies.$inferSelect;
export type ReviewVoteRow = typeof reviewVotes.$inferSelect;
export type NewReviewVoteRow = typeof reviewVotes.$inferInsert;
export type RunAssignmentRow = typeof runAssignments.$inferSelect;
export type RunAuditRow = typeof runAudit.$inferSelect;
export type NewRunAuditRow = typeof runAudit.$inferInsert;
export type RunPublicationRow = typeof runPublications.$inferSelect;

/**
 * Counters of rate-limiter-flexible's SQLite store (its table layout: key, points, expire in epoch ms), so
 * limits hold across restarts and across processes on one database file.
 */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: integer("expire"),
});

// ---------------------------------------------------------------------------------------------------------
// Notifications: an outbox. Events and their deliveries are written in the transaction of the state change
// that causes them (a new request, a decision, a timer firing, a failure); the dispatcher delivers them later.
// ---------------------------------------------------------------------------------------------------------

export const notificationChannels = ["email", "webhook", "slack"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Something people may hear about. `key` makes each unique (`review.requested:<requestId>`): written once. */
export const notificationEvents = sqliteTable("notification_events", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  kind: text("kind").notNull(),
  runId: text("run_id"),
  /** The event's versioned payload (lib/services/notifications/events.ts), JSON. */
  payload: text("payload").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * One event to one recipient on one channel. `id` is the idempotency key the receiver sees (`webhook-id`, the
 * email's Message-ID), the same on every attempt.
 */
export const notificationDeliveries = sqliteTable(
  "notification_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    channel: text("channel", { enum: notificationChannels }).notNull(),
    /** The person (email) or the endpoint (webhook); null for the workspace's Slack channel. */
    recipientId: text("recipient_id"),
    /** Where it goes, for the admin page: an email address, an endpoint URL, "Slack". */
    address: text("address").notNull(),
    status: text("status", { enum: ["pending", "delivered", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Epoch milliseconds. */
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastAttemptAt: integer("last_attempt_at"),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
    /**
     * Insertion order, which breaks ties in the due list: deliveries of one transaction share a created-at and go
     * out in the order their causes happened. Assigned as max(seq) + 1 inside the writing transaction.
     */
    seq: integer("seq").notNull().default(0),
  },
  (table) => [
    index("notification_deliveries_due_idx").on(table.status, table.nextAttemptAt),
    index("notification_deliveries_event_idx").on(table.eventId),
    index("notification_deliveries_created_idx").on(table.createdAt),
  ],
);

/** A person's choice per event kind and channel; no row means on. */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id").notNull(),
    kind: text("kind").notNull(),
    channel: text("channel", { enum: notificationChannels }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.kind, table.channel] })],
);

/** HTTPS endpoints admins register; each delivery is signed with the endpoint's secret (Standard Webhooks). */
export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  /** Event kinds it receives, JSON array. */
  kinds: text("kinds").notNull(),
  /** `whsec_` + base64 key. */
  secret: text("secret").notNull(),
  createdAt: integer("created_at").notNull(),
  createdById: text("created_by_id"),
  disabledAt: integer("disabled_at"),
});

export type NotificationEventRow = typeof notificationEvents.$inferSelect;
export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
