import {
  FulfilmentDocument,
  type AdapterBody,
  type BrokerCatalog,
  type FulfilmentAdapter,
  type LineStep,
  type Task,
} from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../../platform/actor.ts';
import { hasRole } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import {
  AppError,
  badGateway,
  conflict,
  forbidden,
  invalid,
  invalidFields,
  notFound,
  type FieldError,
} from '../../platform/errors.ts';
import { decodeCursor, trimPage } from '../../platform/pagination.ts';
import type { Secrets } from '../../platform/secrets.ts';
import { recordAudit } from '../audit/index.ts';
import { people, teamByKey, teamIdsOf, teamRefs } from '../identity/index.ts';
import { describeLine, linesWithOrders, orderNumber } from '../ordering/index.ts';
import * as repo from './fulfilment.repo.ts';
import { fetchBrokerCatalog } from './adapters/osb.adapter.ts';
import { catalogToDrafts } from './adapters/osb.catalog.ts';
import type { OsbCatalog } from './adapters/osb.client.ts';
import type { OutputField } from './fulfilment.tables.ts';

async function requireTeamMember(ex: Executor, actor: Actor, teamId?: string): Promise<string[]> {
  if (!actor.userId || !hasRole(actor, 'fulfiller')) throw forbidden('Only fulfillers work on tasks');
  const teams = await teamIdsOf(ex, actor.userId);
  if (teamId && !teams.includes(teamId)) throw notFound('Task');
  return teams;
}

function checkOutputs(fields: OutputField[], outputs: Record<string, string>): void {
  const errors: FieldError[] = [];
  for (const f of fields) {
    if (f.required && !outputs[f.key]?.trim())
      errors.push({ path: `outputs.${f.key}`, message: `${f.label} is required` });
  }
  for (const key of Object.keys(outputs)) {
    if (!fields.some((f) => f.key === key))
      errors.push({ path: `outputs.${key}`, message: 'is not an output of this task' });
  }
  if (errors.length) {
    throw invalidFields(errors);
  }
}

/** Completes an open task of one of the fulfiller's teams with its outputs. */
export async function completeTask(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { outputs: Record<string, string>; note?: string },
): Promise<repo.TaskRow> {
  const task = await repo.findTask(tx, id);
  if (!task) throw notFound('Task');
  await requireTeamMember(tx, actor, task.teamId);
  checkOutputs(task.outputFields, input.outputs);
  // In the order the task declares its fields, whatever order they were sent in.
  const outputs = Object.fromEntries(
    task.outputFields.flatMap((f) =>
      input.outputs[f.key]?.trim() ? [[f.key, input.outputs[f.key]!.trim()]] : [],
    ),
  );
  const done = await repo.completeTask(tx, id, actor.userId!, outputs, input.note ?? null);
  if (!done) throw conflict('This task is already complete');
  await recordAudit(tx, actor, {
    action: 'task.completed',
    entityType: 'task',
    entityId: id,
    before: { status: 'open' },
    after: { status: 'done', outputs },
  });
  return done;
}

export async function present(ex: Executor, rows: repo.TaskRow[]): Promise<Task[]> {
  const lines = await linesWithOrders(
    ex,
    rows.map((r) => r.orderLineId),
  );
  const orders = [...lines.values()].map((l) => l.order);
  const who = await people(ex, [
    ...orders.map((o) => o.requesterId),
    ...rows.flatMap((r) => (r.completedById ? [r.completedById] : [])),
  ]);
  const teams = await teamRefs(
    ex,
    rows.map((r) => r.teamId),
  );
  // What the steps before each task delivered, from one read of the lines' steps.
  const steps = await repo.stepsOfLines(
    ex,
    rows.map((r) => r.orderLineId),
  );
  const earlierOutputs = (r: repo.TaskRow) =>
    Object.assign(
      {},
      ...steps.filter((s) => s.orderLineId === r.orderLineId && s.position < r.step).map((s) => s.outputs),
    ) as Record<string, string>;
  return rows.map((r) => {
    const { line, order } = lines.get(r.orderLineId)!;
    const { id, service, plan, options, optionsShown, quantity } = describeLine(line);
    return {
      id: r.id,
      title: r.title,
      instructions: r.instructions,
      status: r.status,
      kind: r.kind,
      team: teams.get(r.teamId)!,
      createdAt: r.createdAt.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
      completedBy: r.completedById ? (who.get(r.completedById)?.name ?? null) : null,
      note: r.note,
      outputs: r.outputs,
      outputFields: r.outputFields,
      checklist: r.checklist,
      earlierOutputs: earlierOutputs(r),
      order: { id: order.id, number: orderNumber(order.seq), requester: who.get(order.requesterId)! },
      line: { id, service, plan, options, optionsShown, quantity },
    };
  });
}

