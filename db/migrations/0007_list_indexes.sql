-- Lists newest first (services/directive-reads.ts): each filter's column ahead of (issued_at, id); the old
-- one-column indexes are prefixes of the new ones. Building them locks writes to the two tables for a few
-- seconds at 100,000 directives (the migration runs in a transaction, so not CONCURRENTLY); reads go on.
DROP INDEX IF EXISTS "directives_timeliness_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "directives_lead_agency_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "assignments_agency_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "directives_issued_at_id_idx";--> statement-breakpoint
CREATE INDEX "assignments_current_idx" ON "assignments" USING btree ("directive_id","agency_id") WHERE "assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "directives_timeliness_issued_at_idx" ON "directives" USING btree ("timeliness","issued_at","id");--> statement-breakpoint
CREATE INDEX "directives_lead_agency_issued_at_idx" ON "directives" USING btree ("lead_agency_id","issued_at","id");--> statement-breakpoint
CREATE INDEX "assignments_agency_idx" ON "assignments" USING btree ("agency_id","directive_id") WHERE "assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "directives_issued_at_id_idx" ON "directives" USING btree ("issued_at","id","due_at","status");--> statement-breakpoint
-- pg_trgm is a contrib extension that ships with PostgreSQL (trusted: the database's owner may create it). Where it
-- cannot be created (a server without contrib, an embedded PGlite without the extension loaded), searches stay
-- correct and read every directive; running these two statements later adds the index.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS "directives_search_text_trgm_idx" ON "directives" USING gin ("search_text" gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'directives_search_text_trgm_idx not created (%): searching with q reads every directive', SQLERRM;
END
$$;
