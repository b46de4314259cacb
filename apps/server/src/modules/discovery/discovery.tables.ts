import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { services } from '../catalog/catalog.tables.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The search index: one row per service, written whenever the catalogue changes, so a
 * listing or a search reads one table. `document` weighs the name (A) over tags and tagline
 * (B), the category (C) and the description (D).
 */
export const searchEntries = pgTable(
  'search_entries',
  {
    serviceId: uuid('service_id')
      .primaryKey()
      .references(() => services.id),
    slug: text('slug').notNull(),
    status: text('status').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    tagline: text('tagline').notNull(),
    icon: text('icon').notNull(),
    tags: text('tags').array().notNull(),
    categorySlug: text('category_slug').notNull(),
    categoryName: text('category_name').notNull(),
    /** The category and its ancestors, so a parent category lists its children's services. */
    categoryPath: text('category_path').array().notNull(),
    description: text('description').notNull(),
    featured: boolean('featured').notNull(),
    fromMonthlyPrice: numeric('from_monthly_price', { precision: 20, scale: 9 }),
    fromOneTimePrice: numeric('from_one_time_price', { precision: 20, scale: 9 }),
    currency: text('currency').notNull(),
    minLeadTimeDays: integer('min_lead_time_days'),
    popularity: integer('popularity').notNull().default(0),
    firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
    document: tsvector('document').notNull(),
  },
  (t) => [
    index('search_entries_document_idx').using('gin', t.document),
    index('search_entries_category_idx').using('gin', t.categoryPath),
    index('search_entries_listing_idx').on(t.status, t.name),
    // Listing and facet counts per category read only this index (an index-only scan once the
    // table is vacuumed): the category, and the columns the other facets filter on. Not
    // popularity, which every order changes (an indexed column would make those updates
    // write every index).
    index('search_entries_browse_idx').on(
      t.status,
      t.categorySlug,
      t.kind,
      t.minLeadTimeDays,
      t.fromMonthlyPrice,
      t.categoryPath,
    ),
  ],
);

/**
 * The words (lexemes) of the published entries' documents, which make search forgive typos: a
 * query word that no word here starts with is looked up by trigram similarity, and the close
 * words are then searched for in `document` (pg_trgm's "Text Search Integration"). Kept by
 * upsertEntry, in the transaction that writes the entry.
 *
 * No primary key: with one, two transactions adding the same new word wait for each other, and
 * deadlock when each adds a word the other added first (two catalogue imports at once). Without,
 * such a word may be in twice, which the lookup does not mind.
 */
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').notNull(),
  },
  (t) => [
    index('search_words_word_idx').on(t.word),
    index('search_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`),
  ],
);
