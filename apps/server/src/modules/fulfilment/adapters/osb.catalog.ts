// A broker's catalog (GET /v2/catalog) as Portico catalogue drafts: one ServiceDocument per
// service offering, one plan per broker plan, each delivered by one OSB step. Pure: no HTTP, no
// database; the caller fetches the catalog (fetchBrokerCatalog) and decides what to import.
//
// The order form is the plans' `schemas.service_instance.create.parameters` turned into the
// options subset of JSON Schema (packages/shared/src/options.ts). What fits (strings with
// pattern, length, date format or choices; integers and numbers with bounds and steps; booleans;
// lists of choices) is kept; what does not (objects, anyOf/oneOf, other formats, exclusive
// bounds) is left out and reported, so a catalogue manager knows what the broker still checks
// on its own. Prices come from each plan's `metadata.costs` (the OSB profile's convention).
import type { ServiceDocumentInput } from '@portico/shared';
import type { OsbCatalog, OsbPlan, OsbService } from './osb.client.ts';

export interface DraftOptions {
  /** The adapter (broker) key the fulfilment steps name. */
  adapterKey: string;
  /** The team that owns the drafted services. */
  ownerTeam: string;
  /** The category slug, or how to choose one per service offering. */
  category: string | ((service: OsbService) => string);
  /** The SLA every drafted plan starts with (the broker says nothing about SLAs). */
  sla?: ServiceDocumentInput['plans'][number]['sla'];
  /** Default 1 business day. */
  leadTimeDays?: number;
  /** The currency to take from `metadata.costs` when a plan has several; default EUR. */
  currency?: string;
}

export interface SkippedItem {
  /** The broker's service (and plan) name. */
  service: string;
  plan?: string;
  /** The parameter (or `parameter.keyword`, or `costs`) that was left out. */
  field?: string;
  reason: string;
}

export interface CatalogDrafts {
  drafts: ServiceDocumentInput[];
  skipped: SkippedItem[];
}

const DEFAULT_SLA = {
  name: 'Standard',
  availability: '99.5%',
  supportHours: 'Mon–Fri 08:00–18:00',
  responseHours: 4,
  resolutionHours: 24,
};

/** Validation keywords the order form cannot check; the broker still does. */
const UNSUPPORTED_KEYWORDS = [
  'exclusiveMinimum',
  'exclusiveMaximum',
  'const',
  'not',
  'dependencies',
  'dependentRequired',
  'if',
  'then',
  'else',
  'contains',
  'patternProperties',
];

type JsonSchema = Record<string, unknown>;
type Field = Record<string, unknown>;

export function catalogToDrafts(catalog: OsbCatalog, options: DraftOptions): CatalogDrafts {
  const skipped: SkippedItem[] = [];
  const usedSlugs = new Set<string>();
  const drafts = catalog.services.map((service) => {
    const metadata = service.metadata ?? {};
    const name = clip(text(metadata.displayName) ?? service.name, 100);
    const docs = text(metadata.documentationUrl);
    const long = text(metadata.longDescription) ?? service.description;
    const planSlugs = new Set<string>();
    const draft: ServiceDocumentInput = {
      slug: unique(slugify(service.name, 'service'), usedSlugs),
      name,
      tagline: clip(service.description, 200),
      description: clip(docs ? `${long}\n\nDocumentation: <${docs}>` : long, 20_000),
      kind: 'cloud',
      category: typeof options.category === 'function' ? options.category(service) : options.category,
      ownerTeam: options.ownerTeam,
      tags: [...new Set(service.tags.map((t) => t.trim()).filter((t) => t.length >= 1 && t.length <= 40))],
      status: 'draft',
      options: optionsOf(service, skipped),
      plans: service.plans.map((plan) => ({
        slug: unique(slugify(plan.name, 'plan'), planSlugs),
        name: clip(text(plan.metadata?.displayName) ?? plan.name, 80),
        features: featuresOf(plan),
        ...pricesOf(service, plan, options.currency ?? 'EUR', skipped),
        leadTimeDays: options.leadTimeDays ?? 1,
        sla: options.sla ?? DEFAULT_SLA,
        fulfilment: {
          steps: [
            {
              type: 'osb' as const,
              name: clip(`Provision ${name}`, 120),
              adapter: options.adapterKey,
              service: service.name,
              plan: plan.name,
            },
          ],
        },
      })),
    };
    return draft;
  });
  return { drafts, skipped };
}

