CREATE TABLE "search_words" (
	"word" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "search_entries_trgm_idx";--> statement-breakpoint
CREATE INDEX "search_words_word_idx" ON "search_words" USING btree ("word");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "search_entries" DROP COLUMN "search_text";--> statement-breakpoint
-- Hand-written: the words of the entries already published, which upsertEntry keeps from now on.
INSERT INTO "search_words" ("word")
SELECT DISTINCT unnest(tsvector_to_array("document")) FROM "search_entries" WHERE "status" = 'published';
