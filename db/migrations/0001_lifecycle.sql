CREATE TABLE "calendar_overrides" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"directive_id" uuid NOT NULL,
	"deadline_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"agency_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"target_agency_id" uuid,
	"target_user_id" uuid,
	"target_label" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"directive_id" uuid NOT NULL,
	"deadline_key" text NOT NULL,
	"agency_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" uuid,
	"late" boolean NOT NULL,
	"summary" text NOT NULL,
	CONSTRAINT "reports_directive_id_deadline_key_agency_id_pk" PRIMARY KEY("directive_id","deadline_key","agency_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_rung_key" ON "escalations" USING btree ("directive_id","deadline_key","due_at","agency_id","level");--> statement-breakpoint
CREATE INDEX "escalations_target_agency_open_idx" ON "escalations" USING btree ("target_agency_id") WHERE "escalations"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "escalations_target_user_open_idx" ON "escalations" USING btree ("target_user_id") WHERE "escalations"."resolved_at" is null;--> statement-breakpoint
-- Tết Dương lịch 2026: 1/1–4/1, Friday 2/1 swapped with Saturday 10/1 (VPCP 12729/VPCP-KGVX, 25/12/2025).
INSERT INTO "calendar_overrides" ("date", "kind", "note") VALUES
  ('2026-01-02', 'day_off', 'Hoán đổi ngày làm việc Tết Dương lịch 2026 (12729/VPCP-KGVX)'),
  ('2026-01-10', 'working_day', 'Làm bù cho ngày 02/01/2026 (12729/VPCP-KGVX)')
ON CONFLICT DO NOTHING;
