CREATE TABLE "api_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"user_id" text,
	"user_email" text,
	"key_profile" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"wait_ms" integer DEFAULT 0 NOT NULL,
	"next_retry_at" timestamp with time zone,
	"status" integer,
	"ok" boolean,
	"error_code" text,
	"error_message" text,
	"request_id" text,
	"duration_ms" integer,
	"request_body" jsonb,
	"response_body" jsonb,
	"rate_limit" jsonb,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"message_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	"job_id" text,
	"chunk_no" integer
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"action" text NOT NULL,
	"target" text,
	"ip" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "batch_chunks" (
	"job_id" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"try" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"row_nos" integer[] NOT NULL,
	"status" text NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"not_before" timestamp with time zone,
	"sends" integer DEFAULT 0 NOT NULL,
	"queued_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"last_error_code" text,
	"last_request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "batch_chunks_job_id_chunk_no_try_pk" PRIMARY KEY("job_id","chunk_no","try")
);
--> statement-breakpoint
CREATE TABLE "batch_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"key_profile" text NOT NULL,
	"created_by" text,
	"created_by_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"total_rows" integer NOT NULL,
	"columns" jsonb NOT NULL,
	"spec" jsonb NOT NULL,
	"current_try" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_rows" (
	"job_id" text NOT NULL,
	"row_no" integer NOT NULL,
	"csv_line" integer NOT NULL,
	"input" jsonb NOT NULL,
	"message" jsonb NOT NULL,
	"to_email" text NOT NULL,
	"status" text NOT NULL,
	"message_id" text,
	"error_code" text,
	"error_message" text,
	"error_fields" jsonb,
	"request_id" text,
	"idempotency_key" text,
	"chunk_no" integer,
	"try" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_rows_job_id_row_no_pk" PRIMARY KEY("job_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "sandbox_attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_idempotency" (
	"scope" text NOT NULL,
	"endpoint" text NOT NULL,
	"key" text NOT NULL,
	"body_hash" text NOT NULL,
	"state" text NOT NULL,
	"locked_until" timestamp with time zone,
	"status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_idempotency_scope_endpoint_key_pk" PRIMARY KEY("scope","endpoint","key")
);
--> statement-breakpoint
CREATE TABLE "sandbox_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" text NOT NULL,
	"idempotency_key" text,
	"endpoint" text NOT NULL,
	"batch_index" integer,
	"from_email" text NOT NULL,
	"to_email" text NOT NULL,
	"subject" text NOT NULL,
	"message" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"message" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batch_chunks" ADD CONSTRAINT "batch_chunks_job_id_batch_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."batch_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_rows" ADD CONSTRAINT "batch_rows_job_id_batch_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."batch_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_requests_created_idx" ON "api_requests" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_requests_request_id_idx" ON "api_requests" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "api_requests_idempotency_idx" ON "api_requests" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "api_requests_job_idx" ON "api_requests" USING btree ("job_id","chunk_no");--> statement-breakpoint
CREATE INDEX "api_requests_recipients_idx" ON "api_requests" USING gin ("recipients");--> statement-breakpoint
CREATE INDEX "api_requests_message_ids_idx" ON "api_requests" USING gin ("message_ids");--> statement-breakpoint
CREATE INDEX "audit_events_action_target_idx" ON "audit_events" USING btree ("action","target","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_created_idx" ON "audit_events" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "batch_chunks_idempotency_key" ON "batch_chunks" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "batch_chunks_claim_idx" ON "batch_chunks" USING btree ("status","not_before");--> statement-breakpoint
CREATE INDEX "batch_jobs_created_idx" ON "batch_jobs" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "batch_rows_status_idx" ON "batch_rows" USING btree ("job_id","status");--> statement-breakpoint
CREATE INDEX "batch_rows_to_idx" ON "batch_rows" USING btree ("job_id","to_email");--> statement-breakpoint
CREATE INDEX "sandbox_idempotency_created_idx" ON "sandbox_idempotency" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sandbox_messages_seq_idx" ON "sandbox_messages" USING btree ("seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sandbox_messages_to_idx" ON "sandbox_messages" USING btree ("to_email");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_name_key" ON "templates" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");