// The catalogue: what requesters browse (summaries, details, search with facets, compare,
// the storefront) and what catalogue managers write (the service document, which is also
// the unit of "catalogue as code" in YAML).
import { z } from 'zod';
import { Money } from './common.ts';
import { OptionsSchema } from './options.ts';

export const serviceKinds = ['cloud', 'legacy', 'saas', 'hardware', 'people'] as const;
export const ServiceKind = z.enum(serviceKinds);
export type ServiceKind = z.infer<typeof ServiceKind>;
export const kindLabels: Record<ServiceKind, string> = {
  cloud: 'Cloud',
  legacy: 'Legacy',
  saas: 'SaaS',
  hardware: 'Hardware',
  people: 'People',
};

export const lifecycles = ['draft', 'published', 'retired'] as const;
export const Lifecycle = z.enum(lifecycles);
export type Lifecycle = z.infer<typeof Lifecycle>;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, like "managed-postgresql"')
  .max(80);
/** A non-negative decimal amount, as people write it ("38.00"). */
export const Amount = z
  .string({ error: 'must be a decimal amount in quotes, like "38.00" (money is never a float)' })
  .regex(/^\d+(\.\d{1,9})?$/, 'must be a decimal amount in quotes, like "38.00"');

// ---- what catalogue managers write (and YAML holds) -------------------------------------

export const SlaDocument = z.strictObject({
  name: z.string().min(1),
  availability: z.string().regex(/^\d{2}(\.\d+)?%$/, 'must be a percentage like "99.9%"'),
  supportHours: z.string().min(1),
  responseHours: z.number().int().positive(),
  resolutionHours: z.number().int().positive(),
});

export const MeteredPrice = z.strictObject({
  unit: z.string().min(1),
  price: Amount,
  description: z.string().default(''),
});

/** Where a step shows on the requester's tracker. */
export const fulfilmentStages = ['provisioning', 'configuring'] as const;
export const FulfilmentStage = z.enum(fulfilmentStages);

const OutputFieldDocument = z.strictObject({
  key: z.string().regex(/^[a-zA-Z]\w*$/, 'must be letters, digits and _, starting with a letter'),
  label: z.string().min(1),
  required: z.boolean().default(true),
});

const stepCommon = {
  /** What the requester's tracker calls the step ("Create the VM"). */
  name: z.string().min(1).max(120),
};

/** A task in a team's queue: instructions, a checklist, and the outputs the fulfiller fills in. */
export const ManualStepDocument = z.strictObject({
  ...stepCommon,
  type: z.literal('manual'),
  stage: FulfilmentStage.default('configuring'),
  team: z.string().min(1),
  instructions: z.string().min(1),
  checklist: z.array(z.string().min(1)).default([]),
  outputs: z.array(OutputFieldDocument).default([]),
});

/** Provisioned through an Open Service Broker adapter (an admin configures its URL and login). */
export const OsbStepDocument = z.strictObject({
  ...stepCommon,
  type: z.literal('osb'),
  stage: FulfilmentStage.default('provisioning'),
  adapter: z.string().min(1),
  /** The broker's service and plan, by name or id. */
  service: z.string().min(1),
  plan: z.string().min(1),
  /** Fixed parameters; the order's options go along where the broker's plan declares them. */
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** Bind for credentials once provisioned. */
  bind: z.boolean().default(true),
});

/** A signed HTTP call to an automation endpoint (an admin configures its URL and secret). */
export const WebhookStepDocument = z.strictObject({
  ...stepCommon,
  type: z.literal('webhook'),
  stage: FulfilmentStage.default('configuring'),
  adapter: z.string().min(1),
  /** Passed to the endpoint as it is (which playbook, which zone …). */
  config: z.record(z.string(), z.unknown()).default({}),
});

export const FulfilmentStepDocument = z.discriminatedUnion('type', [
  ManualStepDocument,
  OsbStepDocument,
  WebhookStepDocument,
]);
export type FulfilmentStepDocument = z.output<typeof FulfilmentStepDocument>;

/** How a plan is delivered: its steps, in order; outputs flow from each step to the next. */
export const FulfilmentDocument = z
  .strictObject({ steps: z.array(FulfilmentStepDocument).min(1, 'a plan needs at least one step') })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.steps.forEach((step, i) => {
      if (step.type !== 'manual') return;
      step.outputs.forEach((o, j) => {
        if (seen.has(o.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'outputs', j, 'key'],
            message: `${o.key} is an output of an earlier step`,
          });
        }
        seen.add(o.key);
      });
    });
  });
export type FulfilmentDocument = z.output<typeof FulfilmentDocument>;

