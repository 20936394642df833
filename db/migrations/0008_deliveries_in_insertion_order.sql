ALTER TABLE `notification_deliveries` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- deliveries written so far keep the order they were inserted in
UPDATE `notification_deliveries` SET `seq` = rowid;