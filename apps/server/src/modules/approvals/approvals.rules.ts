// Which rules of which policies match an order line. Pure: the facts come from the caller.
import type { ApproverSpec, PolicyRule, RuleConditions } from '@portico/shared';
import Decimal from 'decimal.js';

export interface LineFacts {
  requesterId: string;
  department: string | null;
  costCentre: { id: string; code: string; ownerId: string | null };
  service: { slug: string; kind: string; categoryPath: string[] };
  /** One-time + 12 × monthly, for the whole quantity. */
  firstYearCost: Decimal;
  /** The order takes the cost centre over its monthly or annual budget. */
  overBudget: boolean;
  /** The cost centre's budget policy asks the owner to approve the overrun. */
  budgetStage: boolean;
}

export interface PolicyLike {
  name: string;
  active: boolean;
  priority: number;
  remindAfterHours: number;
  escalateAfterHours: number;
  rules: PolicyRule[];
}

export function matches(when: RuleConditions, f: LineFacts): boolean {
  const oneOf = (list: string[] | undefined, value: string | null) =>
    list === undefined || (value !== null && list.includes(value));
  return (
    (when.minCost === undefined || f.firstYearCost.gte(when.minCost)) &&
    (when.maxCost === undefined || f.firstYearCost.lt(when.maxCost)) &&
    (when.categories === undefined || f.service.categoryPath.some((c) => when.categories!.includes(c))) &&
    oneOf(when.services, f.service.slug) &&
    oneOf(when.kinds, f.service.kind) &&
    oneOf(when.departments, f.department) &&
    oneOf(when.costCentres, f.costCentre.code) &&
    (when.overBudget === undefined || when.overBudget === f.overBudget)
  );
}

export interface StageWanted {
  name: string;
  spec: ApproverSpec;
  policy: string | null;
  rule: string | null;
  remindAfterHours: number;
  escalateAfterHours: number;
}

/** Every active policy, by priority, adds the stages of its first matching rule. */
export function stagesWanted<P extends PolicyLike>(policies: P[], f: LineFacts) {
  const matched: { policy: P; rule: PolicyRule }[] = [];
  for (const policy of [...policies].sort(
    (a, b) => a.priority - b.priority || a.name.localeCompare(b.name),
  )) {
    if (!policy.active) continue;
    const rule = policy.rules.find((r) => matches(r.when, f));
    if (rule) matched.push({ policy, rule });
  }
  const stages: StageWanted[] = matched.flatMap(({ policy, rule }) =>
    rule.stages.map((s) => ({
      name: s.name,
      spec: s.approvers,
      policy: policy.name,
      rule: rule.name,
      remindAfterHours: policy.remindAfterHours,
      escalateAfterHours: policy.escalateAfterHours,
    })),
  );
  const timers = matched[0]?.policy ?? { remindAfterHours: 4, escalateAfterHours: 16 };
  if (matched.length === 0) {
    stages.push({
      name: 'Line manager',
      spec: { type: 'manager' },
      policy: null,
      rule: null,
      ...pick(timers),
    });
  }
  if (f.budgetStage) {
    stages.push({
      name: 'Budget overrun',
      spec: { type: 'cost_centre_owner' },
      policy: null,
      rule: `budget policy of ${f.costCentre.code}`,
      ...pick(timers),
    });
  }
  return { matched, stages };
}

const pick = (t: { remindAfterHours: number; escalateAfterHours: number }) => ({
  remindAfterHours: t.remindAfterHours,
  escalateAfterHours: t.escalateAfterHours,
});
