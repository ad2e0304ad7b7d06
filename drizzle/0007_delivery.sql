CREATE TABLE "delivery_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivery_attempt" integer,
	"team_public_id" text,
	"sendmux_message_id" text,
	"provider_message_id" text,
	"message_id_kind" text,
	"sender" text,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"bounce_type" text,
	"bounce_subtype" text,
	"complaint_type" text,
	"complaint_subtype" text,
	"reject_reason" text,
	"delay_type" text,
	"delay_expires_at" text,
	"payload" jsonb NOT NULL,
	"message_id" text,
	"match" text,
	"correlated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_status" (
	"message_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"status_at" timestamp with time zone NOT NULL,
	"event_id" text NOT NULL,
	"match" text NOT NULL,
	"event_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"message_id" text,
	"body" text NOT NULL,
	"state" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status" integer,
	"last_error" text,
	"last_latency_ms" integer,
	"last_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "delivery_events_occurred_idx" ON "delivery_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "delivery_events_received_idx" ON "delivery_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "delivery_events_sendmux_message_idx" ON "delivery_events" USING btree ("sendmux_message_id");--> statement-breakpoint
CREATE INDEX "delivery_events_message_idx" ON "delivery_events" USING btree ("message_id","occurred_at");--> statement-breakpoint
CREATE INDEX "delivery_events_provider_message_idx" ON "delivery_events" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "delivery_events_recipients_idx" ON "delivery_events" USING gin ("recipients");--> statement-breakpoint
CREATE INDEX "delivery_events_pending_idx" ON "delivery_events" USING btree ("received_at") WHERE correlated_at IS NULL;--> statement-breakpoint
CREATE INDEX "sandbox_webhook_due_idx" ON "sandbox_webhook_deliveries" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "sandbox_webhook_message_idx" ON "sandbox_webhook_deliveries" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "sandbox_webhook_created_idx" ON "sandbox_webhook_deliveries" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "batch_rows_message_idx" ON "batch_rows" USING btree ("message_id");