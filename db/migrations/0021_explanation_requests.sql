CREATE TABLE "explanation_requests" (
	"directive_id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"agency_id" uuid NOT NULL,
	"deadline_key" text NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_late" boolean,
	"closed_at" timestamp with time zone,
	"accepted" boolean,
	CONSTRAINT "explanation_requests_directive_id_request_id_pk" PRIMARY KEY("directive_id","request_id")
);
--> statement-breakpoint
CREATE INDEX "explanation_requests_requested_idx" ON "explanation_requests" USING btree ("requested_at");