/**
 * The PostgreSQL schema (selected with DATABASE_URL=postgres://…): the same tables and columns as the SQLite
 * schema (db/schema.ts), in PostgreSQL's types. Migrations are generated from this file
 * (`npx drizzle-kit generate --config drizzle.pg.config.ts`) into `db/pg/migrations/`, frozen once shipped.
 *
 * Sections as in db/schema.ts: the engine's checkpoint storage (`PgCheckpointStorage`), runs, people and sign-in
 * (Better Auth's tables for its drizzle adapter with `provider: "pg"`), reviews, timers and leases, rate limits,
 * notifications. db/schema-parity.test.ts checks that both schemas keep the same tables, columns, keys and indexes.
 *
 * Types: SQLite's `timestamp_ms` integers are `timestamptz(3)` (`Date` in TypeScript, as on SQLite); epoch
 * milliseconds kept as numbers are `bigint`; ISO times and the text ids and names that queries order or compare
 * are `byteText`, so they order as on SQLite; JSON stays text (the code reads and writes strings).
 */
import {
  bigint,
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Text compared byte by byte, whatever the database's locale: ISO times and ids order as on SQLite. Every column
 * holding a run id has it, as `runs.run_id` does: a join between two collations cannot use the other side's index
 * (the inbox's assignee subquery scanned run_assignments once per run: 10,000 runs took 700 ms).
 */
const byteText = customType<{ data: string }>({ dataType: () => 'text collate "C"' });

export const checkpoints = pgTable(
  "checkpoints",
  {
    checkpointId: text("checkpoint_id").primaryKey(),
    // Save order, the tiebreak for equal created_at: an identity, so concurrent saves never collide.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    runId: byteText("run_id").notNull(),
    parentId: text("parent_id"),
    workflowName: text("workflow_name").notNull(),
    superstep: bigint("superstep", { mode: "number" }).notNull(),
    /** ISO 8601 text, compared as text like on SQLite: every writer uses Date#toISOString. */
    createdAt: byteText("created_at").notNull(),
    kind: text("kind", { enum: ["initial", "superstep", "responses"] }).notNull(),
    status: text("status", { enum: ["running", "awaiting_input", "completed", "failed"] }).notNull(),
    /** `CheckpointSummary` as JSON text, without the fields its columns hold. */
    summary: text("summary").notNull(),
    /** The encoded checkpoint body, stored as-is; decoding is the engine's job. */
    body: text("body").notNull(),
  },
  (table) => [
    uniqueIndex("checkpoints_seq_idx").on(table.seq),
    index("checkpoints_run_created_idx").on(table.runId, table.createdAt, table.seq),
  ],
);

export const checkpointBlobs = pgTable("checkpoint_blobs", {
  hash: text("hash").primaryKey(),
  data: text("data").notNull(),
});

export const requestResponses = pgTable(
  "request_responses",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    requestId: text("request_id").notNull(),
    runId: byteText("run_id").notNull(),
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
    index("request_responses_request_base_idx").on(table.requestId, table.baseCheckpointId),
    index("request_responses_checkpoint_idx").on(table.checkpointId),
    index("request_responses_run_idx").on(table.runId, table.id),
  ],
);

export type PgCheckpointRow = typeof checkpoints.$inferSelect;
export type PgRequestResponseRow = typeof requestResponses.$inferSelect;

// ---------------------------------------------------------------------------------------------------------
// Runs and leases (services layer). Comments on the columns are db/schema.ts's.
// ---------------------------------------------------------------------------------------------------------

/** Epoch milliseconds (past 2^31): numbers in TypeScript, as on SQLite. */
const epochMs = (name: string) => bigint(name, { mode: "number" });

export const runs = pgTable(
  "runs",
  {
    // byte order: listings page by (created_at, run_id) and the queue by (queued_at, run_id)
    runId: byteText("run_id").primaryKey(),
    brief: text("brief").notNull(),
    submittedBy: text("submitted_by"),
    submittedById: text("submitted_by_id"),
    status: text("status", { enum: ["running", "awaiting_review", "completed", "rejected", "failed"] }).notNull(),
    iteration: integer("iteration").notNull().default(0),
    headCheckpointId: text("head_checkpoint_id"),
    pendingRequestId: text("pending_request_id"),
    pendingSince: byteText("pending_since"),
    pendingDraftSha256: text("pending_draft_sha256"),
    pendingEditedFrom: text("pending_edited_from"),
    draftPreview: text("draft_preview"),
    publishedText: text("published_text"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    errorDetail: text("error_detail"),
    writer: text("writer").notNull(),
    writerIsModel: boolean("writer_is_model").notNull().default(false),
    createdAt: byteText("created_at").notNull(),
    updatedAt: byteText("updated_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: epochMs("lease_expires_at"),
    leaseToken: integer("lease_token").notNull().default(0),
    queuedAt: byteText("queued_at"),
    workflowVersion: integer("workflow_version").notNull().default(1),
    policyVersion: integer("policy_version"),
    requiredApprovals: integer("required_approvals").notNull().default(1),
  },
  (table) => [
    index("runs_created_idx").on(table.createdAt, table.runId),
    index("runs_status_created_idx").on(table.status, table.createdAt, table.runId),
    index("runs_status_pending_idx").on(table.status, table.pendingSince, table.runId),
  ],
);

export type PgRunRow = typeof runs.$inferSelect;

// ---------------------------------------------------------------------------------------------------------
// People and sign-in. `user`, `session`, `account` and `verification` are Better Auth's tables: its drizzle
// adapter with `provider: "pg"` passes `Date`s for its date fields and booleans as booleans, so those are
// `timestamptz(3)` and `boolean` here (its own generator writes `timestamp` and `boolean`).
// ---------------------------------------------------------------------------------------------------------

/** A point in time with SQLite's millisecond precision, read and written as a `Date`. */
const timestampMs = (name: string) => timestamp(name, { mode: "date", withTimezone: true, precision: 3 });
const createdAtColumn = () => timestampMs("created_at").notNull().defaultNow();

const roles = ["author", "reviewer", "admin"] as const;

export const users = pgTable("user", {
  id: text("id").primaryKey(),
  // byte order: the people page lists by (name, email)
  name: byteText("name").notNull(),
  email: byteText("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  role: text("role", { enum: roles }).notNull().default("author"),
  deactivatedAt: timestampMs("deactivated_at"),
  createdAt: createdAtColumn(),
  updatedAt: timestampMs("updated_at").notNull().defaultNow(),
});

export const sessions = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestampMs("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAtColumn(),
    updatedAt: timestampMs("updated_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    signInMethod: text("sign_in_method").notNull().default("password"),
  },
  (table) => [index("session_user_idx").on(table.userId)],
);

export const accounts = pgTable(
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
    accessTokenExpiresAt: timestampMs("access_token_expires_at"),
    refreshTokenExpiresAt: timestampMs("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAtColumn(),
    updatedAt: timestampMs("updated_at").notNull(),
  },
  (table) => [index("account_user_idx").on(table.userId)],
);

export const verifications = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestampMs("expires_at").notNull(),
    createdAt: createdAtColumn(),
    updatedAt: timestampMs("updated_at").notNull().defaultNow(),
  },
  (table) => [index("verification_identifier_idx").on(table.identifier)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: timestampMs("created_at").notNull(),
    lastUsedAt: timestampMs("last_used_at"),
    revokedAt: timestampMs("revoked_at"),
  },
  (table) => [index("api_keys_user_idx").on(table.userId)],
);

export const invitations = pgTable("invitations", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  role: text("role", { enum: roles }).notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  invitedById: text("invited_by_id").notNull(),
  createdAt: timestampMs("created_at").notNull(),
  expiresAt: timestampMs("expires_at").notNull(),
  acceptedAt: timestampMs("accepted_at"),
  revokedAt: timestampMs("revoked_at"),
});

export const workspaceSettings = pgTable("workspace_settings", {
  key: text("key").primaryKey(),
  /** JSON text. */
  value: text("value").notNull(),
  updatedAt: timestampMs("updated_at").notNull(),
  updatedById: text("updated_by_id"),
});

export const runAudit = pgTable(
  "run_audit",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    runId: byteText("run_id").notNull(),
    at: byteText("at").notNull(),
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
    actorMethod: text("actor_method").notNull(),
    requestId: text("request_id"),
    checkpointId: text("checkpoint_id"),
    reason: text("reason"),
    subjectId: text("subject_id"),
    subjectName: text("subject_name"),
  },
  (table) => [index("run_audit_run_idx").on(table.runId, table.id), index("run_audit_request_idx").on(table.requestId)],
);

