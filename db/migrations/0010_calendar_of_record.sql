CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"verified" boolean NOT NULL,
	"note" text,
	"occasions" jsonb NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_overrides" ADD COLUMN "source" jsonb;--> statement-breakpoint
-- The New Year 2026 swap shipped in 0001 is a decision of record: the loader (db/calendar-of-record.ts) keeps it current.
UPDATE "calendar_overrides" SET "source" = '{"kind":"decision","document":"Công văn số 12729/VPCP-KGVX","issuer":"Văn phòng Chính phủ","date":"2025-12-25"}'::jsonb WHERE "note" LIKE '%12729/VPCP-KGVX%';
