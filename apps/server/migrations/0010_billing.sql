CREATE TABLE "billing_periods" (
	"month" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"closing_started_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"meter_key" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"currency" text NOT NULL,
	"model" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_cards_plan_meter_version_key" UNIQUE("plan_id","meter_key","version")
);
--> statement-breakpoint
CREATE TABLE "statement_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"statement_id" uuid NOT NULL,
	"line_key" text NOT NULL,
	"subscription_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"meter_key" text,
	"charge_period" text NOT NULL,
	"quantity" numeric(38, 9) NOT NULL,
	"unit_price" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"amount" numeric(20, 9) NOT NULL,
	"rate_card_id" uuid,
	"rate_card_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_lines_line_key_unique" UNIQUE("line_key"),
	CONSTRAINT "statement_lines_usage_has_meter" CHECK (("statement_lines"."kind" = 'fee') = ("statement_lines"."meter_key" is null) and ("statement_lines"."kind" = 'fee') = ("statement_lines"."rate_card_id" is null))
);
--> statement-breakpoint
CREATE TABLE "statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cost_centre_id" uuid NOT NULL,
	"period" text NOT NULL,
	"currency" text NOT NULL,
	"total" numeric(20, 9) DEFAULT '0' NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statements_cost_centre_period_currency_key" UNIQUE("cost_centre_id","period","currency")
);
--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_meter_key_meters_key_fk" FOREIGN KEY ("meter_key") REFERENCES "public"."meters"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_statement_id_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."statements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_meter_key_meters_key_fk" FOREIGN KEY ("meter_key") REFERENCES "public"."meters"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_rate_card_id_rate_cards_id_fk" FOREIGN KEY ("rate_card_id") REFERENCES "public"."rate_cards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_cost_centre_id_cost_centres_id_fk" FOREIGN KEY ("cost_centre_id") REFERENCES "public"."cost_centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statements" ADD CONSTRAINT "statements_period_billing_periods_month_fk" FOREIGN KEY ("period") REFERENCES "public"."billing_periods"("month") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_lines_statement_idx" ON "statement_lines" USING btree ("statement_id","id");--> statement-breakpoint
-- Written by hand (drizzle-kit has no triggers): a closed statement's lines are final, whatever code runs.
CREATE FUNCTION "statement_lines_refuse_closed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	statement uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD."statement_id" ELSE NEW."statement_id" END;
BEGIN
	IF EXISTS (SELECT 1 FROM "statements" WHERE "id" = statement AND "status" = 'closed')
		OR (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM "statements" WHERE "id" = OLD."statement_id" AND "status" = 'closed')) THEN
		RAISE EXCEPTION 'statement % is closed: its lines cannot change', statement USING ERRCODE = 'check_violation';
	END IF;
	IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "statement_lines_refuse_closed" BEFORE INSERT OR UPDATE OR DELETE ON "statement_lines" FOR EACH ROW EXECUTE FUNCTION "statement_lines_refuse_closed"();
