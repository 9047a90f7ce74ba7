CREATE TABLE "calendar_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dates" jsonb NOT NULL,
	"cause" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"examined" integer,
	"moved" integer
);
--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "planned_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "planned_until" timestamp with time zone;--> statement-breakpoint
-- Directives recorded before the columns: the span of every plan they were ever given (a rung lies after its
-- due instant, a reminder before it). A plan an extension later changed still counts: a calendar change then
-- asks a directive with nothing to move, which moves nothing.
UPDATE "directives" AS d SET "planned_from" = p."from", "planned_until" = p."until"
FROM (
	SELECT e."directive_id",
		min(LEAST((dl->>'dueAt')::timestamptz, COALESCE((dl->'reminders'->>0)::timestamptz, (dl->>'dueAt')::timestamptz))) AS "from",
		max(GREATEST((dl->>'dueAt')::timestamptz, COALESCE((dl->'escalations'->>-1)::timestamptz, (dl->>'dueAt')::timestamptz))) AS "until"
	FROM "directive_events" AS e, jsonb_array_elements(e."data"->'deadlines') AS dl
	WHERE e."type" IN ('issued', 'replanned') AND jsonb_typeof(e."data"->'deadlines') = 'array'
	GROUP BY e."directive_id"
) AS p
WHERE p."directive_id" = d."id";
