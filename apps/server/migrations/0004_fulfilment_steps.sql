CREATE TABLE "fulfilment_adapters" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"url" text NOT NULL,
	"username" text,
	"secret" text NOT NULL,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"max_attempts" integer DEFAULT 6 NOT NULL,
	"team_id" uuid NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"open_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outputs" json DEFAULT '{}'::json NOT NULL,
	"credentials" text,
	"progress" text,
	"note" text,
	"error" text,
	"callback_hash" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_steps_line_position_uq" UNIQUE("order_line_id","position")
);
--> statement-breakpoint
ALTER TABLE "fulfilment_plans" DROP CONSTRAINT "fulfilment_plans_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "fulfilment_plans" ADD COLUMN "steps" jsonb;--> statement-breakpoint
-- A plan's one manual task becomes its one manual step.
UPDATE "fulfilment_plans" AS fp SET "steps" = jsonb_build_array(jsonb_build_object(
  'type', 'manual',
  'name', fp.title,
  'stage', 'configuring',
  'team', (SELECT t.key FROM "teams" AS t WHERE t.id = fp.team_id),
  'instructions', fp.instructions,
  'checklist', '[]'::jsonb,
  'outputs', fp.output_fields));--> statement-breakpoint
ALTER TABLE "fulfilment_plans" ALTER COLUMN "steps" SET NOT NULL;--> statement-breakpoint
-- Lines already in fulfilment get their step: waiting while the task is open, done with its outputs.
INSERT INTO "line_steps" ("order_id", "order_line_id", "position", "definition", "status", "attempts", "outputs", "started_at", "finished_at")
SELECT t.order_id, t.order_line_id, t.step, fp.steps -> (t.step - 1),
       CASE WHEN t.status = 'done' THEN 'done' ELSE 'waiting' END, 1, t.outputs, t.created_at, t.completed_at
FROM "tasks" AS t
JOIN "order_lines" AS l ON l.id = t.order_line_id
JOIN "fulfilment_plans" AS fp ON fp.plan_id = l.plan_id;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "line_step_id" uuid;--> statement-breakpoint
UPDATE "tasks" AS t SET "line_step_id" = ls.id
FROM "line_steps" AS ls WHERE ls.order_line_id = t.order_line_id AND ls.position = t.step;--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "line_step_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "checklist" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "fulfilment_adapters" ADD CONSTRAINT "fulfilment_adapters_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_steps" ADD CONSTRAINT "line_steps_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_steps" ADD CONSTRAINT "line_steps_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_steps_order_idx" ON "line_steps" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "line_steps_callback_idx" ON "line_steps" USING btree ("callback_hash");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_line_step_id_line_steps_id_fk" FOREIGN KEY ("line_step_id") REFERENCES "public"."line_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfilment_plans" DROP COLUMN "team_id";--> statement-breakpoint
ALTER TABLE "fulfilment_plans" DROP COLUMN "title";--> statement-breakpoint
ALTER TABLE "fulfilment_plans" DROP COLUMN "instructions";--> statement-breakpoint
ALTER TABLE "fulfilment_plans" DROP COLUMN "output_fields";