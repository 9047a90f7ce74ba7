ALTER TABLE "directives" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Rows projected before this column get a lower-cased copy; their next event folds diacritics too.
UPDATE "directives" SET "search_text" = lower("title" || ' ' || "body") WHERE "search_text" = '';