export async function listQueue(
  ex: Executor,
  actor: Actor,
  query: { status: 'open' | 'done'; limit: number; cursor?: string },
) {
  const teams = await requireTeamMember(ex, actor);
  const open = query.status === 'open';
  const page = trimPage(
    await repo.listForTeams(ex, teams, open, query.limit, decodeCursor(query.cursor)),
    query.limit,
    (r) => ({ at: (open ? r.createdAt : r.completedAt)!, id: r.id }),
  );
  return { items: await present(ex, page.rows), nextCursor: page.nextCursor };
}

export async function isWorkingOn(ex: Executor, userId: string, orderId: string) {
  return repo.hasTaskForTeams(ex, await teamIdsOf(ex, userId), orderId);
}

/** The team that answers for a plan: its first manual step's, else its first adapter's. */
export async function teamForPlan(ex: Executor, planId: string): Promise<string | null> {
  const plan = await repo.findPlanFor(ex, planId);
  for (const step of plan?.steps ?? []) {
    if (step.type === 'manual') return (await teamByKey(ex, step.team)).id;
    const adapter = await repo.findAdapter(ex, step.adapter);
    if (adapter) return adapter.teamId;
  }
  return null;
}

// ---- fulfilment plans, as the catalogue document holds them -------------------------------

/** What is wrong with a plan's steps: unknown teams and adapters, or an adapter of the wrong kind. */
export async function fulfilmentProblems(
  ex: Executor,
  doc: FulfilmentDocument,
): Promise<{ path: (string | number)[]; message: string }[]> {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [i, step] of doc.steps.entries()) {
    if (step.type === 'manual') {
      if (!(await teamByKey(ex, step.team).catch(() => null)))
        problems.push({ path: ['steps', i, 'team'], message: `no team ${step.team}` });
      continue;
    }
    const adapter = await repo.findAdapter(ex, step.adapter);
    if (!adapter)
      problems.push({
        path: ['steps', i, 'adapter'],
        message: `no adapter ${step.adapter}: choose a configured one, or ask an admin to add it`,
      });
    else if (adapter.type !== step.type)
      problems.push({
        path: ['steps', i, 'adapter'],
        message: `${step.adapter} is a ${adapter.type} adapter, not ${step.type}`,
      });
  }
  return problems;
}

/** Sets how a plan is delivered; a problem is a 400 under `field` (`plans.0.fulfilment.steps.1.adapter`). */
export async function setFulfilmentPlan(tx: Tx, planId: string, doc: FulfilmentDocument, field: string) {
  const problems = await fulfilmentProblems(tx, doc);
  if (problems.length) {
    throw invalidFields(problems.map((p) => ({ path: [field, ...p.path].join('.'), message: p.message })));
  }
  await repo.upsertPlan(tx, { planId, steps: doc.steps });
}

export async function fulfilmentDocument(ex: Executor, planId: string): Promise<FulfilmentDocument> {
  const plan = await repo.findPlanFor(ex, planId);
  if (!plan) throw new AppError('Internal', `Plan ${planId} has no fulfilment plan`);
  // Through the schema again: jsonb keeps keys in its own order, the document in the schema's.
  return FulfilmentDocument.parse({ steps: plan.steps });
}

// ---- adapters (admins) ----------------------------------------------------------------------

const requireAdmin = (actor: Actor) => {
  if (!hasRole(actor, 'admin')) throw forbidden('Only admins configure fulfilment adapters');
};

async function presentAdapters(ex: Executor, rows: repo.AdapterRow[]): Promise<FulfilmentAdapter[]> {
  const teams = await teamRefs(
    ex,
    rows.map((r) => r.teamId),
  );
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    type: r.type,
    url: r.url,
    username: r.username,
    timeoutMs: r.timeoutMs,
    maxAttempts: r.maxAttempts,
    team: teams.get(r.teamId)!,
    failures: r.failures,
    openUntil: r.openUntil?.toISOString() ?? null,
  }));
}

/** Admins manage adapters; catalogue managers pick them for a plan's steps. */
export async function listAdapters(ex: Executor, actor: Actor): Promise<FulfilmentAdapter[]> {
  if (!hasRole(actor, 'admin', 'catalog_manager'))
    throw forbidden('Only admins and catalogue managers see adapters');
  return presentAdapters(ex, await repo.listAdapters(ex));
}

/** Creates or changes an adapter (admins); the secret is sealed, and kept when a change leaves it out. */
export async function saveAdapter(
  tx: Tx,
  actor: Actor,
  secrets: Secrets,
  key: string,
  body: z.output<typeof AdapterBody>,
): Promise<FulfilmentAdapter> {
  requireAdmin(actor);
  return writeAdapter(tx, actor, secrets, key, body);
}

