ALTER TABLE "api_requests" ADD COLUMN "transport" text DEFAULT 'http' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_requests" ADD COLUMN "transcript" jsonb;