CREATE TYPE "public"."assignment_role" AS ENUM('lead', 'coordinating');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('leader', 'officer', 'supervisor', 'admin');--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"parent_id" uuid,
	"supervisor_id" uuid,
	"successor_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"directive_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"role" "assignment_role" NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "assignments_directive_id_agency_id_role_assigned_at_pk" PRIMARY KEY("directive_id","agency_id","role","assigned_at")
);
--> statement-breakpoint
CREATE TABLE "conferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" text DEFAULT 'giao_ban' NOT NULL,
	"held_on" date,
	"chair" text,
	"conclusion_ref" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directive_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"directive_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directives" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"conference_id" uuid,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"lead_agency_id" uuid NOT NULL,
	"status" text NOT NULL,
	"timeliness" text NOT NULL,
	"due_at" timestamp with time zone,
	"next_deadline_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"last_seq" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"role" "role" NOT NULL,
	"agency_id" uuid,
	"token_hash" text NOT NULL,
	"language" text DEFAULT 'vi' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_parent_id_agencies_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_supervisor_id_agencies_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_successor_id_agencies_id_fk" FOREIGN KEY ("successor_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_directive_id_directives_id_fk" FOREIGN KEY ("directive_id") REFERENCES "public"."directives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directives" ADD CONSTRAINT "directives_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directives" ADD CONSTRAINT "directives_lead_agency_id_agencies_id_fk" FOREIGN KEY ("lead_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_code_key" ON "agencies" USING btree ("code");--> statement-breakpoint
CREATE INDEX "agencies_supervisor_idx" ON "agencies" USING btree ("supervisor_id");--> statement-breakpoint
CREATE INDEX "assignments_agency_idx" ON "assignments" USING btree ("agency_id") WHERE "assignments"."ended_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "directive_events_directive_seq_key" ON "directive_events" USING btree ("directive_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "directives_workflow_id_key" ON "directives" USING btree ("workflow_id");--> statement-breakpoint
CREATE INDEX "directives_status_idx" ON "directives" USING btree ("status");--> statement-breakpoint
CREATE INDEX "directives_timeliness_idx" ON "directives" USING btree ("timeliness");--> statement-breakpoint
CREATE INDEX "directives_lead_agency_idx" ON "directives" USING btree ("lead_agency_id");--> statement-breakpoint
CREATE INDEX "directives_due_at_idx" ON "directives" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "directives_conference_idx" ON "directives" USING btree ("conference_id");--> statement-breakpoint
CREATE INDEX "directives_issued_at_id_idx" ON "directives" USING btree ("issued_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_token_hash_key" ON "users" USING btree ("token_hash");