/**
 * The service's order form: the union of its plans' create parameters (plans of one offering
 * usually share them; where one key differs, the first plan's definition is kept and reported).
 * A parameter is required when every plan that declares it requires it.
 */
function optionsOf(service: OsbService, skipped: SkippedItem[]): ServiceDocumentInput['options'] {
  const properties: Record<string, Field> = {};
  const seen = new Map<string, string>();
  const requiredBy = new Map<string, { declared: number; required: number }>();
  for (const plan of service.plans) {
    const schema = plan.schemas?.service_instance?.create?.parameters;
    if (!schema) continue;
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required)
      ? schema.required.filter((r) => typeof r === 'string')
      : [];
    for (const [key, definition] of Object.entries(props)) {
      const count = requiredBy.get(key) ?? { declared: 0, required: 0 };
      count.declared += 1;
      if (required.includes(key)) count.required += 1;
      requiredBy.set(key, count);
      const fingerprint = JSON.stringify(definition);
      const first = seen.get(key);
      if (first !== undefined) {
        if (first !== fingerprint) {
          skipped.push({
            service: service.name,
            plan: plan.name,
            field: key,
            reason: `differs from the first plan's definition; the order form uses the first`,
          });
        }
        continue;
      }
      seen.set(key, fingerprint);
      const field = toField(key, definition, (field, reason) =>
        skipped.push({ service: service.name, plan: plan.name, field, reason }),
      );
      if (field) properties[key] = field;
    }
  }
  if (Object.keys(properties).length === 0) return null;
  const required = [...requiredBy.entries()]
    .filter(([key, count]) => key in properties && count.required === count.declared)
    .map(([key]) => key);
  for (const [key, count] of requiredBy) {
    if (!(key in properties) && count.required > 0) {
      skipped.push({
        service: service.name,
        field: key,
        reason:
          'is required by the broker but cannot be asked for on the order form: add it as a fixed parameter',
      });
    }
  }
  return { type: 'object', properties, required } as ServiceDocumentInput['options'];
}

/** One JSON Schema property as an option field, or null (with the reason reported). */
function toField(key: string, raw: unknown, report: (field: string, reason: string) => void): Field | null {
  if (!/^[a-zA-Z]\w*$/.test(key)) {
    report(key, 'the name is not letters, digits and _ (an order form key)');
    return null;
  }
  if (!isObject(raw)) {
    report(key, 'the definition is not a JSON Schema object');
    return null;
  }
  for (const combinator of ['anyOf', 'oneOf', 'allOf', '$ref']) {
    if (combinator in raw) {
      report(key, `uses ${combinator}, which the order form cannot express`);
      return null;
    }
  }
  let type = raw.type;
  if (Array.isArray(type)) {
    // ["string", "null"]: an optional value, which every order form field already is.
    const types = type.filter((t) => t !== 'null');
    type = types.length === 1 ? types[0] : type;
  }
  if (type === undefined && Array.isArray(raw.enum) && raw.enum.every((v) => typeof v === 'string'))
    type = 'string';
  const field: Field = { title: clip(text(raw.title) ?? humanise(key), 200) };
  const description = text(raw.description);
  if (description) field.description = description;
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (keyword in raw)
      report(`${key}.${keyword}`, `left out: the order form cannot check ${keyword}; the broker still does`);
  }

  switch (type) {
    case 'string': {
      field.type = 'string';
      if (raw.enum !== undefined) {
        if (
          !Array.isArray(raw.enum) ||
          raw.enum.length === 0 ||
          !raw.enum.every((v) => typeof v === 'string')
        ) {
          report(key, 'its choices are not all text');
          return null;
        }
        field.enum = raw.enum;
      }
      if (typeof raw.pattern === 'string') {
        if (validPattern(raw.pattern)) field.pattern = raw.pattern;
        else
          report(
            `${key}.pattern`,
            'left out: not a pattern JavaScript understands; the broker still checks it',
          );
      }
      if (isCount(raw.minLength)) field.minLength = raw.minLength;
      if (isCount(raw.maxLength) && raw.maxLength >= 1) field.maxLength = raw.maxLength;
      if (raw.format === 'date') field.format = 'date';
      else if (raw.format !== undefined)
        report(`${key}.format`, `left out: the order form cannot check format "${String(raw.format)}"`);
      if (
        typeof raw.default === 'string' &&
        (!field.enum || (field.enum as string[]).includes(raw.default))
      ) {
        field.default = raw.default;
      }
      return field;
    }
    case 'integer':
    case 'number': {
      if (raw.enum !== undefined) {
        report(key, 'a number with fixed choices cannot be an order form field');
        return null;
      }
      field.type = type;
      if (isNumber(raw.minimum)) field.minimum = raw.minimum;
      if (isNumber(raw.maximum)) field.maximum = raw.maximum;
      if (isNumber(raw.multipleOf) && raw.multipleOf > 0) field.multipleOf = raw.multipleOf;
      if (isNumber(raw.default)) field.default = raw.default;
      return field;
    }
    case 'boolean':
      field.type = 'boolean';
      if (typeof raw.default === 'boolean') field.default = raw.default;
      return field;
    case 'array': {
      const items = raw.items;
      if (
        !isObject(items) ||
        (items.type !== undefined && items.type !== 'string') ||
        !Array.isArray(items.enum) ||
        items.enum.length === 0 ||
        !items.enum.every((v) => typeof v === 'string')
      ) {
        report(key, 'a list is an order form field only when it is a list of text choices');
        return null;
      }
      field.type = 'array';
      field.items = { type: 'string', enum: items.enum };
      if (raw.uniqueItems === true) field.uniqueItems = true;
      if (isCount(raw.minItems)) field.minItems = raw.minItems;
      if (isCount(raw.maxItems) && raw.maxItems >= 1) field.maxItems = raw.maxItems;
      if (Array.isArray(raw.default) && raw.default.every((v) => typeof v === 'string'))
        field.default = raw.default;
      return field;
    }
    default:
      report(key, `type ${JSON.stringify(type ?? 'unspecified')} cannot be an order form field`);
      return null;
  }
}

