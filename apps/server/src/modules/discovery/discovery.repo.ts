import { and, arrayContains, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { searchEntries } from './discovery.tables.ts';

export type EntryRow = typeof searchEntries.$inferSelect;
export type NewEntry = Omit<typeof searchEntries.$inferInsert, 'document' | 'searchText' | 'popularity'>;

/** Writes a service's index entry; its popularity, counted from orders, is kept. */
export async function upsertEntry(ex: Executor, row: NewEntry) {
  const e = searchEntries;
  const values = {
    ...row,
    searchText: sql`lower(${row.name} || ' ' || ${row.tags.join(' ')} || ' ' || ${row.categoryName})`,
    document: sql`setweight(to_tsvector('simple', ${row.name}), 'A')
      || setweight(to_tsvector('simple', ${row.tags.join(' ')} || ' ' || ${row.tagline}), 'B')
      || setweight(to_tsvector('simple', ${row.categoryName}), 'C')
      || setweight(to_tsvector('simple', ${row.description}), 'D')`,
  };
  const { serviceId: _id, ...set } = values;
  await ex.insert(e).values(values).onConflictDoUpdate({ target: e.serviceId, set });
}

export async function addPopularity(ex: Executor, serviceIds: string[]) {
  if (serviceIds.length === 0) return;
  await ex
    .update(searchEntries)
    .set({ popularity: sql`${searchEntries.popularity} + 1` })
    .where(inArray(searchEntries.serviceId, serviceIds));
}

export interface Filters {
  category?: string;
  kind?: string;
  price?: SQL;
  leadTime?: SQL;
}

const e = searchEntries;

/**
 * How close the query must be to a word to count as a typo of it. Short queries have few
 * trigrams, so chance overlaps are common ("cold" is 0.6 from "collaboration"): they must be
 * closer. Longer ones keep pg_trgm's default, which the index answers ("kubrnetes" is 0.62
 * from "kubernetes", "postgress" 0.8 from "postgresql").
 */
const typoSimilarity = (q: string) => (q.length <= 4 ? 0.7 : 0.6);

/**
 * A text query as SQL: every word as a prefix (as-you-type), or close to a word of the
 * name, tags or category (typos). `prefix` is a tsquery text built from sanitised words.
 */
export const textMatch = (q: string, prefix: string) =>
  sql`(${e.document} @@ to_tsquery('simple', ${prefix})
    or (${q} <% ${e.searchText} and word_similarity(${q}, ${e.searchText}) >= ${typoSimilarity(q)}))`;

export const textScore = (q: string, prefix: string) =>
  sql<number>`(ts_rank(${e.document}, to_tsquery('simple', ${prefix})) * 2
    + word_similarity(${q}, lower(${e.name})) * 2
    + word_similarity(${q}, ${e.searchText})
    + case when lower(${e.name}) like ${`${q}%`} then 1 else 0 end)`;

export function filterSql(f: Filters, omit?: keyof Filters): SQL | undefined {
  return and(
    eq(e.status, 'published'),
    omit !== 'category' && f.category ? arrayContains(e.categoryPath, [f.category]) : undefined,
    omit !== 'kind' && f.kind ? eq(e.kind, f.kind) : undefined,
    omit !== 'price' ? f.price : undefined,
    omit !== 'leadTime' ? f.leadTime : undefined,
  );
}

export function search(ex: Executor, where: SQL | undefined, order: SQL[], limit: number, offset: number) {
  return ex
    .select({ entry: e, total: sql<number>`count(*) over ()::int` })
    .from(e)
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
}

/** Counts per value of one facet, given a WHERE clause. */
export function facetCounts(ex: Executor, key: SQL, where: SQL | undefined) {
  return ex
    .select({ value: sql<string>`${key}`, count: sql<number>`count(*)::int` })
    .from(e)
    .where(where)
    .groupBy(sql`1`);
}

/** Services per category, a parent counting its sub-categories' services too. */
export function categoryFacet(ex: Executor, where: SQL | undefined) {
  return ex
    .select({ value: sql<string>`unnest(${e.categoryPath})`, count: sql<number>`count(*)::int` })
    .from(e)
    .where(where)
    .groupBy(sql`1`);
}

export function featured(ex: Executor, limit: number) {
  return ex
    .select()
    .from(e)
    .where(and(eq(e.status, 'published'), eq(e.featured, true)))
    .orderBy(desc(e.popularity), asc(e.name))
    .limit(limit);
}

export function newest(ex: Executor, limit: number) {
  return ex
    .select()
    .from(e)
    .where(and(eq(e.status, 'published'), isNotNull(e.firstPublishedAt)))
    .orderBy(desc(e.firstPublishedAt), asc(e.name))
    .limit(limit);
}

export function popular(ex: Executor, limit: number) {
  return ex
    .select()
    .from(e)
    .where(eq(e.status, 'published'))
    .orderBy(desc(e.popularity), asc(e.name))
    .limit(limit);
}

export function bySlugs(ex: Executor, slugs: string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return ex.select().from(e).where(inArray(e.slug, slugs));
}
