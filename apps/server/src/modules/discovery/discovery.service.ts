import {
  formatMoney,
  kindLabels,
  leadTimeBands,
  priceBands,
  type Comparison,
  type FacetValue,
  type Plan,
  type SearchResult,
  type ServiceDetail,
  type ServiceKind,
  type ServiceSummary,
  type Storefront,
} from '@portico/shared';
import Decimal from 'decimal.js';
import type { Executor, Tx } from '../../platform/db.ts';
import { invalid } from '../../platform/errors.ts';
import { categoryNames, getServicePage, indexable, listCategories, presentPlan } from '../catalog/index.ts';
import * as repo from './discovery.repo.ts';

// ---- the index ---------------------------------------------------------------------------

/** Re-reads a service from the catalogue into the search index. */
export async function reindex(tx: Tx, serviceId: string): Promise<void> {
  const s = await indexable(tx, serviceId);
  await repo.upsertEntry(tx, {
    serviceId,
    slug: s.service.slug,
    status: s.service.status,
    kind: s.service.kind,
    name: s.service.name,
    tagline: s.service.tagline,
    icon: s.service.icon,
    tags: s.service.tags,
    categorySlug: s.category.slug,
    categoryName: s.category.name,
    categoryPath: s.categoryPath,
    description: s.service.description,
    featured: s.service.featured,
    fromMonthlyPrice: s.fromMonthlyPrice,
    fromOneTimePrice: s.fromOneTimePrice,
    currency: s.currency,
    minLeadTimeDays: s.minLeadTimeDays,
    firstPublishedAt: s.service.firstPublishedAt,
  });
}

/** Counts an order towards the services' popularity ("most requested"). */
export const recordOrdered = (tx: Tx, serviceIds: string[]) => repo.addPopularity(tx, serviceIds);

const summary = (r: repo.EntryRow): ServiceSummary => ({
  slug: r.slug,
  name: r.name,
  tagline: r.tagline,
  kind: r.kind as ServiceKind,
  icon: r.icon,
  tags: r.tags,
  category: { slug: r.categorySlug, name: r.categoryName },
  fromMonthlyPrice: r.fromMonthlyPrice,
  fromOneTimePrice: r.fromOneTimePrice,
  currency: r.currency,
  minLeadTimeDays: r.minLeadTimeDays,
  popularity: r.popularity,
  status: r.status as ServiceSummary['status'],
});

// ---- search -------------------------------------------------------------------------------

type PriceBand = (typeof priceBands)[number];
type LeadBand = (typeof leadTimeBands)[number];

const priceLabels: Record<PriceBand, string> = {
  free: 'No monthly fee',
  'under-50': 'Under 50 a month',
  '50-200': '50–200 a month',
  '200-500': '200–500 a month',
  'over-500': 'Over 500 a month',
};
const leadLabels: Record<LeadBand, string> = {
  '1-day': 'Next business day',
  week: '2–5 business days',
  month: '6–20 business days',
  longer: 'Over 20 business days',
};

/** The words of a query, lower-cased: letters and digits. */
export const queryWords = (q: string): string[] => q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Words of a query as a tsquery of prefixes: "post db" → "post:* & db:*". */
export function prefixQuery(q: string): string | null {
  const words = queryWords(q);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

const decodeOffset = (cursor: string | undefined) => {
  if (!cursor) return 0;
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{1,9}$/.test(decoded)) throw invalid('query.cursor', 'is not a cursor this API gave out');
  return Number(decoded);
};

export interface SearchQuery {
  q?: string;
  category?: string;
  kind?: ServiceKind;
  price?: PriceBand;
  leadTime?: LeadBand;
  limit: number;
  cursor?: string;
}

/**
 * Published services matching the text (ranked by relevance, then popularity) and the
 * filters, with facet counts: each facet counts as if its own filter were not set.
 */