/** Creates or changes an adapter, for an admin or the demo seed. */
export async function writeAdapter(
  tx: Tx,
  actor: Actor,
  secrets: Secrets,
  key: string,
  body: z.output<typeof AdapterBody>,
): Promise<FulfilmentAdapter> {
  const before = await repo.findAdapter(tx, key);
  const errors: FieldError[] = [];
  const team = await teamByKey(tx, body.team).catch(() => null);
  if (!team) errors.push({ path: 'team', message: `no team ${body.team}` });
  if (!before && !body.secret) errors.push({ path: 'secret', message: 'is required for a new adapter' });
  if (body.type === 'osb' && !body.username)
    errors.push({ path: 'username', message: 'is required for a broker' });
  if (before && before.type !== body.type)
    errors.push({ path: 'type', message: `cannot change from ${before.type}: steps name this adapter` });
  if (errors.length) throw invalidFields(errors);
  const saved = await repo.upsertAdapter(tx, {
    key,
    name: body.name,
    type: body.type,
    url: body.url,
    username: body.type === 'osb' ? body.username! : null,
    secret: body.secret ? secrets.seal(body.secret) : before!.secret,
    timeoutMs: body.timeoutMs,
    maxAttempts: body.maxAttempts,
    teamId: team!.id,
  });
  await recordAudit(tx, actor, {
    action: before ? 'adapter.updated' : 'adapter.created',
    entityType: 'fulfilment_adapter',
    entityId: key,
    after: { name: body.name, type: body.type, url: body.url, secretChanged: Boolean(body.secret) },
  });
  return (await presentAdapters(tx, [saved]))[0]!;
}

// ---- the requester's tracker ---------------------------------------------------------------

/** Each line's steps as the requester sees them: who works on each, since when, how it goes. */
export async function stepsOfLines(ex: Executor, lineIds: string[]): Promise<Map<string, LineStep[]>> {
  const rows = await repo.stepsOfLines(ex, lineIds);
  const teamKeys = [
    ...new Set(rows.flatMap((r) => (r.definition.type === 'manual' ? [r.definition.team] : []))),
  ];
  const teams = new Map<string, string>();
  for (const key of teamKeys) teams.set(key, (await teamByKey(ex, key).catch(() => null))?.name ?? key);
  const adapterNames = new Map((await repo.listAdapters(ex)).map((a) => [a.key, a.name]));
  const out = new Map<string, LineStep[]>();
  for (const r of rows) {
    const d = r.definition;
    const list = out.get(r.orderLineId) ?? [];
    list.push({
      position: r.position,
      name: d.name,
      type: d.type,
      stage: d.stage,
      status: r.status,
      by: d.type === 'manual' ? teams.get(d.team)! : (adapterNames.get(d.adapter) ?? d.adapter),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      progress: r.progress,
      note: r.note,
    });
    out.set(r.orderLineId, list);
  }
  return out;
}

// ---- a broker's catalogue (import from broker, test connection) ------------------------------

export interface FetchedCatalog {
  adapter: { key: string; name: string; url: string };
  catalog: OsbCatalog;
}

/**
 * GET /v2/catalog of a broker adapter, for admins and catalogue managers. Takes no transaction:
 * the broker may take its time answering, and a transaction must not wait on it. Whatever goes
 * wrong on the broker's side is a 502 that names the adapter (never a 401: that would read as
 * "sign in to Portico"); the open circuit is not consulted, so this also tells whether a broker
 * is back.
 */
export async function readBrokerCatalog(
  ex: Executor,
  actor: Actor,
  secrets: Secrets,
  key: string,
): Promise<FetchedCatalog> {
  if (!hasRole(actor, 'admin', 'catalog_manager'))
    throw forbidden('Only admins and catalogue managers read a broker’s catalogue');
  const row = await repo.findAdapter(ex, key);
  if (!row) throw notFound(`Adapter ${key}`);
  const adapter = { key: row.key, name: row.name, url: row.url };
  if (row.type !== 'osb')
    throw invalid('key', `${row.name} (${key}) is a webhook adapter: only a broker has a catalogue`);
  try {
    const catalog = await fetchBrokerCatalog({
      url: row.url,
      username: row.username ?? '',
      password: secrets.open(row.secret),
      timeoutMs: row.timeoutMs,
    });
    return { adapter, catalog };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badGateway(`The broker ${row.name} (${key}) at ${row.url} failed: ${reason}`);
  }
}

/** What a broker offers as the import would draft it: plans, prices, order forms, what is left out. */
export function presentBrokerCatalog({ adapter, catalog }: FetchedCatalog): BrokerCatalog {
  // Category and team do not change what is shown here; the import names the real ones.
  const { drafts, skipped } = catalogToDrafts(catalog, {
    adapterKey: adapter.key,
    ownerTeam: '-',
    category: '-',
  });
  return {
    adapter,
    services: catalog.services.map((service, i) => {
      const draft = drafts[i]!;
      return {
        id: service.id,
        name: service.name,
        slug: draft.slug,
        displayName: draft.name,
        description: service.description,
        tags: draft.tags ?? [],
        bindable: service.bindable,
        options: (draft.options as Record<string, unknown> | null | undefined) ?? null,
        plans: draft.plans.map((plan, j) => ({
          name: service.plans[j]!.name,
          slug: plan.slug,
          displayName: plan.name,
          features: plan.features ?? [],
          currency: plan.currency ?? 'EUR',
          monthlyPrice: plan.monthlyPrice ?? '0.00',
          oneTimePrice: plan.oneTimePrice ?? '0.00',
        })),
      };
    }),
    skipped,
  };
}
