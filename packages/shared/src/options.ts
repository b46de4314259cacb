// Request options: the form a service asks for when it is ordered, written as a subset of
// JSON Schema. The web app renders it and checks it as the user types; the server checks
// the same values with the same code before an order is accepted, and prices them the same
// way, so the form, the estimate and the order cannot disagree.
import Decimal from 'decimal.js';
import { z } from 'zod';

const Amount = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount like "12.50"');
/** A price change: added to the monthly and/or the one-time price. */
export const PriceDelta = z.strictObject({ monthly: Amount.optional(), oneTime: Amount.optional() });
export type PriceDelta = z.infer<typeof PriceDelta>;

/** Show the field only when another field has one of these values. */
const VisibleWhen = z.strictObject({
  field: z.string(),
  equals: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
});

const common = {
  title: z.string().min(1),
  description: z.string().optional(),
  'x-visibleWhen': VisibleWhen.optional(),
};

const StringField = z.strictObject({
  ...common,
  type: z.literal('string'),
  pattern: z.string().optional(),
  /** Says in words what `pattern` wants, for the error message. */
  'x-patternHint': z.string().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(1).optional(),
  format: z.literal('date').optional(),
  enum: z.array(z.string()).min(1).optional(),
  'x-enumLabels': z.array(z.string()).optional(),
  default: z.string().optional(),
  'x-price': z.strictObject({ byValue: z.record(z.string(), PriceDelta) }).optional(),
});

const NumberField = z.strictObject({
  ...common,
  type: z.enum(['number', 'integer']),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  multipleOf: z.number().positive().optional(),
  unit: z.string().optional(),
  default: z.number().optional(),
  'x-price': z.strictObject({ perUnit: PriceDelta }).optional(),
});

const BooleanField = z.strictObject({
  ...common,
  type: z.literal('boolean'),
  default: z.boolean().optional(),
  'x-price': z.strictObject({ whenTrue: PriceDelta }).optional(),
});

const MultiSelectField = z.strictObject({
  ...common,
  type: z.literal('array'),
  items: z.strictObject({ type: z.literal('string'), enum: z.array(z.string()).min(1) }),
  'x-enumLabels': z.array(z.string()).optional(),
  uniqueItems: z.literal(true).optional(),
  minItems: z.number().int().min(0).optional(),
  maxItems: z.number().int().min(1).optional(),
  default: z.array(z.string()).optional(),
  'x-price': z.strictObject({ byValue: z.record(z.string(), PriceDelta) }).optional(),
});

export const OptionField = z.discriminatedUnion('type', [
  StringField,
  NumberField,
  BooleanField,
  MultiSelectField,
]);
export type OptionField = z.infer<typeof OptionField>;

export const OptionsSchema = z
  .strictObject({
    type: z.literal('object'),
    properties: z.record(
      z.string().regex(/^[a-zA-Z][\w]*$/, 'field keys are letters, digits and _'),
      OptionField,
    ),
    required: z.array(z.string()).default([]),
  })
  .superRefine((schema, ctx) => {
    for (const key of schema.required) {
      if (!(key in schema.properties)) {
        ctx.addIssue({ code: 'custom', path: ['required'], message: `names ${key}, which is not a field` });
      }
    }
    for (const [key, field] of Object.entries(schema.properties)) {
      const when = field['x-visibleWhen'];
      if (when && (when.field === key || !(when.field in schema.properties))) {
        ctx.addIssue({
          code: 'custom',
          path: ['properties', key, 'x-visibleWhen', 'field'],
          message: `must name another field of this form`,
        });
      }
      if (field.type === 'string' && field.pattern) {
        try {
          new RegExp(field.pattern, 'u');
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: ['properties', key, 'pattern'],
            message: 'is not a valid pattern',
          });
        }
      }
    }
  });
export type OptionsSchema = z.output<typeof OptionsSchema>;
export type OptionValues = Record<string, unknown>;

export interface OptionError {
  /** The field key, e.g. `hostname`; callers prefix it (`lines.0.options.hostname`). */
  path: string;
  message: string;
}

const matches = (value: unknown, expected: z.infer<typeof VisibleWhen>['equals']) =>
  Array.isArray(expected) ? expected.some((e) => e === value) : value === expected;

/** Whether a field is shown, given the other values (a hidden field is neither asked nor kept). */
export function isVisible(schema: OptionsSchema, key: string, values: OptionValues): boolean {
  const when = schema.properties[key]?.['x-visibleWhen'];
  if (!when) return true;
  if (!isVisible(schema, when.field, values)) return false;
  return matches(values[when.field] ?? schema.properties[when.field]?.default, when.equals);
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

const isDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

function checkField(field: OptionField, v: unknown): string | null {
  switch (field.type) {
    case 'string': {
      if (typeof v !== 'string') return 'must be text';
      if (field.enum && !field.enum.includes(v)) return `must be one of ${field.enum.join(', ')}`;
      if (field.format === 'date' && !isDate(v)) return 'must be a date (YYYY-MM-DD)';
      if (field.minLength !== undefined && v.length < field.minLength)
        return `needs at least ${field.minLength} characters`;
      if (field.maxLength !== undefined && v.length > field.maxLength)
        return `allows at most ${field.maxLength} characters`;
      if (field.pattern && !new RegExp(field.pattern, 'u').test(v))
        return field['x-patternHint'] ?? `must match ${field.pattern}`;
      return null;
    }
    case 'number':
    case 'integer': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (field.type === 'integer' && !Number.isInteger(v)) return 'must be a whole number';
      if (field.minimum !== undefined && v < field.minimum) return `must be at least ${field.minimum}`;
      if (field.maximum !== undefined && v > field.maximum) return `must be at most ${field.maximum}`;
      if (field.multipleOf !== undefined && !new Decimal(v).mod(field.multipleOf).isZero()) {
        return `must be in steps of ${field.multipleOf}`;
      }
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'array': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return 'must be a list of choices';
      const bad = v.find((x) => !field.items.enum.includes(x as string));
      if (bad !== undefined) return `${String(bad)} is not one of ${field.items.enum.join(', ')}`;
      if (new Set(v).size !== v.length) return 'lists a choice twice';
      if (field.minItems !== undefined && v.length < field.minItems)
        return `needs at least ${field.minItems} choices`;
      if (field.maxItems !== undefined && v.length > field.maxItems)
        return `allows at most ${field.maxItems} choices`;
      return null;
    }
  }
}

