// The editor's working copy of a ServiceDocument: blank documents, immutable updates by path,
// and the document checked with the contract's own schema (the one the server checks with).
import {
  OptionsSchema,
  ServiceDocument,
  type FulfilmentStepDocument,
  type PlanDocument,
} from '@portico/shared';

export type Path = (string | number)[];
export type Draft = ServiceDocument;
export type Errors = Record<string, string>;

export const pathKey = (path: Path) => path.join('.');
/** The DOM id of the control for a document path: `plans.1.sla.name` → `f-plans-1-sla-name`. */
export const fieldId = (path: Path | string) =>
  `f-${(typeof path === 'string' ? path : pathKey(path)).replace(/\./g, '-')}`;

export function blankPlan(n: number, team = ''): PlanDocument {
  return {
    slug: n === 0 ? 'standard' : `plan-${n + 1}`,
    name: n === 0 ? 'Standard' : `Plan ${n + 1}`,
    features: [],
    currency: 'EUR',
    oneTimePrice: '0',
    monthlyPrice: '0',
    meteredPrices: [],
    leadTimeDays: 1,
    sla: {
      name: 'Standard',
      availability: '99.5%',
      supportHours: 'Mon–Fri 08:00–18:00',
      responseHours: 8,
      resolutionHours: 40,
    },
    quota: {},
    fulfilment: { steps: [blankStep('manual', team)] },
  };
}

export type StepType = FulfilmentStepDocument['type'];
export type ManualStep = Extract<FulfilmentStepDocument, { type: 'manual' }>;

export const stepTypeLabels: Record<StepType, string> = {
  manual: 'Manual task',
  osb: 'Service broker',
  webhook: 'Webhook',
};

/** A new step of a type; a manual one goes to `team` (the owner team, as a plan's first step does). */
export function blankStep(type: StepType, team = ''): FulfilmentStepDocument {
  switch (type) {
    case 'manual':
      return { type, name: '', stage: 'configuring', team, instructions: '', checklist: [], outputs: [] };
    case 'osb':
      return {
        type,
        name: '',
        stage: 'provisioning',
        adapter: '',
        service: '',
        plan: '',
        parameters: {},
        bind: true,
      };
    case 'webhook':
      return { type, name: '', stage: 'configuring', adapter: '', config: {} };
  }
}

export function blankService(): Draft {
  return {
    slug: '',
    name: '',
    tagline: '',
    description: '',
    kind: 'cloud',
    icon: '📦',
    category: '',
    ownerTeam: '',
    tags: [],
    status: 'draft',
    featured: false,
    alternatives: [],
    options: null,
    plans: [blankPlan(0)],
  };
}

/** A copy of `obj` with the value at `path` replaced (`undefined` removes an object key). */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(obj)) {
    const copy = [...obj];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const src = (obj ?? {}) as Record<string, unknown>;
  const next = setIn(src[head as string], rest, value);
  const copy = { ...src };
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy as T;
}

export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
}

/** Zod's default wording, said the way the rest of Portico says it. */
function issueMessage(issue: Issue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  if (issue.code === 'unrecognized_keys')
    return issue.message.replace(/^Unrecognized keys?:/, 'unknown field:');
  return issue.message;
}

function collect(issues: readonly Issue[], prefix: Path = []): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const key = pathKey([...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]);
    out[key] = out[key] ? `${out[key]}; ${issueMessage(issue)}` : issueMessage(issue);
  }
  return out;
}

export interface ParsedOptions {
  value: OptionsSchema | null;
  /** JSON syntax error or schema problems, keyed by `options.…` paths. */
  errors: Errors;
}

/** The options JSON as typed: blank is "no form"; otherwise it must parse and fit OptionsSchema. */
export function parseOptionsText(text: string): ParsedOptions {
  if (!text.trim()) return { value: null, errors: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { value: null, errors: { options: `is not valid JSON: ${(e as Error).message}` } };
  }
  const r = OptionsSchema.safeParse(json);
  if (!r.success) return { value: null, errors: collect(r.error.issues as Issue[], ['options']) };
  return { value: r.data, errors: {} };
}

/** The document to send, and what the contract's schema finds wrong with it. */
export function checkDraft(draft: Draft, optionsText: string): { document: Draft; errors: Errors } {
  const options = parseOptionsText(optionsText);
  const clean = (xs: string[]) => xs.map((x) => x.trim()).filter(Boolean);
  const candidate = {
    ...draft,
    tags: clean(draft.tags),
    plans: draft.plans.map((p) => ({
      ...p,
      features: clean(p.features),
      fulfilment: {
        ...p.fulfilment,
        steps: p.fulfilment.steps.map((s) =>
          s.type === 'manual' ? { ...s, checklist: clean(s.checklist) } : s,
        ),
      },
    })),
    options: options.value,
  };
  const r = ServiceDocument.safeParse(candidate);
  const errors = { ...(r.success ? {} : collect(r.error.issues as Issue[])), ...options.errors };
  return { document: r.success ? r.data : candidate, errors };
}

export const optionsToText = (options: OptionsSchema | null) =>
  options ? JSON.stringify(options, null, 2) : '';

export const exampleOptions = {
  type: 'object',
  required: ['hostname'],
  properties: {
    hostname: {
      type: 'string',
      title: 'Hostname',
      pattern: '^[a-z][a-z0-9-]{2,30}$',
      'x-patternHint': 'lower-case letters, digits and -, 3 to 31 characters',
    },
    os: {
      type: 'string',
      title: 'Operating system',
      enum: ['ubuntu', 'windows'],
      'x-enumLabels': ['Ubuntu 24.04 LTS', 'Windows Server 2022'],
      default: 'ubuntu',
      'x-price': { byValue: { windows: { monthly: '15.00' } } },
    },
    extraDiskGb: {
      type: 'integer',
      title: 'Extra disk',
      unit: 'GB',
      minimum: 0,
      maximum: 2000,
      multipleOf: 10,
      default: 0,
      'x-price': { perUnit: { monthly: '0.10' } },
    },
    backup: {
      type: 'boolean',
      title: 'Nightly backup',
      default: true,
      'x-price': { whenTrue: { monthly: '5.00' } },
    },
  },
};