export const PlanDocument = z.strictObject({
  slug,
  name: z.string().min(1).max(80),
  features: z.array(z.string().min(1)).default([]),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"')
    .default('EUR'),
  oneTimePrice: Amount.default('0'),
  monthlyPrice: Amount.default('0'),
  meteredPrices: z.array(MeteredPrice).default([]),
  leadTimeDays: z.number().int().min(0).max(365),
  sla: SlaDocument,
  quota: z
    .strictObject({
      perPerson: z.number().int().positive().optional(),
      perCostCentre: z.number().int().positive().optional(),
    })
    .default({}),
  /** Subscriptions of this plan end after `days` unless extended (by `days` each time), then `graceDays` more. */
  lease: z
    .strictObject({
      days: z.number().int().min(1).max(3650),
      graceDays: z.number().int().min(0).max(365).default(7),
    })
    .optional(),
  fulfilment: FulfilmentDocument,
});
export type PlanDocument = z.output<typeof PlanDocument>;

export const ServiceDocument = z
  .strictObject({
    slug,
    name: z.string().min(1).max(100),
    tagline: z.string().max(200).default(''),
    /** Markdown; rendered without raw HTML. */
    description: z.string().max(20_000).default(''),
    kind: ServiceKind,
    icon: z.string().min(1).max(8).default('📦'),
    category: slug,
    ownerTeam: z.string().min(1),
    tags: z.array(z.string().min(1).max(40)).default([]),
    status: Lifecycle.default('draft'),
    featured: z.boolean().default(false),
    /** Services this one replaces or competes with, by slug (shown side by side). */
    alternatives: z.array(slug).default([]),
    options: OptionsSchema.nullable().default(null),
    plans: z.array(PlanDocument).min(1, 'a service needs at least one plan'),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.plans.forEach((p, i) => {
      if (seen.has(p.slug))
        ctx.addIssue({ code: 'custom', path: ['plans', i, 'slug'], message: `${p.slug} is used twice` });
      seen.add(p.slug);
    });
    if (s.alternatives.includes(s.slug)) {
      ctx.addIssue({
        code: 'custom',
        path: ['alternatives'],
        message: 'a service is no alternative to itself',
      });
    }
  });
export type ServiceDocument = z.output<typeof ServiceDocument>;
export type ServiceDocumentInput = z.input<typeof ServiceDocument>;

export const CategoryDocument = z.strictObject({
  slug,
  name: z.string().min(1).max(80),
  description: z.string().max(500).default(''),
  icon: z.string().min(1).max(8).default('📦'),
  /** The parent category's slug: categories form a tree. */
  parent: slug.nullable().default(null),
});
export type CategoryDocument = z.output<typeof CategoryDocument>;

export const CatalogDocument = z.strictObject({
  categories: z.array(CategoryDocument).default([]),
  services: z.array(ServiceDocument).default([]),
});
export type CatalogDocument = z.output<typeof CatalogDocument>;

// ---- what requesters see ------------------------------------------------------------------

export const Category = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  icon: z.string(),
  parent: z.string().nullable(),
  /** Published services in this category and its sub-categories. */
  serviceCount: z.number().int(),
});
export type Category = z.infer<typeof Category>;

export const Sla = z.object({
  name: z.string(),
  availability: z.string(),
  supportHours: z.string(),
  responseHours: z.number(),
  resolutionHours: z.number(),
  /** The SLA in plain words, as the requester accepts it at checkout. */
  summary: z.string(),
});
export type Sla = z.infer<typeof Sla>;

export const Plan = z.object({
  slug: z.string(),
  name: z.string(),
  features: z.array(z.string()),
  currency: z.string(),
  oneTimePrice: Money,
  monthlyPrice: Money,
  meteredPrices: z.array(z.object({ unit: z.string(), price: Money, description: z.string() })),
  /** One-time plus twelve months (options and metered use not included). */
  firstYearCost: Money,
  leadTimeDays: z.number().int(),
  sla: Sla,
  quota: z.object({ perPerson: z.number().int().nullable(), perCostCentre: z.number().int().nullable() }),
  /** A lease: subscriptions end after this many days unless extended, then a grace period. */
  lease: z.object({ days: z.number().int(), graceDays: z.number().int() }).nullable(),
});
export type Plan = z.infer<typeof Plan>;

