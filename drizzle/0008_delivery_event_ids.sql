CREATE TABLE "delivery_event_ids" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "delivery_event_ids_received_idx" ON "delivery_event_ids" USING btree ("received_at");--> statement-breakpoint
-- Events stored before this table existed keep their place in the duplicate check.
INSERT INTO "delivery_event_ids" ("event_id", "received_at") SELECT "event_id", "received_at" FROM "delivery_events" ON CONFLICT DO NOTHING;