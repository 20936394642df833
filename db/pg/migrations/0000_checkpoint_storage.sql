CREATE TABLE "checkpoint_blobs" (
	"hash" text PRIMARY KEY NOT NULL,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checkpoints" (
	"checkpoint_id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "checkpoints_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text NOT NULL,
	"parent_id" text,
	"workflow_name" text NOT NULL,
	"superstep" bigint NOT NULL,
	"created_at" text collate "C" NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "request_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" text NOT NULL,
	"run_id" text NOT NULL,
	"base_checkpoint_id" text NOT NULL,
	"checkpoint_id" text NOT NULL,
	"response" text NOT NULL,
	"answered_by" text,
	"answered_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_responses" ADD CONSTRAINT "request_responses_checkpoint_id_checkpoints_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."checkpoints"("checkpoint_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkpoints_seq_idx" ON "checkpoints" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "checkpoints_run_created_idx" ON "checkpoints" USING btree ("run_id","created_at","seq");--> statement-breakpoint
CREATE INDEX "request_responses_request_base_idx" ON "request_responses" USING btree ("request_id","base_checkpoint_id");--> statement-breakpoint
CREATE INDEX "request_responses_checkpoint_idx" ON "request_responses" USING btree ("checkpoint_id");--> statement-breakpoint
CREATE INDEX "request_responses_run_idx" ON "request_responses" USING btree ("run_id","id");