/**
 * Checks values against the form. Returns the values to keep (defaults filled in, hidden and
 * unknown fields dropped) and one error per bad field, each naming the field.
 */
export function validateOptions(
  schema: OptionsSchema | null,
  input: OptionValues,
): { values: OptionValues; errors: OptionError[] } {
  const errors: OptionError[] = [];
  const values: OptionValues = {};
  if (!schema) {
    for (const key of Object.keys(input))
      errors.push({ path: key, message: 'this service takes no options' });
    return { values, errors };
  }
  for (const key of Object.keys(input)) {
    if (!(key in schema.properties)) errors.push({ path: key, message: 'is not an option of this service' });
  }
  const withDefaults: OptionValues = {};
  for (const [key, field] of Object.entries(schema.properties)) {
    withDefaults[key] = isEmpty(input[key]) ? field.default : input[key];
  }
  for (const [key, field] of Object.entries(schema.properties)) {
    if (!isVisible(schema, key, withDefaults)) continue;
    const v = withDefaults[key];
    if (isEmpty(v)) {
      if (schema.required.includes(key)) errors.push({ path: key, message: `${field.title} is required` });
      continue;
    }
    const problem = checkField(field, v);
    if (problem) errors.push({ path: key, message: problem });
    else values[key] = v;
  }
  return { values, errors };
}

export interface Price {
  oneTime: string;
  monthly: string;
}

/** What the chosen options add to a plan's price, per unit ordered (9 decimal places). */
export function priceOptions(schema: OptionsSchema | null, values: OptionValues): Price {
  let monthly = new Decimal(0);
  let oneTime = new Decimal(0);
  const add = (delta: PriceDelta | undefined, times: Decimal.Value = 1) => {
    if (!delta) return;
    monthly = monthly.plus(new Decimal(delta.monthly ?? 0).times(times));
    oneTime = oneTime.plus(new Decimal(delta.oneTime ?? 0).times(times));
  };
  for (const [key, field] of Object.entries(schema?.properties ?? {})) {
    const v = values[key];
    if (isEmpty(v)) continue;
    switch (field.type) {
      case 'number':
      case 'integer':
        add(field['x-price']?.perUnit, v as number);
        break;
      case 'boolean':
        add(v === true ? field['x-price']?.whenTrue : undefined);
        break;
      case 'string':
        add(field['x-price']?.byValue[v as string]);
        break;
      case 'array':
        for (const choice of v as string[]) add(field['x-price']?.byValue[choice]);
    }
  }
  return { oneTime: oneTime.toFixed(9), monthly: monthly.toFixed(9) };
}

/** A plan's unit price with the options' surcharges. */
export function unitPrice(plan: Price, schema: OptionsSchema | null, values: OptionValues): Price {
  const extra = priceOptions(schema, values);
  return {
    oneTime: new Decimal(plan.oneTime).plus(extra.oneTime).toFixed(9),
    monthly: new Decimal(plan.monthly).plus(extra.monthly).toFixed(9),
  };
}

/** One chosen option as people read it: the field's title and the value's label. */
export const OptionShown = z.object({ key: z.string(), label: z.string(), value: z.string() });
export type OptionShown = z.infer<typeof OptionShown>;

function showValue(field: OptionField, v: unknown): string {
  const labelOf = (choices: string[], labels: string[] | undefined, x: string) =>
    labels?.[choices.indexOf(x)] ?? x;
  switch (field.type) {
    case 'string':
      return field.enum ? labelOf(field.enum, field['x-enumLabels'], v as string) : String(v);
    case 'number':
    case 'integer':
      return field.unit ? `${String(v)} ${field.unit}` : String(v);
    case 'boolean':
      return v ? 'yes' : 'no';
    case 'array':
      return (v as string[]).map((x) => labelOf(field.items.enum, field['x-enumLabels'], x)).join(', ');
  }
}

/**
 * Checked values (from `validateOptions`) in the form's order, each with the field's title and
 * the choice's label: "Operating system: Ubuntu 24.04 LTS", not "os: ubuntu-24-04".
 */
export function describeOptions(schema: OptionsSchema | null, values: OptionValues): OptionShown[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([key]) => !isEmpty(values[key]))
    .map(([key, field]) => ({ key, label: field.title, value: showValue(field, values[key]) }));
}
