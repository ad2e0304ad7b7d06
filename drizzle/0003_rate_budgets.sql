CREATE TABLE "rate_budgets" (
	"scope" text PRIMARY KEY NOT NULL,
	"profile" text NOT NULL,
	"limit" integer NOT NULL,
	"window_ends_at" bigint,
	"taken" integer DEFAULT 0 NOT NULL,
	"batch_taken" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"next_batch_at" bigint,
	"paused_until" bigint,
	"last_interactive_at" bigint,
	"upstream_remaining" integer,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_rate_windows" (
	"scope" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL,
	"allowed" boolean NOT NULL
);