function featuresOf(plan: OsbPlan): string[] {
  const bullets = plan.metadata?.bullets;
  const list = Array.isArray(bullets) ? bullets.filter((b): b is string => typeof b === 'string') : [];
  return (list.length ? list : [plan.description]).map((b) => b.trim()).filter(Boolean);
}

/**
 * `metadata.costs: [{ amount: { eur: 38 }, unit: "MONTHLY" }]` (OSB profile). The monthly cost
 * becomes the plan's monthly price; other units need a Portico meter and are reported instead.
 */
function pricesOf(
  service: OsbService,
  plan: OsbPlan,
  preferred: string,
  skipped: SkippedItem[],
): { currency?: string; monthlyPrice: string; oneTimePrice: string } {
  const report = (reason: string) =>
    skipped.push({ service: service.name, plan: plan.name, field: 'costs', reason });
  const listed = plan.metadata?.costs;
  const costs: unknown[] = Array.isArray(listed) ? listed : [];
  let monthly: { currency: string; amount: string } | null = null;
  for (const cost of costs) {
    if (!isObject(cost) || !isObject(cost.amount)) {
      report('a cost without an amount was left out');
      continue;
    }
    const unit = typeof cost.unit === 'string' ? cost.unit : '';
    if (unit.toUpperCase() !== 'MONTHLY' || monthly) {
      report(`the ${unit || 'unnamed'} cost needs a Portico meter (a metered price); add it by hand`);
      continue;
    }
    const amounts = Object.entries(cost.amount);
    const chosen =
      amounts.find(([currency]) => currency.toUpperCase() === preferred.toUpperCase()) ?? amounts[0];
    const amount = chosen ? decimal(chosen[1]) : null;
    if (!chosen || amount === null || !/^[A-Z]{3}$/.test(chosen[0].toUpperCase())) {
      report('the monthly cost is not an amount in an ISO 4217 currency');
      continue;
    }
    monthly = { currency: chosen[0].toUpperCase(), amount };
  }
  if (!monthly) {
    if (plan.free === false) report('the plan is not free but names no monthly cost; the draft says 0.00');
    return { monthlyPrice: '0.00', oneTimePrice: '0.00' };
  }
  return { currency: monthly.currency, monthlyPrice: monthly.amount, oneTimePrice: '0.00' };
}

/** A JSON number (or a decimal string) as Portico's money text: "38.00", "0.125". */
function decimal(value: unknown): string | null {
  if (typeof value === 'string' && /^\d+(\.\d{1,9})?$/.test(value)) return padCents(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return padCents(value.toFixed(9).replace(/0+$/, '').replace(/\.$/, ''));
}

function padCents(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

function slugify(name: string, fallback: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 70)
    .replace(/-+$/, '');
  return slug || fallback;
}

function unique(slug: string, used: Set<string>): string {
  let candidate = slug;
  for (let n = 2; used.has(candidate); n++) candidate = `${slug}-${n}`;
  used.add(candidate);
  return candidate;
}

function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function validPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
