// The fulfilment engine: an approved line runs its plan's steps in order, each as a durable job.
//
// A manual step queues a task and waits for the fulfiller. An automated step calls its adapter
// outside any transaction (another system must never hold a database connection) and records
// the result together with the job's completion, so a crash between the call and the record
// only repeats the call — with the same idempotency key (the step's id), which the other system
// recognises as a re-send. Failures are retried with backoff and jitter up to the adapter's
// limit; an adapter that keeps failing opens its circuit (steps wait instead of calling, its
// team is told); a step that fails for good needs attention from its team, and an ambiguous
// failure (the other side may have created something) is undone first: orphan mitigation.
import type { FulfilmentStepDocument } from '@portico/shared';
import { systemActor, type Actor } from '../../platform/actor.ts';
import type { Database, Tx } from '../../platform/db.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { Secrets } from '../../platform/secrets.ts';
import { recordAudit } from '../audit/index.ts';
import { teamByKey, teamMemberIds, teamRefs } from '../identity/index.ts';
import { notify } from '../notify/index.ts';
import type { Adapter, LineFacts, StepResult } from './adapters/adapter.ts';
import { backoffMs } from './adapters/backoff.ts';
import { hashCallbackToken } from './adapters/webhook.adapter.ts';
import { queueFieldsOf } from './fulfilment.queue.service.ts';
import * as repo from './fulfilment.repo.ts';

export const STEP_JOB = 'fulfilment.step';

/** After this many failures in a row an adapter's circuit opens, first for a minute, then longer. */
const CIRCUIT_THRESHOLD = 5;
const CIRCUIT_BASE_MS = 60_000;
const CIRCUIT_CAP_MS = 30 * 60_000;
const RETRY = { baseMs: 2_000, capMs: 5 * 60_000 };
/** Polling when the adapter does not say how soon. */
const DEFAULT_POLL_MS = 5_000;
/** How long a webhook step waits for its callback before it counts as failed (ambiguously). */
const CALLBACK_DEADLINE_MS = 24 * 3_600_000;

export interface Delivery {
  lineId: string;
  /** Every step's outputs, in step order. */
  outputs: Record<string, string>;
  /** What the steps delivered as secrets, merged and sealed (platform/secrets); null when none. */
  credentials: string | null;
  note: string | null;
}

/** What the rest of the journey does when the engine moves a line (wired in the workflow). */
export interface EngineHooks {
  /** The last step is done: deliver the line (subscription, status, the requester told). */
  delivered(tx: Tx, actor: Actor, delivery: Delivery): Promise<void>;
  /**
   * A step started, finished or needs attention: the requester's tracker and bell. A retry after
   * a failed try (`step_retrying`) is for the tracker only.
   */
  tracked(
    tx: Tx,
    lineId: string,
    kind: 'step_started' | 'step_done' | 'step_failed' | 'step_retrying',
    note: string,
  ): Promise<void>;
  /** What the line asks for, as the adapters are told. */
  facts(tx: Tx, lineId: string): Promise<LineFacts>;
  /** Every step that had done something is undone: the line is taken back, or its subscription ends. */
  undone(tx: Tx, actor: Actor, lineId: string, purpose: UndoPurpose): Promise<void>;
}

/** Why a line's finished steps are undone, last first. */
export type UndoPurpose = 'abandon' | 'decommission';

export interface EngineDeps {
  database: Database;
  jobs: Jobs;
  secrets: Secrets;
  /** The portal's own address, for webhook callbacks. */
  publicUrl: string;
  /** Builds the client for an adapter's row (its secret already opened). */
  adapterFor(row: repo.AdapterRow, secret: string): Adapter;
  now?: () => Date;
}

type Step = repo.LineStepRow;
type Automated = Exclude<FulfilmentStepDocument, { type: 'manual' }>;

