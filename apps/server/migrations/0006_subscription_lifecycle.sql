CREATE TABLE "subscription_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"owner_id" uuid NOT NULL,
	"cost_centre_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"currency" text NOT NULL,
	"monthly_price" numeric(20, 9) NOT NULL,
	"actor_id" uuid,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_line_step_uq";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "lease_days" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "lease_grace_days" integer;--> statement-breakpoint
ALTER TABLE "line_steps" ADD COLUMN "undo_for" text;--> statement-breakpoint
ALTER TABLE "line_steps" ADD COLUMN "replaces_step_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "kind" text DEFAULT 'do' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "service_version" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "options" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "options_shown" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "credentials" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "lease_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "lease_grace_days" integer;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "purpose" text DEFAULT 'new' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_cost_centre_id_cost_centres_id_fk" FOREIGN KEY ("cost_centre_id") REFERENCES "public"."cost_centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscription_events_subscription_idx" ON "subscription_events" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE INDEX "subscription_events_at_idx" ON "subscription_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "subscriptions_cost_centre_idx" ON "subscriptions" USING btree ("cost_centre_id","started_at");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_line_step_kind_uq" UNIQUE("order_line_id","step","kind");--> statement-breakpoint
-- Subscriptions delivered before this migration: what their lines bought, their sealed
-- credentials (the last step that delivered any), and the start event billing reads.
UPDATE "subscriptions" s SET "service_version" = l."service_version", "options" = l."options", "options_shown" = l."options_shown"
  FROM "order_lines" l WHERE l."id" = s."order_line_id";--> statement-breakpoint
UPDATE "subscriptions" s SET "credentials" = (
  SELECT st."credentials" FROM "line_steps" st
   WHERE st."order_line_id" = s."order_line_id" AND st."credentials" IS NOT NULL
   ORDER BY st."position" DESC LIMIT 1);--> statement-breakpoint
ALTER TABLE "subscriptions" ALTER COLUMN "service_version" SET NOT NULL;--> statement-breakpoint
INSERT INTO "subscription_events" ("subscription_id", "kind", "at", "owner_id", "cost_centre_id", "plan_id", "quantity", "currency", "monthly_price")
  SELECT "id", 'start', "started_at", "owner_id", "cost_centre_id", "plan_id", "quantity", "currency", "monthly_price" FROM "subscriptions";--> statement-breakpoint
INSERT INTO "subscription_events" ("subscription_id", "kind", "at", "owner_id", "cost_centre_id", "plan_id", "quantity", "currency", "monthly_price")
  SELECT "id", 'end', "ended_at", "owner_id", "cost_centre_id", "plan_id", "quantity", "currency", "monthly_price" FROM "subscriptions" WHERE "ended_at" IS NOT NULL;
