ALTER TABLE "invitations" ADD COLUMN "failed_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Invitation codes used to travel in the path (/invitations/<code>), which the append-only audit log recorded:
-- every invitation still open when this release arrives is void, since its code may be in that log for good.
UPDATE "invitations" SET "used_at" = now() WHERE "used_at" IS NULL;
