ALTER TABLE "batch_jobs" ADD COLUMN "upload_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "batch_jobs_upload_id_idx" ON "batch_jobs" USING btree ("upload_id");