export async function search(ex: Executor, query: SearchQuery): Promise<SearchResult> {
  const q = query.q?.trim().toLowerCase() ?? '';
  const prefix = q ? prefixQuery(q) : null;
  const offset = decodeOffset(query.cursor);
  if (q && !prefix)
    return {
      items: [],
      total: 0,
      nextCursor: null,
      facets: { category: [], kind: [], price: [], leadTime: [] },
    };
  // The category names only label the facet, so they are read beside the search, not after it.
  const [page, categories] = await Promise.all([
    repo.searchPage(ex, {
      text: q && prefix ? { q, words: queryWords(q), prefix } : undefined,
      category: query.category,
      kind: query.kind,
      price: query.price,
      leadTime: query.leadTime,
      limit: query.limit,
      offset,
    }),
    categoryNames(ex),
  ]);
  const count = (facet: keyof repo.SearchPage['counts'], value: string) =>
    page.counts[facet].find(([v]) => v === value)?.[1] ?? 0;
  const ordered = <K extends string>(
    keys: readonly K[],
    labels: Record<K, string>,
    facet: keyof repo.SearchPage['counts'],
  ): FacetValue[] =>
    keys.flatMap((k) => (count(facet, k) ? [{ value: k, label: labels[k], count: count(facet, k) }] : []));
  return {
    // The statement returns the summaries' fields as ServiceSummary has them.
    items: page.items as ServiceSummary[],
    total: page.total,
    nextCursor:
      offset + page.items.length < page.total
        ? Buffer.from(String(offset + page.items.length)).toString('base64url')
        : null,
    facets: {
      // In the catalogue's order, so parents come before their sub-categories.
      category: categories.flatMap((c) =>
        count('category', c.slug) ? [{ value: c.slug, label: c.name, count: count('category', c.slug) }] : [],
      ),
      kind: ordered(Object.keys(kindLabels) as ServiceKind[], kindLabels, 'kind'),
      price: ordered(priceBands, priceLabels, 'price'),
      leadTime: ordered(leadTimeBands, leadLabels, 'leadTime'),
    },
  };
}

// ---- storefront and product page -----------------------------------------------------------

export async function storefront(ex: Executor): Promise<Storefront> {
  const [featured, newest, popular, categories] = await Promise.all([
    repo.featured(ex, 8),
    repo.newest(ex, 8),
    repo.popular(ex, 8),
    listCategories(ex),
  ]);
  return {
    featured: featured.map(summary),
    newest: newest.map(summary),
    popular: popular.map(summary),
    categories,
  };
}

export async function serviceDetail(ex: Executor, slug: string, seesDrafts = false): Promise<ServiceDetail> {
  const found = await getServicePage(ex, slug, seesDrafts);
  const entries = await repo.bySlugs(ex, [slug, ...found.alternativeSlugs]);
  const own = entries.find((x) => x.slug === slug);
  const s = found.service;
  return {
    ...(own
      ? summary(own)
      : {
          slug: s.slug,
          name: s.name,
          tagline: s.tagline,
          kind: s.kind,
          icon: s.icon,
          tags: s.tags,
          category: found.category,
          fromMonthlyPrice: null,
          fromOneTimePrice: null,
          currency: 'EUR',
          minLeadTimeDays: null,
          popularity: 0,
          status: s.status,
        }),
    description: s.description,
    descriptionHtml: found.descriptionHtml,
    version: s.version,
    ownerTeam: found.ownerTeam,
    plans: found.plans.map(presentPlan),
    options: s.options ?? null,
    alternatives: found.alternativeSlugs.flatMap((a) => {
      const entry = entries.find((x) => x.slug === a);
      return entry ? [summary(entry)] : [];
    }),
  };
}

// ---- compare ---------------------------------------------------------------------------------

const days = (n: number) => (n === 1 ? '1 business day' : `${n} business days`);
const availabilityOf = (a: string) => Number.parseFloat(a);

function bestIndex(values: number[], better: 'low' | 'high'): number | null {
  if (new Set(values).size < 2) return null;
  const target = better === 'low' ? Math.min(...values) : Math.max(...values);
  return values.indexOf(target);
}

/**
 * Services (or specific plans) side by side, with the rows that differ marked, the best value
 * of each comparable row, and a verdict in plain words.
 */
