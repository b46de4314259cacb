// Approvals: policies as data (rules on an order line produce a chain of stages), the route a
// line takes, the approver's decision screen, and delegation while away.
import { z } from 'zod';
import { Amount, ServiceKind } from './catalog.ts';
import { BudgetImpact } from './budgets.ts';
import { CostCentreRef, Money, PageQuery, PersonRef } from './common.ts';
import { OptionShown } from './options.ts';

// ---- policies ----------------------------------------------------------------------------

const key = z.string().trim().min(1).max(80);

export const ApproverSpec = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('manager') }),
    z.strictObject({ type: z.literal('cost_centre_owner') }),
    z.strictObject({ type: z.literal('group'), team: key, mode: z.enum(['any', 'all']).default('any') }),
    z.strictObject({ type: z.literal('person'), email: z.email() }),
  ],
  { error: 'must be one of: manager, cost_centre_owner, group (with team and mode), person (with email)' },
);
export type ApproverSpec = z.output<typeof ApproverSpec>;

export const PolicyStage = z.strictObject({
  name: z.string().trim().min(1).max(80),
  approvers: ApproverSpec,
});
export type PolicyStage = z.output<typeof PolicyStage>;

/** Every condition given must hold; a rule without conditions matches every line. */
export const RuleConditions = z
  .strictObject({
    /** First-year cost of the line (one-time + 12 × monthly, times quantity), at least this. */
    minCost: Amount,
    /** … and below this. */
    maxCost: Amount,
    categories: z.array(key).min(1),
    services: z.array(key).min(1),
    kinds: z.array(ServiceKind).min(1),
    departments: z.array(key).min(1),
    costCentres: z.array(key).min(1),
    /** Whether the order takes its cost centre over its monthly or annual budget. */
    overBudget: z.boolean(),
  })
  .partial()
  .superRefine((w, ctx) => {
    if (w.minCost !== undefined && w.maxCost !== undefined && Number(w.minCost) >= Number(w.maxCost)) {
      ctx.addIssue({ code: 'custom', path: ['maxCost'], message: 'must be greater than minCost' });
    }
  });
export type RuleConditions = z.output<typeof RuleConditions>;

export const PolicyRule = z.strictObject({
  name: z.string().trim().min(1).max(120),
  when: RuleConditions.default({}),
  /** The chain this rule asks for, stage after stage; none: approved automatically. */
  stages: z.array(PolicyStage).max(6).default([]),
});
export type PolicyRule = z.output<typeof PolicyRule>;

export const ApprovalPolicyBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
  /** Lower first; every active policy adds the stages of its first matching rule. */
  priority: z.number().int().min(0).max(10_000).default(100),
  active: z.boolean().default(true),
  /** Business hours before a pending approval reminds its approver … */
  remindAfterHours: z.number().int().min(1).max(400).default(4),
  /** … and before it also goes to the approver's manager. */
  escalateAfterHours: z.number().int().min(1).max(800).default(16),
  rules: z.array(PolicyRule).min(1, 'a policy needs at least one rule').max(50),
});
export type ApprovalPolicyBody = z.input<typeof ApprovalPolicyBody>;

