CREATE TABLE "directive_readers" (
	"directive_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directive_readers_directive_id_user_id_pk" PRIMARY KEY("directive_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "directives" ADD COLUMN "confidential" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "directive_readers" ADD CONSTRAINT "directive_readers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;