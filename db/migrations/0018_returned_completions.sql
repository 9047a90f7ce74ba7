ALTER TABLE "directives" ADD COLUMN "return_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "returned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "directives_returned_idx" ON "directives" USING btree ("issued_at","id") WHERE "directives"."returned";
--> statement-breakpoint
-- Directives recorded before: the returns counted from their histories; one stands returned when it is in
-- progress and its last completion event is a rejected review.
UPDATE "directives" d SET
  "return_count" = r.returns,
  "returned" = d.status = 'in_progress' AND r.last_rejected
FROM (
  SELECT e.directive_id,
    count(*) FILTER (WHERE e.type = 'completion_reviewed' AND (e.data->>'accepted')::boolean = false) AS returns,
    coalesce((array_agg(e.type = 'completion_reviewed' AND (e.data->>'accepted')::boolean = false ORDER BY e.seq DESC))[1], false) AS last_rejected
  FROM "directive_events" e
  WHERE e.type IN ('completion_submitted', 'completion_reviewed')
  GROUP BY e.directive_id
) r
WHERE r.directive_id = d.id AND r.returns > 0;
