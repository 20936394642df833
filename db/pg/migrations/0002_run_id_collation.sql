ALTER TABLE "checkpoints" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "durable_timers" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "notification_events" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "request_responses" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "review_deadlines" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "review_votes" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "run_assignments" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "run_audit" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";--> statement-breakpoint
ALTER TABLE "run_publications" ALTER COLUMN "run_id" SET DATA TYPE text collate "C";