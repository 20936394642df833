DROP INDEX `durable_timers_request_idx`;--> statement-breakpoint
CREATE INDEX `durable_timers_request_pending_idx` ON `durable_timers` (`request_id`,`fired_at`,`cancelled_at`,`due_at`);