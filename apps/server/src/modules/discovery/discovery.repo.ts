import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../platform/db.ts';
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

const e = searchEntries;

/**
 * How close the query must be to a word to count as a typo of it. Short queries have few
 * trigrams, so chance overlaps are common ("cold" is 0.6 from "collaboration"): they must be
 * closer. Longer ones keep pg_trgm's default, which the index answers ("kubrnetes" is 0.62
 * from "kubernetes", "postgress" 0.8 from "postgresql").
 */
const typoSimilarity = (q: string) => (q.length <= 4 ? 0.7 : 0.6);

/** Typo matching is the fallback: it runs only when the words as typed find fewer than this. */
const FEW_HITS = 5;

export const priceBand = sql<string>`case
  when ${e.fromMonthlyPrice} is null or ${e.fromMonthlyPrice} = 0 then 'free'
  when ${e.fromMonthlyPrice} < 50 then 'under-50'
  when ${e.fromMonthlyPrice} < 200 then '50-200'
  when ${e.fromMonthlyPrice} < 500 then '200-500'
  else 'over-500' end`;

export const leadBand = sql<string>`case
  when ${e.minLeadTimeDays} <= 1 then '1-day'
  when ${e.minLeadTimeDays} <= 5 then 'week'
  when ${e.minLeadTimeDays} <= 20 then 'month'
  else 'longer' end`;

export interface SearchParams {
  /** The lower-cased query and its words as a prefix tsquery ("post:* & db:*"). */
  text?: { q: string; prefix: string };
  category?: string;
  kind?: string;
  price?: string;
  leadTime?: string;
  limit: number;
  offset: number;
}

type Facet = 'category' | 'kind' | 'price' | 'leadTime';

export interface SearchPage {
  ids: string[];
  total: number;
  counts: Record<Facet, [value: string, count: number][]>;
}

/**
 * One statement: the text is matched once (its words as prefixes through the tsvector index;
 * typos through the trigram index, only when the words find little), then the page, the total
 * and every facet's counts are taken from that set. Each facet counts as if its own filter
 * were not set.
 */
export async function searchPage(ex: Executor, p: SearchParams): Promise<SearchPage> {
  const filter = (omit?: Facet) =>
    sql.join(
      [
        sql`true`,
        omit !== 'category' && p.category ? sql`${p.category} = any(m.path)` : undefined,
        omit !== 'kind' && p.kind ? sql`m.kind = ${p.kind}` : undefined,
        omit !== 'price' && p.price ? sql`m.price = ${p.price}` : undefined,
        omit !== 'leadTime' && p.leadTime ? sql`m.lead = ${p.leadTime}` : undefined,
      ].filter((x) => x !== undefined),
      sql` and `,
    );
  const t = p.text;
  const hits = t
    ? sql`prefix_hits as materialized (
          select ${e.serviceId} as id from ${e}
          where ${e.status} = 'published' and ${e.document} @@ to_tsquery('simple', ${t.prefix})),
        typo_hits as materialized (
          select ${e.serviceId} as id from ${e}
          where ${e.status} = 'published' and (select count(*) from prefix_hits) < ${FEW_HITS}
            and ${t.q} <% ${e.searchText} and word_similarity(${t.q}, ${e.searchText}) >= ${typoSimilarity(t.q)}),`
    : sql``;
  // Words found as typed rank by the tsvector's weights (name over tags over description) and
  // a name that starts with the query; typo hits, which have no tsvector match, by how close
  // the name and then the tags come to the query. Costly similarity is only paid for those.
  const score = t
    ? sql`case when ${e.serviceId} in (select id from prefix_hits)
          then 3 + ts_rank(${e.document}, to_tsquery('simple', ${t.prefix})) * 2
               + case when lower(${e.name}) like ${`${t.q}%`} then 1 else 0 end
          else word_similarity(${t.q}, lower(${e.name})) * 2 + word_similarity(${t.q}, ${e.searchText}) end`
    : sql`0`;
  const matchedWhere = t
    ? sql`${e.serviceId} in (select id from prefix_hits union select id from typo_hits)`
    : sql`${e.status} = 'published'`;
  const counts = (facet: Facet, value: SQL) =>
    sql`(select coalesce(json_agg(json_build_array(v, n)), '[]'::json)
         from (select ${value} as v, count(*)::int as n from matched m where ${filter(facet)} group by 1) x)`;
  const [row] = rowsOf<{ ids: string[]; total: number } & Record<Facet, [string, number][]>>(
    await ex.execute(sql`
      with ${hits}
      matched as materialized (
        select ${e.serviceId} as id, ${e.kind} as kind, ${e.categoryPath} as path, ${priceBand} as price,
               ${leadBand} as lead, ${e.popularity} as popularity, ${e.name} as name, ${score} as score
        from ${e} where ${matchedWhere}),
      filtered as (select * from matched m where ${filter()})
      select
        (select coalesce(json_agg(f.id order by f.score desc, f.popularity desc, f.name), '[]'::json)
           from (select * from filtered order by score desc, popularity desc, name
                 limit ${p.limit} offset ${p.offset}) f) as ids,
        (select count(*)::int from filtered) as total,
        ${counts('category', sql`unnest(m.path)`)} as category,
        ${counts('kind', sql`m.kind`)} as kind,
        ${counts('price', sql`m.price`)} as price,
        ${counts('leadTime', sql`m.lead`)} as "leadTime"`),
  );
  return {
    ids: row!.ids,
    total: row!.total,
    counts: { category: row!.category, kind: row!.kind, price: row!.price, leadTime: row!.leadTime },
  };
}

export function byIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.select().from(e).where(inArray(e.serviceId, ids));
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