export const ServiceSummary = z.object({
  slug: z.string(),
  name: z.string(),
  tagline: z.string(),
  kind: ServiceKind,
  icon: z.string(),
  tags: z.array(z.string()),
  category: z.object({ slug: z.string(), name: z.string() }),
  /** The cheapest plan's monthly and one-time prices, for listings. */
  fromMonthlyPrice: Money.nullable(),
  fromOneTimePrice: Money.nullable(),
  currency: z.string(),
  minLeadTimeDays: z.number().int().nullable(),
  /** How many times it has been ordered. */
  popularity: z.number().int(),
  status: Lifecycle,
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

export const ServiceDetail = ServiceSummary.extend({
  description: z.string(),
  /** The description rendered to HTML (no raw HTML from the source is kept). */
  descriptionHtml: z.string(),
  version: z.number().int(),
  ownerTeam: z.object({ key: z.string(), name: z.string() }),
  plans: z.array(Plan),
  options: OptionsSchema.nullable(),
  alternatives: z.array(ServiceSummary),
});
export type ServiceDetail = z.infer<typeof ServiceDetail>;

export const priceBands = ['free', 'under-50', '50-200', '200-500', 'over-500'] as const;
export const leadTimeBands = ['1-day', 'week', 'month', 'longer'] as const;

export const ServiceQuery = z.object({
  q: z.string().trim().max(200).optional(),
  category: z.string().optional(),
  kind: ServiceKind.optional(),
  price: z.enum(priceBands).optional(),
  leadTime: z.enum(leadTimeBands).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().optional(),
});
export type ServiceQuery = z.input<typeof ServiceQuery>;

export const FacetValue = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export type FacetValue = z.infer<typeof FacetValue>;

export const SearchResult = z.object({
  items: z.array(ServiceSummary),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  /** Counts for each facet value, given the query and every other facet's filter. */
  facets: z.object({
    category: z.array(FacetValue),
    kind: z.array(FacetValue),
    price: z.array(FacetValue),
    leadTime: z.array(FacetValue),
  }),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const Storefront = z.object({
  featured: z.array(ServiceSummary),
  newest: z.array(ServiceSummary),
  popular: z.array(ServiceSummary),
  categories: z.array(Category),
});
export type Storefront = z.infer<typeof Storefront>;

export const CompareQuery = z.object({
  /** 2–4 services by slug, each optionally with a plan: `virtual-machine:medium,dedicated-server`. */
  services: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9-]+(:[a-z0-9-]+)?$/, 'must be slug or slug:plan'))
        .min(2, 'name 2 to 4 services')
        .max(4, 'name 2 to 4 services'),
    ),
});

export const ComparisonRow = z.object({
  key: z.string(),
  label: z.string(),
  values: z.array(z.string()),
  /** Whether the values differ (the page highlights those rows). */
  differs: z.boolean(),
  /** The index of the best value, where "best" has a meaning (cheapest, fastest, most available). */
  best: z.number().int().nullable(),
});

export const Comparison = z.object({
  items: z.array(z.object({ service: ServiceSummary, plan: Plan })),
  rows: z.array(ComparisonRow),
  /** In plain words: e.g. "Virtual Machine: ready in 1 day, 38% cheaper over a year than Dedicated Physical Server." */
  verdict: z.string(),
});
export type Comparison = z.infer<typeof Comparison>;

// ---- what catalogue managers see ------------------------------------------------------------

export const ManagedService = z.object({
  slug: z.string(),
  name: z.string(),
  kind: ServiceKind,
  icon: z.string(),
  category: z.string(),
  status: Lifecycle,
  version: z.number().int(),
  updatedAt: z.iso.datetime(),
  planCount: z.number().int(),
});
export type ManagedService = z.infer<typeof ManagedService>;

export const ServiceVersion = z.object({
  version: z.number().int(),
  publishedAt: z.iso.datetime(),
  publishedBy: z.string().nullable(),
});
export type ServiceVersion = z.infer<typeof ServiceVersion>;

/** A service as the catalogue editor holds it: the document, its lifecycle and its history. */
export const ManagedServiceDetail = z.object({
  document: ServiceDocument,
  status: Lifecycle,
  version: z.number().int(),
  versions: z.array(ServiceVersion),
});
export type ManagedServiceDetail = z.output<typeof ManagedServiceDetail>;

export const TeamRef = z.object({ key: z.string(), name: z.string() });
export type TeamRef = z.infer<typeof TeamRef>;

export const ImportReport = z.object({
  dryRun: z.boolean(),
  /** Problems found in the file; when there are any, nothing was changed. */
  errors: z.array(
    z.object({ path: z.string(), line: z.number().int(), column: z.number().int(), message: z.string() }),
  ),
  changes: z.array(
    z.object({
      kind: z.enum(['category', 'service']),
      slug: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      /** A unified diff of the YAML of this entry, for updates. */
      diff: z.string(),
    }),
  ),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** A rejected import: problem+json that is also the import report. */
export const ImportProblem = ImportReport.extend({
  type: z.string(),
  title: z.string(),
  status: z.literal(400),
  code: z.literal('Invalid'),
  detail: z.string(),
});
