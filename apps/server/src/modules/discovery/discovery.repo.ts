import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import {
  executeNamed,
  namedStatement,
  rowsOf,
  type Executor,
  type NamedStatement,
} from '../../platform/db.ts';
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

/** One more order for each service; rows are locked in id order, so concurrent counts cannot deadlock. */
export async function addPopularity(ex: Executor, serviceIds: string[]) {
  for (const id of [...new Set(serviceIds)].sort()) {
    await ex
      .update(searchEntries)
      .set({ popularity: sql`${searchEntries.popularity} + 1` })
      .where(eq(searchEntries.serviceId, id));
  }
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

/** A page's service, as listings show it (ServiceSummary's fields). */
export interface SummaryRow {
  slug: string;
  name: string;
  tagline: string;
  kind: string;
  icon: string;
  tags: string[];
  category: { slug: string; name: string };
  fromMonthlyPrice: string | null;
  fromOneTimePrice: string | null;
  currency: string;
  minLeadTimeDays: number | null;
  popularity: number;
  status: string;
}

export interface SearchPage {
  items: SummaryRow[];
  total: number;
  /**
   * Counts per facet value. A category's count includes its sub-categories' services (each
   * service counts for its category and every ancestor, as the category filter matches).
   */
  counts: Record<Facet, [value: string, count: number][]>;
}

/** Which parts the statement has: the same shape is the same text, built once. */
interface Shape {
  text: boolean;
  category: boolean;
  kind: boolean;
  price: boolean;
  leadTime: boolean;
}

/**
 * One statement: the matching services are found once, then the page (with the summaries'
 * columns), the total and every facet's counts are taken from that set. Each facet counts as
 * if its own filter were not set.
 *
 * With a query, the words are matched as prefixes through the tsvector index, and typos through
 * the trigram index only when the words find little; each hit is scored where it is found.
 * Without one, a category filter goes into the match itself (the GIN index on the category
 * path), and the category facet, which ignores that filter, is counted per category on the
 * browse index instead.
 *
 * Values are placeholders: the statement is built once per shape (drizzle took 0.1-0.15 ms of
 * CPU to build it, more under load) and runs as a named statement, so each connection plans
 * each shape a few times and then keeps a plan (planning took 2-4 ms, a quarter of the
 * statement's time).
 */
function searchStatement(shape: Shape): NamedStatement {
  const v = (name: string) => sql.placeholder(name);
  // Without a query, the category filter is part of the match (never applied again).
  const categoryInMatch = !shape.text && shape.category;
  const filter = (omit?: Facet) =>
    sql.join(
      [
        sql`true`,
        omit !== 'category' && shape.category && !categoryInMatch
          ? sql`m.path @> array[${v('category')}]::text[]`
          : undefined,
        omit !== 'kind' && shape.kind ? sql`m.kind = ${v('kind')}` : undefined,
        omit !== 'price' && shape.price ? sql`m.price = ${v('price')}` : undefined,
        omit !== 'leadTime' && shape.leadTime ? sql`m.lead = ${v('leadTime')}` : undefined,
      ].filter((x) => x !== undefined),
      sql` and `,
    );
  const columns = sql`${e.serviceId} as id, ${e.kind} as kind, ${e.categorySlug} as slug, ${e.categoryPath} as path,
    ${priceBand} as price, ${leadBand} as lead, ${e.popularity} as popularity, ${e.name} as name`;
  // Words found as typed rank by the tsvector's weights (name over tags over description) and
  // a name that starts with the query; typo hits, which have no tsvector match, by how close
  // the name and then the tags come to the query. Costly similarity is only paid for those,
  // and once per row: `search_text %> q` is the trigram index's own form (the heap recheck is
  // the only other computation), `offset 0` keeps the planner from inlining the subquery and
  // computing the similarities again for the score, and the stricter threshold of short
  // queries is checked on the value already computed.
  const match = shape.text
    ? sql`prefix_hits as materialized (
          select ${columns}, 3 + ts_rank(${e.document}, to_tsquery('simple', ${v('prefix')})) * 2
                 + case when lower(${e.name}) like ${v('startsWith')} then 1 else 0 end as score
          from ${e}
          where ${e.status} = 'published' and ${e.document} @@ to_tsquery('simple', ${v('prefix')})),
        typo_hits as materialized (
          select *, close * 2 + similarity as score from (
            select ${columns}, word_similarity(${v('q')}, ${e.searchText}) as similarity,
                   word_similarity(${v('q')}, lower(${e.name})) as close
            from ${e}
            where ${e.status} = 'published' and (select count(*) from prefix_hits) < ${FEW_HITS}
              and ${e.searchText} %> ${v('q')} and ${e.serviceId} not in (select id from prefix_hits)
            offset 0) s),
        matched as not materialized (
          select * from prefix_hits
          union all
          select id, kind, slug, path, price, lead, popularity, name, score from typo_hits
          where similarity >= ${v('similarity')})`
    : sql`matched as materialized (
          select ${columns}, 0 as score from ${e}
          where ${e.status} = 'published'${categoryInMatch ? sql` and ${e.categoryPath} @> array[${v('category')}]::text[]` : sql``})`;
  const counts = (facet: Facet, value: SQL) =>
    sql`(select coalesce(json_agg(json_build_array(v, n)), '[]'::json)
         from (select ${value} as v, count(*)::int as n from matched m where ${filter(facet)} group by 1) x)`;
  // Per category, then each category's count also goes to its ancestors (its path).
  const perCategory = categoryInMatch
    ? sql`select ${e.categorySlug} as slug, count(*) as n from ${e}
          where ${e.status} = 'published'${shape.kind ? sql` and ${e.kind} = ${v('kind')}` : sql``}${
            shape.price ? sql` and ${priceBand} = ${v('price')}` : sql``
          }${shape.leadTime ? sql` and ${leadBand} = ${v('leadTime')}` : sql``}
          group by 1`
    : sql`select m.slug, count(*) as n from matched m where ${filter('category')} group by 1`;
  const pathOf = sql`(select x.category_path from ${e} x where x.status = 'published' and x.category_slug = c.slug limit 1)`;
  return namedStatement(
    'search',
    sql`
      with ${match},
      filtered as (select * from matched m where ${filter()}),
      page as (select id, score, popularity, name from filtered
               order by score desc, popularity desc, name, id limit ${v('limit')} offset ${v('offset')})
      select
        (select coalesce(json_agg(json_build_object(
            'slug', ${e.slug}, 'name', ${e.name}, 'tagline', ${e.tagline}, 'kind', ${e.kind}, 'icon', ${e.icon},
            'tags', ${e.tags}, 'category', json_build_object('slug', ${e.categorySlug}, 'name', ${e.categoryName}),
            'fromMonthlyPrice', ${e.fromMonthlyPrice}::text, 'fromOneTimePrice', ${e.fromOneTimePrice}::text,
            'currency', ${e.currency}, 'minLeadTimeDays', ${e.minLeadTimeDays}, 'popularity', ${e.popularity},
            'status', ${e.status})
            order by page.score desc, page.popularity desc, page.name, page.id), '[]'::json)
           from page join ${e} on ${e.serviceId} = page.id) as items,
        (select count(*)::int from filtered) as total,
        (select coalesce(json_agg(json_build_array(v, n)), '[]'::json)
           from (select unnest(${pathOf}) as v, sum(c.n)::int as n from (${perCategory}) c group by 1) x) as category,
        ${counts('kind', sql`m.kind`)} as kind,
        ${counts('price', sql`m.price`)} as price,
        ${counts('leadTime', sql`m.lead`)} as "leadTime"`,
  );
}

const statements = new Map<string, NamedStatement>();

export async function searchPage(ex: Executor, p: SearchParams): Promise<SearchPage> {
  const shape: Shape = {
    text: p.text !== undefined,
    category: Boolean(p.category),
    kind: p.kind !== undefined,
    price: p.price !== undefined,
    leadTime: p.leadTime !== undefined,
  };
  const key = JSON.stringify(shape);
  let statement = statements.get(key);
  if (!statement) statements.set(key, (statement = searchStatement(shape)));
  const t = p.text;
  const [row] = rowsOf<{ items: SummaryRow[]; total: number } & Record<Facet, [string, number][]>>(
    await executeNamed(ex, statement, {
      ...(t ? { q: t.q, prefix: t.prefix, startsWith: `${t.q}%`, similarity: typoSimilarity(t.q) } : {}),
      ...(p.category ? { category: p.category } : {}),
      ...(p.kind !== undefined ? { kind: p.kind } : {}),
      ...(p.price !== undefined ? { price: p.price } : {}),
      ...(p.leadTime !== undefined ? { leadTime: p.leadTime } : {}),
      limit: p.limit,
      offset: p.offset,
    }),
  );
  return {
    items: row!.items,
    total: row!.total,
    counts: { category: row!.category, kind: row!.kind, price: row!.price, leadTime: row!.leadTime },
  };
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
