CREATE TABLE "account" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp (3) with time zone,
	"refresh_token_expires_at" timestamp (3) with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "durable_timers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "durable_timers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"run_id" text NOT NULL,
	"request_id" text,
	"due_at" bigint NOT NULL,
	"fired_at" bigint,
	"cancelled_at" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"accepted_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" text collate "C" PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"channel" text NOT NULL,
	"recipient_id" text,
	"address" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"last_attempt_at" bigint,
	"last_error" text,
	"delivered_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_events" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"run_id" text,
	"payload" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "notification_events_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"enabled" boolean NOT NULL,
	CONSTRAINT "notification_preferences_user_id_kind_channel_pk" PRIMARY KEY("user_id","kind","channel")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
CREATE TABLE "review_deadlines" (
	"request_id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"asked_at" text collate "C" NOT NULL,
	"due_at" text collate "C" NOT NULL,
	"reminded_at" text collate "C",
	"escalated_at" text collate "C",
	"escalated_to" text,
	"expired_at" text collate "C",
	"closed_at" text collate "C"
);
--> statement-breakpoint
CREATE TABLE "review_policies" (
	"workflow_name" text NOT NULL,
	"version" integer NOT NULL,
	"required_approvals" integer NOT NULL,
	"deadline_minutes" integer DEFAULT 1440 NOT NULL,
	"reminder_minutes_before" integer DEFAULT 120,
	"escalate_to_user_ids" text DEFAULT '[]' NOT NULL,
	"expire_after_minutes" integer,
	"created_at" text collate "C" NOT NULL,
	"created_by_id" text,
	"created_by_name" text NOT NULL,
	CONSTRAINT "review_policies_workflow_name_version_pk" PRIMARY KEY("workflow_name","version")
);
--> statement-breakpoint
CREATE TABLE "review_votes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "review_votes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"request_id" text NOT NULL,
	"kind" text NOT NULL,
	"draft_sha256" text NOT NULL,
	"voter_key" text NOT NULL,
	"voter_id" text,
	"voter_name" text NOT NULL,
	"voter_role" text NOT NULL,
	"voter_method" text NOT NULL,
	"voted_at" text collate "C" NOT NULL,
	"checkpoint_id" text
);
--> statement-breakpoint
CREATE TABLE "run_assignments" (
	"run_id" text NOT NULL,
	"assignee_id" text NOT NULL,
	"assignee_name" text collate "C" NOT NULL,
	"assigned_at" text collate "C" NOT NULL,
	"assigned_by_id" text,
	"assigned_by_name" text NOT NULL,
	CONSTRAINT "run_assignments_run_id_assignee_id_pk" PRIMARY KEY("run_id","assignee_id")
);
--> statement-breakpoint
CREATE TABLE "run_audit" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "run_audit_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"at" text collate "C" NOT NULL,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"actor_method" text NOT NULL,
	"request_id" text,
	"checkpoint_id" text,
	"reason" text,
	"subject_id" text,
	"subject_name" text
);
--> statement-breakpoint
CREATE TABLE "run_publications" (
	"run_id" text NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"checkpoint_id" text NOT NULL,
	"published_at" text collate "C" NOT NULL,
	"approved_by" text,
	"approved_by_id" text,
	CONSTRAINT "run_publications_run_id_version_pk" PRIMARY KEY("run_id","version")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"run_id" text collate "C" PRIMARY KEY NOT NULL,
	"brief" text NOT NULL,
	"submitted_by" text,
	"submitted_by_id" text,
	"status" text NOT NULL,
	"iteration" integer DEFAULT 0 NOT NULL,
	"head_checkpoint_id" text,
	"pending_request_id" text,
	"pending_since" text collate "C",
	"pending_draft_sha256" text,
	"pending_edited_from" text,
	"draft_preview" text,
	"published_text" text,
	"error_code" text,
	"error_message" text,
	"error_detail" text,
	"writer" text NOT NULL,
	"writer_is_model" boolean DEFAULT false NOT NULL,
	"created_at" text collate "C" NOT NULL,
	"updated_at" text collate "C" NOT NULL,
	"lease_owner" text,
	"lease_expires_at" bigint,
	"lease_token" integer DEFAULT 0 NOT NULL,
	"queued_at" text collate "C",
	"workflow_version" integer DEFAULT 1 NOT NULL,
	"policy_version" integer,
	"required_approvals" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"owner" text,
	"token" integer DEFAULT 0 NOT NULL,
	"expires_at" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	"sign_in_method" text DEFAULT 'password' NOT NULL,
	CONSTRAINT "session_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text collate "C" NOT NULL,
	"email" text collate "C" NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"role" text DEFAULT 'author' NOT NULL,
	"deactivated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verification" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kinds" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by_id" text,
	"disabled_at" bigint
);
--> statement-breakpoint
CREATE TABLE "workspace_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"updated_by_id" text
);
--> statement-breakpoint
ALTER TABLE "account" ADD CONSTRAINT "account_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_user_idx" ON "account" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "api_keys_user_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "durable_timers_key_idx" ON "durable_timers" USING btree ("key");--> statement-breakpoint
CREATE INDEX "durable_timers_due_idx" ON "durable_timers" USING btree ("fired_at","cancelled_at","due_at");--> statement-breakpoint
CREATE INDEX "durable_timers_request_pending_idx" ON "durable_timers" USING btree ("request_id","fired_at","cancelled_at","due_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_event_idx" ON "notification_deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "notification_deliveries_created_idx" ON "notification_deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "review_deadlines_run_idx" ON "review_deadlines" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_votes_request_voter_idx" ON "review_votes" USING btree ("request_id","voter_key");--> statement-breakpoint
CREATE INDEX "review_votes_run_idx" ON "review_votes" USING btree ("run_id","id");--> statement-breakpoint
CREATE INDEX "run_assignments_assignee_idx" ON "run_assignments" USING btree ("assignee_id","run_id");--> statement-breakpoint
CREATE INDEX "run_audit_run_idx" ON "run_audit" USING btree ("run_id","id");--> statement-breakpoint
CREATE INDEX "run_audit_request_idx" ON "run_audit" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at","run_id");--> statement-breakpoint
CREATE INDEX "runs_status_created_idx" ON "runs" USING btree ("status","created_at","run_id");--> statement-breakpoint
CREATE INDEX "runs_status_pending_idx" ON "runs" USING btree ("status","pending_since","run_id");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "verification_identifier_idx" ON "verification" USING btree ("identifier");