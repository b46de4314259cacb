import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import {
  executeNamed,
  namedStatement,
  rowsOf,
  type Executor,
  type NamedStatement,
} from '../../platform/db.ts';
import { searchEntries, searchWords } from './discovery.tables.ts';

export type EntryRow = typeof searchEntries.$inferSelect;
export type NewEntry = Omit<typeof searchEntries.$inferInsert, 'document' | 'popularity'>;

/**
 * A lexeme as a tsquery that stands for exactly that lexeme, however the parser made it
 * (`wiki.example.com`, `key-value`, `it's`): quoted, with quotes and backslashes doubled.
 */
const lexemeQuery = (word: SQL) =>
  sql`('''' || replace(replace(${word}, chr(92), chr(92) || chr(92)), '''', '''''') || '''')::tsquery`;

/**
 * Writes a service's index entry (its popularity, counted from orders, is kept) and keeps the
 * word dictionary behind typo matching: a published entry's words go in; the words it no longer
 * has (all of them, once it is no longer published) go out unless a published entry still has
 * them.
 */
export async function upsertEntry(ex: Executor, row: NewEntry) {
  const e = searchEntries;
  const [before] = await ex
    .select({ words: sql<string[]>`tsvector_to_array(${e.document})` })
    .from(e)
    .where(and(eq(e.serviceId, row.serviceId), eq(e.status, 'published')));
  const values = {
    ...row,
    document: sql`setweight(to_tsvector('simple', ${row.name}), 'A')
      || setweight(to_tsvector('simple', ${row.tags.join(' ')} || ' ' || ${row.tagline}), 'B')
      || setweight(to_tsvector('simple', ${row.categoryName}), 'C')
      || setweight(to_tsvector('simple', ${row.description}), 'D')`,
  };
  const { serviceId: _id, ...set } = values;
  const [after] = await ex
    .insert(e)
    .values(values)
    .onConflictDoUpdate({ target: e.serviceId, set })
    .returning({ words: sql<string[]>`tsvector_to_array(${e.document})` });
  const words = row.status === 'published' ? after!.words : [];
  // Every word, not only the new ones: a word lost to the race below comes back this way.
  if (words.length)
    await ex.execute(sql`insert into ${searchWords} (word)
      select w from unnest(${sql.param(words)}::text[]) w
      where not exists (select 1 from ${searchWords} s where s.word = w)`);
  const kept = new Set(words);
  const gone = (before?.words ?? []).filter((w) => !kept.has(w));
  // Whether another published entry has the word: one lookup in the tsvector index each. Two
  // transactions at once do not see each other's entries: a word both drop may stay (it only
  // costs a lookup that finds nothing), and a word one drops while the other publishes it
  // anew goes until an entry with it is written again.
  if (gone.length)
    await ex.execute(sql`delete from ${searchWords} w
      where w.word = any(${sql.param(gone)}::text[])
        and not exists (select 1 from ${e} x
                        where x.status = 'published' and x.document @@ ${lexemeQuery(sql`w.word`)})`);
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
 * How close (pg_trgm's word_similarity) a query word must be to an indexed word to count as a
 * typo of it. Short words have few trigrams, so chance overlaps are common ("cold" is 0.6 from
 * "collaboration"): they must be closer. Longer ones keep pg_trgm's default, which the index
 * answers ("kubrnetes" is 0.62 from "kubernetes", "postgress" 0.8 from "postgresql").
 */
const typoCloseness = (word: string) => (word.length <= 4 ? 0.7 : 0.6);

/** Typo matching is the fallback: it runs only when the words as typed find fewer than this. */
const FEW_HITS = 5;

/** How many indexed words a misspelt word may stand for, the closest first. */
const CORRECTIONS = 5;

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
  /**
   * The lower-cased query, its words, and the words as a prefix tsquery ("post:* & db:*").
   */
  text?: { q: string; words: string[]; prefix: string };
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
  /** The filters the match has not applied, leaving out `omit`'s own. */
  const conditions = (omit?: Facet) =>
    [
      omit !== 'category' && shape.category && !categoryInMatch
        ? sql`m.path @> array[${v('category')}]::text[]`
        : undefined,
      omit !== 'kind' && shape.kind ? sql`m.kind = ${v('kind')}` : undefined,
      omit !== 'price' && shape.price ? sql`m.price = ${v('price')}` : undefined,
      omit !== 'leadTime' && shape.leadTime ? sql`m.lead = ${v('leadTime')}` : undefined,
    ].filter((x) => x !== undefined);
  const filter = (omit?: Facet) => sql.join([sql`true`, ...conditions(omit)], sql` and `);
  // A filter the match has not applied (then the page and the total read the filtered rows).
  const filtered = (shape.category && !categoryInMatch) || shape.kind || shape.price || shape.leadTime;
  // The category path only where the category filter needs it: every column is copied for
  // every match (4,743 rows for `backup`).
  const columns = sql`${e.serviceId} as id, ${e.kind} as kind, ${e.categorySlug} as slug,${
    shape.category && !categoryInMatch ? sql` ${e.categoryPath} as path,` : sql``
  } ${priceBand} as price, ${leadBand} as lead, ${e.popularity} as popularity, ${e.name} as name`;
  // Words found as typed rank by the tsvector's weights (name over tags over description) and
  // a name that starts with the query. Typos are the fallback, when those find fewer than
  // FEW_HITS services: each query word that no indexed word starts with is replaced by the
  // indexed words closest to it (the trigram index on search_words, a few thousand short
  // strings rather than every entry), and the words are then searched for in `document` like
  // any others, through its index. Typo hits rank by how close their corrected words are (per
  // query word the closest correction the entry has, multiplied), then by the tsvector's
  // weights, always below the words found as typed. Each tsquery is made once, in a scalar
  // subquery: a function of a parameter in the select list runs for every row (to_tsquery
  // cost 0.8 us a row, 4 ms of 20 for `backup`).
  const match = shape.text
    ? sql`prefix_query as (select to_tsquery('simple', ${v('prefix')}) as query),
        prefix_hits as materialized (
          select ${columns}, 3 + ts_rank(${e.document}, (select query from prefix_query)) * 2
                 + case when lower(left(${e.name}, ${v('length')})) = ${v('q')} then 1 else 0 end as score
          from ${e}
          where ${e.status} = 'published' and ${e.document} @@ (select query from prefix_query)),
        typed as materialized (
          -- A word is found as typed when an indexed word starts with it (words are letters and
          -- digits: nothing in them is special to like).
          select w.i, w.word, w.closeness,
                 not exists (select 1 from ${searchWords} s where s.word like w.word || '%') as fix
          from unnest(${v('words')}::text[], ${v('closeness')}::real[]) with ordinality as w(word, closeness, i)
          where (select count(*) from (select from prefix_hits limit ${FEW_HITS}) p) < ${FEW_HITS}),
        fixes as materialized (
          select t.i, f.word, f.close, ${lexemeQuery(sql`f.word`)} as query
          from typed t cross join lateral (
            select s.word, word_similarity(t.word, s.word) as close from ${searchWords} s
            where t.fix and s.word %> t.word and word_similarity(t.word, s.word) >= t.closeness
            group by s.word
            order by similarity(s.word, t.word) desc, s.word
            limit ${CORRECTIONS}) f),
        typo_query as materialized (
          select case when bool_and(part is not null) and bool_or(fix)
                      then string_agg(part, ' & ' order by i)::tsquery end as query,
                 -- The same for every hit when each word's corrections are equally close
                 -- ("monitr": monitor, monitored, monitoring), as they mostly are.
                 (select case when bool_and(lo = hi) then exp(sum(ln(hi))) end
                  from (select min(close) as lo, max(close) as hi from fixes group by i) c) as close
          from (select t.i, t.fix,
                       case when t.fix then (select '(' || string_agg(f.query::text, ' | ') || ')' from fixes f where f.i = t.i)
                            else ${lexemeQuery(sql`t.word`)}::text || ':*' end as part
                from typed t) p),
        typo_hits as materialized (
          select ${columns},
                 least(2 * coalesce((select close from typo_query),
                                    (select exp(sum(ln(b.close))) from (
                                       select max(f.close) as close from fixes f
                                       where ${e.document} @@ f.query group by f.i) b))
                       + ts_rank(${e.document}, (select query from typo_query)), 2.99) as score
          from ${e}
          where ${e.status} = 'published' and ${e.document} @@ (select query from typo_query)
            and ${e.serviceId} not in (select id from prefix_hits)),
        matched as not materialized (select * from prefix_hits union all select * from typo_hits)`
    : sql`matched as materialized (
          select ${columns}, 0 as score from ${e}
          where ${e.status} = 'published'${categoryInMatch ? sql` and ${e.categoryPath} @> array[${v('category')}]::text[]` : sql``})`;
  // Every facet in one pass over the matches (grouping sets), each counting the rows that pass
  // every filter but its own. Every distinct aggregate is computed for every set, so a facet
  // with no filter to apply counts with the one plain count(*) (four filtered counts cost 1 ms
  // of 11 for `backup`). The category listing counts its categories on the browse index.
  const sets: [Facet, SQL][] = [
    ...(categoryInMatch ? [] : [['category', sql`m.slug`] as [Facet, SQL]]),
    ['kind', sql`m.kind`],
    ['price', sql`m.price`],
    ['leadTime', sql`m.lead`],
  ];
  const perSet = (value: (facet: Facet, column: SQL) => SQL) =>
    sql`case ${sql.join(
      sets.map(([facet, column]) => sql`when grouping(${column}) = 0 then ${value(facet, column)}`),
      sql` `,
    )} end`;
  const counts = sql`counts as (
          select ${perSet((facet) => sql.raw(`'${facet}'`))} as facet, ${perSet((_, column) => column)} as v,
                 ${perSet((facet) => (conditions(facet).length ? sql`count(*) filter (where ${filter(facet)})` : sql`count(*)`))}::int as n
          from matched m
          group by grouping sets (${sql.join(
            sets.map(([, column]) => sql`(${column})`),
            sql`, `,
          )}))`;
  const facet = (name: Facet) =>
    sql`(select coalesce(json_agg(json_build_array(v, n)), '[]'::json) from counts where facet = ${sql.raw(`'${name}'`)} and n > 0)`;
  // Per category, then each category's count also goes to its ancestors (its path).
  const perCategory = categoryInMatch
    ? sql`select ${e.categorySlug} as slug, count(*) as n from ${e}
          where ${e.status} = 'published'${shape.kind ? sql` and ${e.kind} = ${v('kind')}` : sql``}${
            shape.price ? sql` and ${priceBand} = ${v('price')}` : sql``
          }${shape.leadTime ? sql` and ${leadBand} = ${v('leadTime')}` : sql``}
          group by 1`
    : sql`select v as slug, n from counts where facet = 'category' and n > 0`;
  const pathOf = sql`(select x.category_path from ${e} x where x.status = 'published' and x.category_slug = c.slug limit 1)`;
  const rows = filtered ? sql`filtered` : sql`matched`;
  return namedStatement(
    'search',
    sql`
      with ${match},
      ${counts},${filtered ? sql`\n      filtered as (select * from matched m where ${filter()}),` : sql``}
      page as (select id, score, popularity, name from ${rows}
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
        (select count(*)::int from ${rows}) as total,
        (select coalesce(json_agg(json_build_array(v, n)), '[]'::json)
           from (select unnest(${pathOf}) as v, sum(c.n)::int as n from (${perCategory}) c group by 1) x) as category,
        ${facet('kind')} as kind,
        ${facet('price')} as price,
        ${facet('leadTime')} as "leadTime"`,
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
      ...(t
        ? {
            prefix: t.prefix,
            q: t.q,
            length: [...t.q].length,
            words: t.words,
            closeness: t.words.map(typoCloseness),
          }
        : {}),
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