export const runPublications = pgTable(
  "run_publications",
  {
    runId: byteText("run_id").notNull(),
    version: integer("version").notNull(),
    text: text("text").notNull(),
    checkpointId: text("checkpoint_id").notNull(),
    publishedAt: byteText("published_at").notNull(),
    approvedBy: text("approved_by"),
    approvedById: text("approved_by_id"),
  },
  (table) => [primaryKey({ columns: [table.runId, table.version] })],
);

export type PgUserRow = typeof users.$inferSelect;

// ---------------------------------------------------------------------------------------------------------
// Reviews: policies, votes, assignments, deadlines; durable timers and the scheduler's lease; rate limits.
// ---------------------------------------------------------------------------------------------------------

export const reviewPolicies = pgTable(
  "review_policies",
  {
    workflowName: text("workflow_name").notNull(),
    version: integer("version").notNull(),
    requiredApprovals: integer("required_approvals").notNull(),
    deadlineMinutes: integer("deadline_minutes").notNull().default(1440),
    reminderMinutesBefore: integer("reminder_minutes_before").default(120),
    /** JSON array of user ids, as text. */
    escalateToUserIds: text("escalate_to_user_ids").notNull().default("[]"),
    expireAfterMinutes: integer("expire_after_minutes"),
    createdAt: byteText("created_at").notNull(),
    createdById: text("created_by_id"),
    createdByName: text("created_by_name").notNull(),
  },
  (table) => [primaryKey({ columns: [table.workflowName, table.version] })],
);

