CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`expire` integer
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `error_detail` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `queued_at` text;--> statement-breakpoint
UPDATE `runs` SET `error_detail` = `error_message`, `error_message` = 'The model call failed.' WHERE `error_code` = 'MODEL_ERROR';