export const ApprovalPolicy = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  priority: z.number().int(),
  active: z.boolean(),
  remindAfterHours: z.number().int(),
  escalateAfterHours: z.number().int(),
  rules: z.array(PolicyRule),
  version: z.number().int(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string().nullable(),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

// ---- the route a line takes ------------------------------------------------------------

export const RouteStage = z.object({
  position: z.number().int(),
  name: z.string(),
  /** any: one of the approvers decides; all: each of them must approve. */
  mode: z.enum(['any', 'all']),
  approvers: z.array(PersonRef),
  /** In words: which policy and rule asked for this stage, and why these people. */
  why: z.string(),
  policy: z.string().nullable(),
  rule: z.string().nullable(),
});
export type RouteStage = z.infer<typeof RouteStage>;

export const ApprovalRoute = z.object({
  autoApproved: z.boolean(),
  /** One sentence: why this route. */
  summary: z.string(),
  matched: z.array(z.object({ policy: z.string(), rule: z.string() })),
  stages: z.array(RouteStage),
});
export type ApprovalRoute = z.infer<typeof ApprovalRoute>;

/** "Who would approve this?" for a sample line. */
export const PolicyTestBody = z.object({
  requester: z.email(),
  costCentre: z.string().min(1),
  service: z.string().min(1),
  plan: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  quantity: z.number().int().min(1).max(100).default(1),
});
export type PolicyTestBody = z.input<typeof PolicyTestBody>;

export const PolicyTestResult = z.object({
  firstYearCost: Money,
  currency: z.string(),
  budget: BudgetImpact.nullable(),
  route: ApprovalRoute,
});
export type PolicyTestResult = z.infer<typeof PolicyTestResult>;

// ---- approvals and their progress ---------------------------------------------------------

export const approvalStatuses = ['pending', 'approved', 'rejected', 'skipped', 'cancelled'] as const;
export const ApprovalStatus = z.enum(approvalStatuses);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** A line's chain as it stands: each stage, who is asked, who decided. */
export const ChainStage = z.object({
  position: z.number().int(),
  name: z.string(),
  mode: z.enum(['any', 'all']),
  why: z.string(),
  status: z.enum(['waiting', 'pending', 'approved', 'rejected', 'cancelled']),
  /** Who the route names for this stage; they are asked when the stage before is approved. */
  planned: z.array(PersonRef),
  approvals: z.array(
    z.object({
      approver: PersonRef,
      status: ApprovalStatus,
      decidedBy: PersonRef.nullable(),
      decidedAt: z.iso.datetime().nullable(),
      comment: z.string().nullable(),
      escalated: z.boolean(),
    }),
  ),
});
export type ChainStage = z.infer<typeof ChainStage>;

export const ApprovalChain = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
  summary: z.string(),
  stages: z.array(ChainStage),
});
export type ApprovalChain = z.infer<typeof ApprovalChain>;

export const DecisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(2000).optional(),
});
export type DecisionBody = z.infer<typeof DecisionBody>;

/** One approval as its approver sees it: everything needed to decide on one screen. */
export const Approval = z.object({
  id: z.uuid(),
  status: ApprovalStatus,
  /** Why this reached you, in words. */
  reason: z.string(),
  createdAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  decidedBy: PersonRef.nullable(),
  comment: z.string().nullable(),
  /** Set when you decide for someone who delegated to you. */
  onBehalfOf: PersonRef.nullable(),
  stage: z.object({
    position: z.number().int(),
    of: z.number().int(),
    name: z.string(),
    mode: z.enum(['any', 'all']),
  }),
  order: z.object({
    id: z.uuid(),
    number: z.string(),
    justification: z.string(),
    neededBy: z.iso.date().nullable(),
    costCentre: CostCentreRef,
    requester: PersonRef,
    department: z.string().nullable(),
  }),
  line: z.object({
    id: z.uuid(),
    service: z.object({ slug: z.string(), name: z.string(), version: z.number().int() }),
    plan: z.object({ slug: z.string(), name: z.string() }),
    options: z.record(z.string(), z.unknown()),
    optionsShown: z.array(OptionShown),
    quantity: z.number().int(),
    currency: z.string(),
    oneTimePrice: Money,
    monthlyPrice: Money,
    /** For the whole quantity: one-time + 12 × monthly. */
    firstYearCost: Money,
    leadTimeDays: z.number().int(),
  }),
  matched: z.array(z.object({ policy: z.string(), rule: z.string() })),
  chain: ApprovalChain,
  /** The cost centre's budget with this line counted (pending approvals only). */
  budget: BudgetImpact.nullable(),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalQuery = PageQuery.extend({
  status: z.enum(['pending', 'decided']).default('pending'),
});

// ---- delegation ------------------------------------------------------------------------

export const DelegationBody = z
  .object({
    to: z.email(),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    note: z.string().trim().max(500).default(''),
  })
  .superRefine((d, ctx) => {
    if (d.endsOn < d.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'must not be before startsOn' });
  });
export type DelegationBody = z.input<typeof DelegationBody>;

export const Delegation = z.object({
  id: z.uuid(),
  from: PersonRef,
  to: PersonRef,
  /** Inclusive dates. */
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  note: z.string(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Delegation = z.infer<typeof Delegation>;

export const Delegations = z.object({
  /** Mine: who decides for me while I am away. */
  given: z.array(Delegation),
  /** Who I decide for. */
  received: z.array(Delegation),
});
export type Delegations = z.infer<typeof Delegations>;
