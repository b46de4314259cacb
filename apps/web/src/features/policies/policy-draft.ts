// The policy editor's form state: strings for what people type, and the conversion to and from
// the contract's ApprovalPolicyBody. The browser checks with the very schema the server uses.
import {
  ApprovalPolicyBody,
  type ApprovalPolicy,
  type ApproverSpec,
  type PolicyRule,
  type ServiceKind,
} from '@portico/shared';

export type ApproverType = ApproverSpec['type'];

export interface StageDraft {
  /** Stable across reordering, for React keys. */
  key: string;
  name: string;
  type: ApproverType;
  team: string;
  mode: 'any' | 'all';
  email: string;
}

export interface RuleDraft {
  key: string;
  name: string;
  minCost: string;
  maxCost: string;
  categories: string[];
  /** Service slugs, comma-separated as typed. */
  services: string;
  kinds: ServiceKind[];
  departments: string[];
  costCentres: string[];
  overBudget: '' | 'yes' | 'no';
  stages: StageDraft[];
}

export interface PolicyDraft {
  name: string;
  description: string;
  priority: number;
  active: boolean;
  remindAfterHours: number;
  escalateAfterHours: number;
  rules: RuleDraft[];
}

let seq = 0;
const nextKey = () => `k${++seq}`;

export const approverLabels: Record<ApproverType, string> = {
  manager: "The requester's manager",
  cost_centre_owner: "The cost centre's owner",
  group: 'A team',
  person: 'A named person',
};

export function newStage(): StageDraft {
  return { key: nextKey(), name: 'Manager approval', type: 'manager', team: '', mode: 'any', email: '' };
}

export function newRule(): RuleDraft {
  return {
    key: nextKey(),
    name: '',
    minCost: '',
    maxCost: '',
    categories: [],
    services: '',
    kinds: [],
    departments: [],
    costCentres: [],
    overBudget: '',
    stages: [newStage()],
  };
}

export function newPolicy(): PolicyDraft {
  return {
    name: '',
    description: '',
    priority: 100,
    active: true,
    remindAfterHours: 4,
    escalateAfterHours: 16,
    rules: [{ ...newRule(), name: 'Everything else' }],
  };
}

function stageFrom(s: PolicyRule['stages'][number]): StageDraft {
  const a = s.approvers;
  return {
    key: nextKey(),
    name: s.name,
    type: a.type,
    team: a.type === 'group' ? a.team : '',
    mode: a.type === 'group' ? a.mode : 'any',
    email: a.type === 'person' ? a.email : '',
  };
}

export function draftFrom(p: ApprovalPolicy): PolicyDraft {
  return {
    name: p.name,
    description: p.description,
    priority: p.priority,
    active: p.active,
    remindAfterHours: p.remindAfterHours,
    escalateAfterHours: p.escalateAfterHours,
    rules: p.rules.map((r) => ({
      key: nextKey(),
      name: r.name,
      minCost: r.when.minCost ?? '',
      maxCost: r.when.maxCost ?? '',
      categories: r.when.categories ?? [],
      services: (r.when.services ?? []).join(', '),
      kinds: r.when.kinds ?? [],
      departments: r.when.departments ?? [],
      costCentres: r.when.costCentres ?? [],
      overBudget: r.when.overBudget === undefined ? '' : r.when.overBudget ? 'yes' : 'no',
      stages: r.stages.map(stageFrom),
    })),
  };
}

function approvers(s: StageDraft): ApproverSpec {
  switch (s.type) {
    case 'group':
      return { type: 'group', team: s.team.trim(), mode: s.mode };
    case 'person':
      return { type: 'person', email: s.email.trim() };
    default:
      return { type: s.type };
  }
}

const list = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function toBody(d: PolicyDraft): ApprovalPolicyBody {
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    priority: d.priority,
    active: d.active,
    remindAfterHours: d.remindAfterHours,
    escalateAfterHours: d.escalateAfterHours,
    rules: d.rules.map((r) => {
      const services = list(r.services);
      return {
        name: r.name.trim(),
        when: {
          ...(r.minCost.trim() ? { minCost: r.minCost.trim() } : {}),
          ...(r.maxCost.trim() ? { maxCost: r.maxCost.trim() } : {}),
          ...(r.categories.length ? { categories: r.categories } : {}),
          ...(services.length ? { services } : {}),
          ...(r.kinds.length ? { kinds: r.kinds } : {}),
          ...(r.departments.length ? { departments: r.departments } : {}),
          ...(r.costCentres.length ? { costCentres: r.costCentres } : {}),
          ...(r.overBudget ? { overBudget: r.overBudget === 'yes' } : {}),
        },
        stages: r.stages.map((s) => ({ name: s.name.trim(), approvers: approvers(s) })),
      };
    }),
  };
}

/** The contract's own check, as `path → message` (`rules.0.stages.1.approvers.email`). */
export function checkDraft(d: PolicyDraft): Record<string, string> {
  const parsed = ApprovalPolicyBody.safeParse(toBody(d));
  const out: Record<string, string> = {};
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    out[issue.path.join('.')] ??= issue.message;
  }
  return out;
}

/** Moves item `i` of a list by `by` places (−1 up, +1 down). */
export function move<T>(items: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= items.length) return items;
  const next = [...items];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** In words, what a rule's conditions say ("First-year cost from €1,000 · Cloud"), for summaries. */
export function conditionCount(r: RuleDraft): number {
  return [
    r.minCost,
    r.maxCost,
    r.categories.length,
    list(r.services).length,
    r.kinds.length,
    r.departments.length,
    r.costCentres.length,
    r.overBudget,
  ].filter(Boolean).length;
}
