CREATE TABLE "reorganisation_moves" (
	"reorganisation_id" uuid NOT NULL,
	"directive_id" uuid NOT NULL,
	"to_agency_id" uuid NOT NULL,
	"by" text NOT NULL,
	"keyword" text,
	CONSTRAINT "reorganisation_moves_reorganisation_id_directive_id_pk" PRIMARY KEY("reorganisation_id","directive_id")
);
--> statement-breakpoint
ALTER TABLE "reorganisations" ADD COLUMN "rules" jsonb;--> statement-breakpoint
ALTER TABLE "reorganisation_moves" ADD CONSTRAINT "reorganisation_moves_reorganisation_id_reorganisations_id_fk" FOREIGN KEY ("reorganisation_id") REFERENCES "public"."reorganisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorganisation_moves" ADD CONSTRAINT "reorganisation_moves_directive_id_directives_id_fk" FOREIGN KEY ("directive_id") REFERENCES "public"."directives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reorganisation_moves" ADD CONSTRAINT "reorganisation_moves_to_agency_id_agencies_id_fk" FOREIGN KEY ("to_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;