export const reviewVotes = pgTable(
  "review_votes",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    runId: byteText("run_id").notNull(),
    requestId: text("request_id").notNull(),
    kind: text("kind", { enum: ["approve", "edit"] }).notNull(),
    draftSha256: text("draft_sha256").notNull(),
    voterKey: text("voter_key").notNull(),
    voterId: text("voter_id"),
    voterName: text("voter_name").notNull(),
    voterRole: text("voter_role").notNull(),
    voterMethod: text("voter_method").notNull(),
    votedAt: byteText("voted_at").notNull(),
    checkpointId: text("checkpoint_id"),
  },
  (table) => [
    uniqueIndex("review_votes_request_voter_idx").on(table.requestId, table.voterKey),
    index("review_votes_run_idx").on(table.runId, table.id),
  ],
);

export const runAssignments = pgTable(
  "run_assignments",
  {
    runId: byteText("run_id").notNull(),
    assigneeId: text("assignee_id").notNull(),
    // byte order: a run's assignees are listed by (assigned_at, assignee_name)
    assigneeName: byteText("assignee_name").notNull(),
    assignedAt: byteText("assigned_at").notNull(),
    assignedById: text("assigned_by_id"),
    assignedByName: text("assigned_by_name").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.assigneeId] }),
    index("run_assignments_assignee_idx").on(table.assigneeId, table.runId),
  ],
);

export const reviewDeadlines = pgTable(
  "review_deadlines",
  {
    requestId: text("request_id").primaryKey(),
    runId: byteText("run_id").notNull(),
    askedAt: byteText("asked_at").notNull(),
    dueAt: byteText("due_at").notNull(),
    remindedAt: byteText("reminded_at"),
    escalatedAt: byteText("escalated_at"),
    escalatedTo: text("escalated_to"),
    expiredAt: byteText("expired_at"),
    closedAt: byteText("closed_at"),
  },
  (table) => [index("review_deadlines_run_idx").on(table.runId)],
);

export const durableTimers = pgTable(
  "durable_timers",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    runId: byteText("run_id").notNull(),
    requestId: text("request_id"),
    dueAt: epochMs("due_at").notNull(),
    firedAt: epochMs("fired_at"),
    cancelledAt: epochMs("cancelled_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (table) => [
    uniqueIndex("durable_timers_key_idx").on(table.key),
    index("durable_timers_due_idx").on(table.firedAt, table.cancelledAt, table.dueAt),
    index("durable_timers_request_pending_idx").on(table.requestId, table.firedAt, table.cancelledAt, table.dueAt),
  ],
);

export const schedulerLeases = pgTable("scheduler_leases", {
  name: text("name").primaryKey(),
  owner: text("owner"),
  token: integer("token").notNull().default(0),
  expiresAt: epochMs("expires_at").notNull().default(0),
});

/** rate-limiter-flexible's counters; its PostgreSQL store's own layout is the same (key, points, expire bigint). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: epochMs("expire"),
});

// ---------------------------------------------------------------------------------------------------------
// Notifications: the outbox.
// ---------------------------------------------------------------------------------------------------------

const notificationChannels = ["email", "webhook", "slack"] as const;

export const notificationEvents = pgTable("notification_events", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  kind: text("kind").notNull(),
  runId: byteText("run_id"),
  /** JSON text. */
  payload: text("payload").notNull(),
  createdAt: epochMs("created_at").notNull(),
});

export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    // byte order: the admin page lists by (created_at, id)
    id: byteText("id").primaryKey(),
    eventId: text("event_id").notNull(),
    channel: text("channel", { enum: notificationChannels }).notNull(),
    recipientId: text("recipient_id"),
    address: text("address").notNull(),
    status: text("status", { enum: ["pending", "delivered", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: epochMs("next_attempt_at").notNull(),
    lastAttemptAt: epochMs("last_attempt_at"),
    lastError: text("last_error"),
    deliveredAt: epochMs("delivered_at"),
    createdAt: epochMs("created_at").notNull(),
    /** Insertion order (db/schema.ts): an identity here, where no lock serializes the writers. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
  },
  (table) => [
    index("notification_deliveries_due_idx").on(table.status, table.nextAttemptAt),
    index("notification_deliveries_event_idx").on(table.eventId),
    index("notification_deliveries_created_idx").on(table.createdAt),
  ],
);

export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: text("user_id").notNull(),
    kind: text("kind").notNull(),
    channel: text("channel", { enum: notificationChannels }).notNull(),
    enabled: boolean("enabled").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.kind, table.channel] })],
);

export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  /** JSON array of event kinds, as text. */
  kinds: text("kinds").notNull(),
  secret: text("secret").notNull(),
  createdAt: epochMs("created_at").notNull(),
  createdById: text("created_by_id"),
  disabledAt: epochMs("disabled_at"),
});
