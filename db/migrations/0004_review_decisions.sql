CREATE TABLE `review_policies` (
	`workflow_name` text NOT NULL,
	`version` integer NOT NULL,
	`required_approvals` integer NOT NULL,
	`created_at` text NOT NULL,
	`created_by_id` text,
	`created_by_name` text NOT NULL,
	PRIMARY KEY(`workflow_name`, `version`)
);
--> statement-breakpoint
CREATE TABLE `review_votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`request_id` text NOT NULL,
	`kind` text NOT NULL,
	`draft_sha256` text NOT NULL,
	`voter_key` text NOT NULL,
	`voter_id` text,
	`voter_name` text NOT NULL,
	`voter_role` text NOT NULL,
	`voter_method` text NOT NULL,
	`voted_at` text NOT NULL,
	`checkpoint_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_votes_request_voter_idx` ON `review_votes` (`request_id`,`voter_key`);--> statement-breakpoint
CREATE INDEX `review_votes_run_idx` ON `review_votes` (`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `run_assignments` (
	`run_id` text NOT NULL,
	`assignee_id` text NOT NULL,
	`assignee_name` text NOT NULL,
	`assigned_at` text NOT NULL,
	`assigned_by_id` text,
	`assigned_by_name` text NOT NULL,
	PRIMARY KEY(`run_id`, `assignee_id`)
);
--> statement-breakpoint
CREATE INDEX `run_assignments_assignee_idx` ON `run_assignments` (`assignee_id`,`run_id`);--> statement-breakpoint
ALTER TABLE `run_audit` ADD `subject_id` text;--> statement-breakpoint
ALTER TABLE `run_audit` ADD `subject_name` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `pending_draft_sha256` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `pending_edited_from` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `workflow_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `policy_version` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `required_approvals` integer DEFAULT 1 NOT NULL;