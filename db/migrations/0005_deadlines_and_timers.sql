CREATE TABLE `durable_timers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`run_id` text NOT NULL,
	`request_id` text,
	`due_at` integer NOT NULL,
	`fired_at` integer,
	`cancelled_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `durable_timers_key_idx` ON `durable_timers` (`key`);--> statement-breakpoint
CREATE INDEX `durable_timers_due_idx` ON `durable_timers` (`fired_at`,`cancelled_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `durable_timers_request_idx` ON `durable_timers` (`request_id`);--> statement-breakpoint
CREATE TABLE `review_deadlines` (
	`request_id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`asked_at` text NOT NULL,
	`due_at` text NOT NULL,
	`reminded_at` text,
	`escalated_at` text,
	`escalated_to` text,
	`expired_at` text,
	`closed_at` text
);
--> statement-breakpoint
CREATE INDEX `review_deadlines_run_idx` ON `review_deadlines` (`run_id`);--> statement-breakpoint
CREATE TABLE `scheduler_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`owner` text,
	`token` integer DEFAULT 0 NOT NULL,
	`expires_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `review_policies` ADD `deadline_minutes` integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE `review_policies` ADD `reminder_minutes_before` integer DEFAULT 120;--> statement-breakpoint
ALTER TABLE `review_policies` ADD `escalate_to_user_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `review_policies` ADD `expire_after_minutes` integer;