/** Whether two automated steps reach the same system for the same kind of thing. */
function sameResource(a: FulfilmentStepDocument, b: FulfilmentStepDocument): boolean {
  if (a.type === 'manual' || b.type !== a.type || a.adapter !== b.adapter) return false;
  return a.type === 'osb' && b.type === 'osb' ? a.service === b.service : true;
}

const systemOf = (step: Step) => systemActor(`job:${STEP_JOB}:${step.id}`);

export function fulfilmentEngine(deps: EngineDeps, hooks: EngineHooks) {
  const now = deps.now ?? (() => new Date());
  // One client per adapter and version of its settings: clients cache what they learn (a catalog).
  const clients = new Map<string, Adapter>();
  const clientFor = (row: repo.AdapterRow, secret: string) => {
    const key = `${row.key}@${row.updatedAt.toISOString()}`;
    let client = clients.get(key);
    if (!client) clients.set(key, (client = deps.adapterFor(row, secret)));
    return client;
  };

  async function enqueue(tx: Tx, step: Step, options: { undo?: boolean; afterMs?: number } = {}) {
    await deps.jobs.enqueue(
      tx,
      STEP_JOB,
      { stepId: step.id, undo: options.undo ?? false },
      options.afterMs ? { startAfter: new Date(now().getTime() + options.afterMs) } : {},
    );
  }

  /** Queues the step after `step`, or delivers the line when it was the last. */
  async function advance(tx: Tx, actor: Actor, step: Step) {
    const steps = await repo.stepsOfLine(tx, step.orderLineId);
    const next = steps.find((s) => s.position === step.position + 1);
    if (next) {
      await enqueue(tx, next);
      return;
    }
    const outputs = Object.assign({}, ...steps.map((s) => s.outputs)) as Record<string, string>;
    // The subscription keeps the secrets every step delivered, sealed together.
    const sealed = steps.flatMap((s) => (s.credentials ? [s.credentials] : []));
    const credentials = sealed.length
      ? sealed.length === 1
        ? sealed[0]!
        : deps.secrets.sealJson(
            Object.assign(
              {},
              ...sealed.map((c) => JSON.parse(deps.secrets.open(c)) as Record<string, string>),
            ),
          )
      : null;
    await hooks.delivered(tx, actor, {
      lineId: step.orderLineId,
      outputs,
      credentials,
      note: steps.findLast((s) => s.note)?.note ?? null,
    });
  }

  async function finishStep(
    tx: Tx,
    actor: Actor,
    step: Step,
    result: Extract<StepResult, { status: 'done' }>,
  ): Promise<void> {
    const done = await repo.updateStep(tx, step.id, {
      status: 'done',
      outputs: { ...step.outputs, ...(result.outputs ?? {}) },
      credentials: result.credentials ? deps.secrets.sealJson(result.credentials) : null,
      state: result.state ?? step.state,
      note: result.note ?? null,
      progress: null,
      error: null,
      callbackHash: null,
      finishedAt: now(),
    });
    // The resource now is as this step left it: whoever undoes the earlier step must see that.
    if (step.replacesStepId && result.state)
      await repo.updateStep(tx, step.replacesStepId, { state: result.state });
    await recordAudit(tx, actor, {
      action: 'fulfilment.step_done',
      entityType: 'line_step',
      entityId: step.id,
      after: { status: 'done', outputs: Object.keys(done.outputs) },
    });
    const note = result.note ? ` — ${result.note}` : '';
    await hooks.tracked(tx, step.orderLineId, 'step_done', `${step.definition.name}: done${note}`);
    await advance(tx, actor, done);
  }

  /** Gives up on a step: its team is told, and it waits in their "needs attention" queue. */
  async function needsAttention(
    tx: Tx,
    actor: Actor,
    step: Step,
    error: string,
    state: Record<string, unknown>,
  ) {
    await repo.updateStep(tx, step.id, { status: 'failed', error, state, progress: null, finishedAt: now() });
    await recordAudit(tx, actor, {
      action: 'fulfilment.step_failed',
      entityType: 'line_step',
      entityId: step.id,
      after: { status: 'failed', error, attempts: step.attempts },
    });
    const team = await teamKeyOf(tx, step.definition);
    if (team) {
      await notify(tx, await teamMemberIds(tx, team), {
        kind: 'fulfilment.needs_attention',
        title: `Needs attention: ${step.definition.name}`,
        body: error,
        link: '/tasks?status=attention',
      });
    }
    await hooks.tracked(
      tx,
      step.orderLineId,
      'step_failed',
      `${step.definition.name}: held up; the team is on it`,
    );
  }

  /** The adapter keeps failing: its steps wait instead of calling, and its team hears why. */
  async function circuitOpened(tx: Tx, adapter: repo.AdapterRow, until: Date, error: string) {
    const team = (await teamRefs(tx, [adapter.teamId])).get(adapter.teamId);
    if (!team) return;
    await notify(tx, await teamMemberIds(tx, team.key), {
      kind: 'fulfilment.circuit_open',
      title: `${adapter.name} paused after ${adapter.failures + 1} failures in a row`,
      body: `Calls wait until ${until.toISOString().slice(11, 16)} UTC, then it is tried again. Last error: ${error}`,
      link: '/admin/adapters',
    });
    await recordAudit(tx, systemActor(`adapter:${adapter.key}`), {
      action: 'fulfilment.circuit_opened',
      entityType: 'fulfilment_adapter',
      entityId: adapter.key,
      after: { failures: adapter.failures + 1, openUntil: until.toISOString() },
    });
  }

  async function teamKeyOf(tx: Tx, definition: FulfilmentStepDocument): Promise<string | null> {
    if (definition.type === 'manual') return definition.team;
    const adapter = await repo.findAdapter(tx, definition.adapter);
    return adapter ? ((await teamRefs(tx, [adapter.teamId])).get(adapter.teamId)?.key ?? null) : null;
  }

  /** Records what an adapter answered; runs inside the transaction that completes the job. */
  async function apply(tx: Tx, stepId: string, undo: boolean, result: StepResult) {
    const step = await repo.lockStep(tx, stepId);
    if (!step || !['running', 'waiting', 'undoing'].includes(step.status)) return;
    const actor = systemOf(step);
    const definition = step.definition as Automated;
    const adapter = (await repo.findAdapter(tx, definition.adapter))!;

    if (result.status === 'failed' && result.retryable) {
      const openUntil = circuit(adapter);
      await repo.adapterFailed(tx, adapter.key, openUntil);
      if (openUntil && !(adapter.openUntil && adapter.openUntil > now()))
        await circuitOpened(tx, adapter, openUntil, result.error);
    } else await repo.adapterSucceeded(tx, adapter.key);

    if (undo) {
      if (result.status === 'done') {
        await stepUndone(tx, actor, step, result.state ?? step.state);
      } else if (result.status === 'working') {
        await repo.updateStep(tx, step.id, {
          state: result.state,
          progress: result.progress ?? null,
          attempts: 0,
        });
        await enqueue(tx, step, { undo: true, afterMs: result.pollAfterMs ?? DEFAULT_POLL_MS });
      } else if (result.retryable && step.attempts + 1 < adapter.maxAttempts) {
        await repo.updateStep(tx, step.id, {
          attempts: step.attempts + 1,
          state: result.state ?? step.state,
        });
        await enqueue(tx, step, { undo: true, afterMs: retryIn(step.attempts + 1, result) });
      } else {
        await needsAttention(tx, actor, step, `Could not undo: ${result.error}`, result.state ?? step.state);
      }
      return;
    }

    switch (result.status) {
      case 'done':
        await finishStep(tx, actor, step, result);
        return;
      case 'working': {
        const waitsForCallback = result.pollAfterMs === undefined && definition.type === 'webhook';
        await repo.updateStep(tx, step.id, {
          status: 'waiting',
          state: result.state,
          progress: result.progress ?? null,
          attempts: 0,
        });
        // A callback that never comes fails the step when the deadline job finds it still waiting.
        await enqueue(tx, step, {
          afterMs: waitsForCallback ? CALLBACK_DEADLINE_MS : (result.pollAfterMs ?? DEFAULT_POLL_MS),
        });
        return;
      }
      case 'failed': {
        const state = result.state ?? step.state;
        const failures = step.attempts + 1;
        if (result.retryable && failures < adapter.maxAttempts) {
          // The requester's tracker says so, as a parcel's does after a missed delivery; why it
          // failed stays with the team (the error).
          const retrying = `try ${failures} with ${adapter.name} failed; trying again`;
          await repo.updateStep(tx, step.id, {
            status: 'running',
            error: result.error,
            state,
            attempts: failures,
            progress: retrying[0]!.toUpperCase() + retrying.slice(1),
          });
          await hooks.tracked(tx, step.orderLineId, 'step_retrying', `${step.definition.name}: ${retrying}`);
          await enqueue(tx, step, { afterMs: retryIn(failures, result) });
          return;
        }
        await repo.updateStep(tx, step.id, { attempts: failures });
        if (result.ambiguous) {
          // It may exist on the other side: clean it up before anyone looks at the failure.
          await repo.updateStep(tx, step.id, {
            status: 'undoing',
            undoFor: 'orphan',
            error: result.error,
            state,
            attempts: 0,
          });
          await enqueue(tx, step, { undo: true });
          return;
        }
        await needsAttention(tx, actor, step, result.error, state);
      }
    }
  }

  /** A step is undone: after orphan mitigation its failure goes to the team; otherwise the one before is next. */
  async function stepUndone(tx: Tx, actor: Actor, step: Step, state: Record<string, unknown>) {
    const purpose = step.undoFor ?? 'orphan';
    const undone = await repo.updateStep(tx, step.id, {
      status: 'undone',
      state,
      progress: null,
      finishedAt: now(),
    });
    if (purpose === 'orphan') {
      // Cleaned up, so a retry starts afresh; the failure itself still needs the team.
      const error = `${step.error} (anything it may have created was removed)`;
      await needsAttention(tx, actor, undone, error, {});
      return;
    }
    await hooks.tracked(tx, step.orderLineId, 'step_done', `${step.definition.name}: undone`);
    await undoNext(tx, actor, step.orderLineId, purpose);
  }

  /** Undoes the line's last finished step; when none is left, the line's undoing is complete. */
  async function undoNext(tx: Tx, actor: Actor, lineId: string, purpose: UndoPurpose) {
    const steps = await repo.stepsOfLine(tx, lineId);
    const last = steps.findLast((s) => s.status === 'done');
    if (!last) {
      await hooks.undone(tx, actor, lineId, purpose);
      return;
    }
    const undoing = await repo.updateStep(tx, last.id, {
      status: 'undoing',
      undoFor: purpose,
      attempts: 0,
      error: null,
    });
    await enqueue(tx, undoing, { undo: true });
  }

  /** A manual step's task in its team's queue, with what the line asks for in the title. */
  async function openTask(
    tx: Tx,
    step: Step,
    definition: Extract<FulfilmentStepDocument, { type: 'manual' }>,
    kind: 'do' | 'undo',
  ) {
    const team = await teamByKey(tx, definition.team);
    const facts = await hooks.facts(tx, step.orderLineId);
    const what = `${facts.service.name} · ${facts.plan.name}`;
    const why = step.undoFor === 'decommission' ? 'is being decommissioned' : 'was abandoned';
    const task = await repo.insertTaskOnce(tx, {
      orderId: step.orderId,
      orderLineId: step.orderLineId,
      step: step.position,
      kind,
      lineStepId: step.id,
      teamId: team.id,
      title: kind === 'do' ? `${definition.name}: ${what}` : `Undo ${definition.name}: ${what}`,
      instructions:
        kind === 'do'
          ? definition.instructions
          : `This ${facts.service.name} ${why}: reverse what this step did (take back, wipe, remove access).\n\nThe step's instructions were:\n\n${definition.instructions}`,
      checklist: kind === 'do' ? definition.checklist : [],
      outputFields: kind === 'do' ? definition.outputs : [],
      ...(await queueFieldsOf(tx, facts, kind, now())),
    });
    if (task) {
      await recordAudit(tx, systemOf(step), {
        action: 'task.created',
        entityType: 'task',
        entityId: task.id,
        after: { status: 'open', kind, teamId: team.id, orderLineId: step.orderLineId, step: step.position },
      });
    }
  }

  /** Exponential backoff with full jitter after `failures` in a row, or longer if the other side asks. */
  const retryIn = (failures: number, result: Extract<StepResult, { status: 'failed' }>) =>
    Math.max(backoffMs(failures - 1, RETRY), Math.min(result.retryAfterMs ?? 0, RETRY.capMs));

  /** The step's callback token: the same on every re-send of the step, so any copy works (once). */
  const callbackToken = (step: Step) => deps.secrets.derive(`fulfilment-callback:${step.id}`);

  function circuit(adapter: repo.AdapterRow): Date | null {
    const failures = adapter.failures + 1;
    if (failures < CIRCUIT_THRESHOLD) return null;
    const ms = Math.min(CIRCUIT_CAP_MS, CIRCUIT_BASE_MS * 2 ** (failures - CIRCUIT_THRESHOLD));
    return new Date(now().getTime() + ms);
  }

  return {
    /**
     * Job (on approval): the line gets its plan's steps, and the first one is queued. A line that
     * changes what an earlier line delivered (`changes`: that line) works on its resources: each
     * automated step that reaches the same system and service as a finished step of that line
     * updates what that step made instead of making another.
     */
    async start(tx: Tx, planId: string, line: { lineId: string; orderId: string; changes?: string }) {
      const plan = await repo.findPlanFor(tx, planId);
      if (!plan) throw new AppError('Internal', `Plan ${planId} has no fulfilment plan`);
      const created = await repo.insertStepsOnce(tx, plan.steps, line);
      if (line.changes && created.length) {
        const earlier = await repo.stepsOfLine(tx, line.changes);
        for (const step of created) {
          const replaced = earlier.find(
            (e) => e.status === 'done' && sameResource(e.definition, step.definition),
          );
          if (replaced) await repo.updateStep(tx, step.id, { replacesStepId: replaced.id });
        }
      }
      if (created[0]) await enqueue(tx, created[0]);
    },

    /**
     * Job: runs one step (or undoes it). Manual steps queue their task; automated ones call
     * their adapter between two transactions.
     */
    async runStep(
      data: { stepId: string; undo: boolean },
      finish: (work: (tx: Tx) => Promise<void>) => Promise<void>,
    ): Promise<void> {
      const prepared = await deps.database.transaction(async (tx) => {
        const step = await repo.lockStep(tx, data.stepId);
        if (!step) return null;
        const runnable = data.undo ? ['undoing', 'done'] : ['queued', 'running', 'waiting'];
        if (!runnable.includes(step.status)) return null;
        if (step.definition.type === 'manual') return { step, manual: true as const };
        const adapter = await repo.findAdapter(tx, step.definition.adapter);
        if (!adapter) return { step, missing: step.definition.adapter };
        if (adapter.openUntil && adapter.openUntil > now()) {
          return { step, circuitOpenFor: adapter.openUntil.getTime() - now().getTime() };
        }
        // Undoing a change must not remove what it changed: the earlier step owns the resource.
        if (data.undo && step.replacesStepId) return { step, keeps: true as const };
        const first = step.status === 'queued';
        const updated = await repo.updateStep(tx, step.id, {
          status: data.undo ? 'undoing' : first || step.status === 'running' ? 'running' : step.status,
          startedAt: step.startedAt ?? now(),
        });
        if (first)
          await hooks.tracked(tx, step.orderLineId, 'step_started', `${step.definition.name}: started`);
        const callback = step.definition.type === 'webhook' && !data.undo ? callbackToken(step) : null;
        if (callback && step.status !== 'waiting') {
          await repo.updateStep(tx, step.id, { callbackHash: hashCallbackToken(callback) });
        }
        const before = await repo.outputsBefore(tx, step.orderLineId, step.position);
        const replaced = step.replacesStepId ? await repo.findStep(tx, step.replacesStepId) : undefined;
        return {
          replaces: replaced ? { state: replaced.state, outputs: replaced.outputs } : undefined,
          step: updated,
          adapter,
          secret: deps.secrets.open(adapter.secret),
          facts: await hooks.facts(tx, step.orderLineId),
          // Undoing needs what the step itself produced (the id of what it created).
          outputs: data.undo ? { ...before, ...step.outputs } : before,
          callbackUrl: callback ? `${deps.publicUrl}/api/fulfilment/callbacks/${callback}` : null,
        };
      });
      if (!prepared) return;
      const { step } = prepared;

      if ('manual' in prepared) {
        await finish(async (tx) => {
          const locked = await repo.lockStep(tx, step.id);
          if (locked?.definition.type !== 'manual') return;
          if (data.undo && locked.status === 'undoing') {
            await openTask(tx, locked, locked.definition, 'undo');
            await hooks.tracked(
              tx,
              step.orderLineId,
              'step_started',
              `Undo ${step.definition.name}: with the team`,
            );
            return;
          }
          if (data.undo || locked.status !== 'queued') return;
          await openTask(tx, locked, locked.definition, 'do');
          await repo.updateStep(tx, step.id, { status: 'waiting', startedAt: now() });
          await hooks.tracked(tx, step.orderLineId, 'step_started', `${step.definition.name}: with the team`);
        });
        return;
      }
      if ('keeps' in prepared) {
        await finish((tx) => apply(tx, step.id, true, { status: 'done', state: step.state }));
        return;
      }
      if ('missing' in prepared) {
        await finish((tx) =>
          needsAttention(tx, systemOf(step), step, `No adapter ${prepared.missing}`, step.state),
        );
        return;
      }
      if ('circuitOpenFor' in prepared) {
        // The other system keeps failing: wait for the circuit instead of adding to its load.
        await finish((tx) => enqueue(tx, step, { undo: data.undo, afterMs: prepared.circuitOpenFor }));
        return;
      }

      const definition = step.definition as Automated;
      const adapter = clientFor(prepared.adapter, prepared.secret);
      // A webhook gets its step's own settings; a broker, which service and plan to provision.
      const config: Record<string, unknown> =
        definition.type === 'webhook'
          ? definition.config
          : {
              service: definition.service,
              plan: definition.plan,
              parameters: definition.parameters,
              bind: definition.bind,
            };
      const call = {
        idempotencyKey: step.id,
        line: prepared.facts,
        config,
        outputs: prepared.outputs,
        state: step.state,
        ...(prepared.replaces ? { replaces: prepared.replaces } : {}),
        ...(prepared.callbackUrl ? { callbackUrl: prepared.callbackUrl } : {}),
      };
      // A webhook step still waiting when its deadline job runs never got its callback.
      const deadlinePassed = !data.undo && step.status === 'waiting' && definition.type === 'webhook';
      const result = await (
        deadlinePassed
          ? Promise.resolve<StepResult>({
              status: 'failed',
              error: `no result from ${prepared.adapter.name} within ${CALLBACK_DEADLINE_MS / 3_600_000} hours`,
              retryable: false,
              ambiguous: true,
            })
          : data.undo
            ? adapter.undo(call)
            : step.status === 'waiting'
              ? adapter.poll(call)
              : adapter.start(call)
      ).catch((err: unknown): StepResult => ({
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
        retryable: true,
        ambiguous: true,
      }));
      await finish((tx) => apply(tx, step.id, data.undo, result));
    },

    /** A fulfiller completed a manual step's task: the step is done and the line moves on. */
    async taskCompleted(
      tx: Tx,
      actor: Actor,
      lineStepId: string,
      outputs: Record<string, string>,
      note: string | null,
    ) {
      const step = await repo.lockStep(tx, lineStepId);
      if (step?.status === 'undoing') await stepUndone(tx, actor, step, step.state);
      else if (step?.status === 'waiting')
        await finishStep(tx, actor, step, { status: 'done', outputs, ...(note ? { note } : {}) });
    },

    /** The team tries a step that needs attention again (or, if it failed while undoing, its undo). */
    async retry(tx: Tx, actor: Actor, stepId: string) {
      const step = await repo.lockStep(tx, stepId);
      if (!step) throw notFound('Step');
      if (step.status !== 'failed') throw conflict('Only a step that needs attention can be tried again');
      const undoing = step.undoFor === 'abandon' || step.undoFor === 'decommission';
      const retried = await repo.updateStep(tx, step.id, {
        status: undoing ? 'undoing' : 'running',
        undoFor: undoing ? step.undoFor : null,
        attempts: 0,
        error: null,
        finishedAt: null,
      });
      await recordAudit(tx, actor, {
        action: 'fulfilment.step_retried',
        entityType: 'line_step',
        entityId: step.id,
        before: { status: 'failed', error: step.error },
        after: { status: retried.status },
      });
      await hooks.tracked(tx, step.orderLineId, 'step_started', `${step.definition.name}: trying again`);
      await enqueue(tx, retried, { undo: undoing });
    },

    /**
     * The team gives up on a line that needs attention: what is still to do is dropped, open tasks
     * are cancelled, and every finished step is undone, last first (deprovision what was
     * provisioned); then the line is cancelled.
     */
    async abandon(tx: Tx, actor: Actor, lineId: string, reason: string) {
      const steps = await repo.lockStepsOfLine(tx, lineId);
      const stuck = steps.filter(
        (s) => s.status === 'failed' && s.undoFor !== 'abandon' && s.undoFor !== 'decommission',
      );
      if (stuck.length === 0) throw conflict('Only a line with a step that needs attention can be abandoned');
      for (const s of steps) {
        if (
          s.status === 'failed' ||
          s.status === 'queued' ||
          s.status === 'running' ||
          s.status === 'waiting'
        )
          await repo.updateStep(tx, s.id, { status: 'abandoned', finishedAt: now(), callbackHash: null });
      }
      await repo.cancelOpenTasks(tx, lineId);
      await recordAudit(tx, actor, {
        action: 'fulfilment.line_abandoned',
        entityType: 'order_line',
        entityId: lineId,
        after: { reason, steps: stuck.map((s) => s.id) },
      });
      await hooks.tracked(tx, lineId, 'step_failed', `Abandoned by the team: ${reason}`);
      await undoNext(tx, actor, lineId, 'abandon');
    },

    /** Ends what a delivered line provides: its steps are undone last first (unbind, deprovision). */
    async decommission(tx: Tx, actor: Actor, lineId: string) {
      await repo.lockStepsOfLine(tx, lineId);
      await undoNext(tx, actor, lineId, 'decommission');
    },

    /** A webhook's late result, through its one-time callback URL. */
    async callback(tx: Tx, tokenHash: string, result: StepResult): Promise<boolean> {
      const step = await repo.stepByCallback(tx, tokenHash);
      if (!step || step.status !== 'waiting') return false;
      await repo.updateStep(tx, step.id, { callbackHash: null });
      await apply(tx, step.id, false, result);
      return true;
    },
  };
}

export type FulfilmentEngine = ReturnType<typeof fulfilmentEngine>;
