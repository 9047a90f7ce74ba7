ALTER TABLE "directives" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "directives" ADD CONSTRAINT "directives_parent_id_directives_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."directives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directives_parent_idx" ON "directives" USING btree ("parent_id") WHERE "directives"."parent_id" is not null;