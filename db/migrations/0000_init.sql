CREATE TABLE `checkpoint_blobs` (
	`hash` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`checkpoint_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`run_id` text NOT NULL,
	`parent_id` text,
	`workflow_name` text NOT NULL,
	`superstep` integer NOT NULL,
	`created_at` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`summary` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkpoints_seq_idx` ON `checkpoints` (`seq`);--> statement-breakpoint
CREATE INDEX `checkpoints_run_created_idx` ON `checkpoints` (`run_id`,`created_at`,`seq`);--> statement-breakpoint
CREATE TABLE `request_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`run_id` text NOT NULL,
	`base_checkpoint_id` text NOT NULL,
	`checkpoint_id` text NOT NULL,
	`response` text NOT NULL,
	`answered_by` text,
	`answered_at` text NOT NULL,
	FOREIGN KEY (`checkpoint_id`) REFERENCES `checkpoints`(`checkpoint_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `request_responses_request_base_idx` ON `request_responses` (`request_id`,`base_checkpoint_id`);--> statement-breakpoint
CREATE INDEX `request_responses_checkpoint_idx` ON `request_responses` (`checkpoint_id`);--> statement-breakpoint
CREATE INDEX `request_responses_run_idx` ON `request_responses` (`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`run_id` text PRIMARY KEY NOT NULL,
	`brief` text NOT NULL,
	`submitted_by` text,
	`status` text NOT NULL,
	`iteration` integer DEFAULT 0 NOT NULL,
	`head_checkpoint_id` text,
	`pending_request_id` text,
	`pending_since` text,
	`draft_preview` text,
	`published_text` text,
	`error_code` text,
	`error_message` text,
	`writer` text NOT NULL,
	`writer_is_model` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`,`run_id`);--> statement-breakpoint
CREATE INDEX `runs_status_created_idx` ON `runs` (`status`,`created_at`,`run_id`);--> statement-breakpoint
CREATE INDEX `runs_status_pending_idx` ON `runs` (`status`,`pending_since`,`run_id`);