export async function compare(ex: Executor, picks: string[]): Promise<Comparison> {
  const items: { service: ServiceSummary; plan: Plan }[] = [];
  for (const [i, pick] of picks.entries()) {
    const [slug, planSlug] = pick.split(':') as [string, string | undefined];
    const detail = await serviceDetail(ex, slug).catch(() => null);
    if (detail?.status !== 'published') throw invalid(`query.services.${i}`, `no published service ${slug}`);
    const plan = planSlug ? detail.plans.find((p) => p.slug === planSlug) : detail.plans[0];
    if (!plan) throw invalid(`query.services.${i}`, `${detail.name} has no plan ${planSlug}`);
    const {
      description: _d,
      descriptionHtml: _h,
      version: _v,
      ownerTeam: _o,
      plans: _p,
      options: _x,
      alternatives: _a,
      ...service
    } = detail;
    items.push({ service, plan });
  }
  const row = (key: string, label: string, values: string[], best: number | null = null) => ({
    key,
    label,
    values,
    differs: new Set(values).size > 1,
    best,
  });
  const num = (f: (x: (typeof items)[number]) => string | number) => items.map((x) => Number(f(x)));
  const rows = [
    row(
      'kind',
      'Kind',
      items.map((x) => kindLabels[x.service.kind]),
    ),
    row(
      'plan',
      'Plan',
      items.map((x) => x.plan.name),
    ),
    row(
      'oneTime',
      'One-time price',
      items.map((x) => formatMoney(x.plan.oneTimePrice, x.plan.currency)),
      bestIndex(
        num((x) => x.plan.oneTimePrice),
        'low',
      ),
    ),
    row(
      'monthly',
      'Monthly price',
      items.map((x) => formatMoney(x.plan.monthlyPrice, x.plan.currency)),
      bestIndex(
        num((x) => x.plan.monthlyPrice),
        'low',
      ),
    ),
    row(
      'firstYear',
      'First-year cost',
      items.map((x) => formatMoney(x.plan.firstYearCost, x.plan.currency)),
      bestIndex(
        num((x) => x.plan.firstYearCost),
        'low',
      ),
    ),
    row(
      'leadTime',
      'Ready in',
      items.map((x) => days(x.plan.leadTimeDays)),
      bestIndex(
        num((x) => x.plan.leadTimeDays),
        'low',
      ),
    ),
    row(
      'availability',
      'Availability',
      items.map((x) => x.plan.sla.availability),
      bestIndex(
        items.map((x) => availabilityOf(x.plan.sla.availability)),
        'high',
      ),
    ),
    row(
      'supportHours',
      'Support hours',
      items.map((x) => x.plan.sla.supportHours),
    ),
    row(
      'response',
      'First response',
      items.map((x) => `${x.plan.sla.responseHours} h`),
      bestIndex(
        num((x) => x.plan.sla.responseHours),
        'low',
      ),
    ),
    row(
      'resolution',
      'Fix within',
      items.map((x) => `${x.plan.sla.resolutionHours} h`),
      bestIndex(
        num((x) => x.plan.sla.resolutionHours),
        'low',
      ),
    ),
    row(
      'metered',
      'Usage charges',
      items.map(
        (x) =>
          x.plan.meteredPrices
            .map((m) => `${formatMoney(m.price, x.plan.currency)} per ${m.unit}`)
            .join('; ') || 'none',
      ),
    ),
    row(
      'features',
      'Features',
      items.map((x) => x.plan.features.join(' · ') || '—'),
    ),
  ];
  return { items, rows, verdict: verdict(items) };
}

export function verdict(
  items: { service: ServiceSummary; plan: { firstYearCost: string; leadTimeDays: number } }[],
): string {
  const byCost = [...items].sort((a, b) => new Decimal(a.plan.firstYearCost).cmp(b.plan.firstYearCost));
  const cheapest = byCost[0]!;
  const dearest = byCost.at(-1)!;
  const fastest = [...items].sort((a, b) => a.plan.leadTimeDays - b.plan.leadTimeDays)[0]!;
  const ready = (x: typeof cheapest) =>
    x.plan.leadTimeDays <= 1 ? 'ready the next business day' : `ready in ${days(x.plan.leadTimeDays)}`;
  const dearCost = new Decimal(dearest.plan.firstYearCost);
  if (dearCost.isZero() || dearCost.eq(cheapest.plan.firstYearCost)) {
    return fastest.plan.leadTimeDays < dearest.plan.leadTimeDays
      ? `${fastest.service.name}: the same first-year cost, ${ready(fastest)}.`
      : 'These cost the same over a year and take as long to deliver.';
  }
  const saving = dearCost
    .minus(cheapest.plan.firstYearCost)
    .div(dearCost)
    .times(100)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const head = `${cheapest.service.name}: ${ready(cheapest)}, ${saving.toString()}% cheaper over a year than ${dearest.service.name}`;
  if (fastest === cheapest || fastest.plan.leadTimeDays === cheapest.plan.leadTimeDays) return `${head}.`;
  return `${head}; ${fastest.service.name} is the fastest (${ready(fastest)}).`;
}
