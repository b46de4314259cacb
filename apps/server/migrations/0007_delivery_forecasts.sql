CREATE TABLE "line_forecasts" (
	"order_line_id" uuid PRIMARY KEY NOT NULL,
	"expected_at" timestamp with time zone NOT NULL,
	"latest_at" timestamp with time zone NOT NULL,
	"runs" integer NOT NULL,
	"made_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "line_steps" ADD COLUMN "definition_key" text GENERATED ALWAYS AS (md5(definition::text)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "line_forecasts" ADD CONSTRAINT "line_forecasts_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_steps_history_idx" ON "line_steps" USING btree ("definition_key","finished_at") WHERE "line_steps"."status" = 'done';