CREATE TABLE "directive_facts" (
	"directive_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone DEFAULT 'infinity' NOT NULL,
	"state" text NOT NULL,
	"lead_agency_id" uuid NOT NULL,
	"coordinating_agency_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"due_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"conference_id" uuid,
	"issued_by" uuid,
	CONSTRAINT "directive_facts_directive_id_seq_pk" PRIMARY KEY("directive_id","seq")
);
--> statement-breakpoint
CREATE TABLE "published_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"rule_version" integer,
	"rule" jsonb NOT NULL,
	"report" jsonb NOT NULL,
	"note" text,
	"published_by" uuid NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"rule" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "directive_facts_open_idx" ON "directive_facts" USING btree ("valid_to","valid_from") WHERE "directive_facts"."state" = 'open';--> statement-breakpoint
CREATE INDEX "directive_facts_closed_idx" ON "directive_facts" USING btree ("valid_from") WHERE "directive_facts"."state" <> 'open';--> statement-breakpoint
CREATE INDEX "directive_facts_current_idx" ON "directive_facts" USING btree ("directive_id") WHERE "directive_facts"."valid_to" = 'infinity';--> statement-breakpoint
CREATE UNIQUE INDEX "published_results_period_key" ON "published_results" USING btree ("period");