// The Open Service Broker adapter (OSB API v2.17): provisions with accepts_incomplete=true and
// polls last_operation, binds for credentials, and on undo unbinds and deprovisions until the
// broker says the instance is gone (410 or `succeeded`). A step that changes an earlier step's
// instance (`StepCall.replaces`: a resize) moves it to its own plan with PATCH instead.
//
// Ids are derived from the step's idempotency key, never random, so a re-send after a crash
// names the same instance and binding and the broker recognises it (same attributes: 202 with
// the same operation, or 200). For the same reason anything the broker holds under our instance
// id is ours: once a request may have reached the broker, every later failure is `ambiguous`,
// and the engine cleans up with `undo` before it gives up (spec, "Orphan Mitigation").
//
// How each answer is read, per call (spec sections in brackets):
//
//   PUT instance      200/201 provisioned → bind · 202 accepted → poll
//                     5xx, timeout, reset, 2xx with a malformed body → retry, ambiguous [OM: yes]
//                     408, 429, 422 ConcurrencyError → retry, not ambiguous [OM: no]
//                     400, 409, other 422, other 4xx, 3xx → final, with the broker's words
//   last_operation    in progress → working (Retry-After respected) · succeeded → bind
//                     failed → final, ambiguous [OM: yes] · beyond maximum_polling_duration →
//                     final, ambiguous [Polling Interval and Duration] · 400, 401, 403, 412 → final
//                     410, 404, 5xx, malformed, no answer → retry, ambiguous ("continue polling")
//   PUT binding       200/201 → done with credentials · 202 → poll the binding's last_operation
//                     5xx, timeout, malformed, ConcurrencyError, 408, 429 → retry · other 4xx → final
//                     (all ambiguous: the instance exists, so giving up means deprovisioning it)
//   DELETE binding    200, 410 → deprovision · 202 → poll · 5xx, timeout, 408, 429,
//                     ConcurrencyError → retry · other 4xx → final
//   DELETE instance   200, 410 → done · 202 → poll until 410/succeeded · `failed` → retry (sends
//                     DELETE again) · same retries and finals as DELETE binding
//   PATCH instance    on the new plan already → done, nothing sent · the plan the instance is on
//                     (else its service) not plan_updateable → final, nothing sent
//                     200 → done · 202 → poll (last_operation names the old plan until done)
//                     5xx, timeout, reset, 408, 429 → retry · ConcurrencyError → retry after a pause
//                     MaintenanceInfoConflict → read the catalog again, retry · 400, other 4xx → final
//   last_operation    in progress → working · succeeded → done (GET instance for its new sizes,
//     (update)        best effort) · failed, overdue, 400, 401, 403, 412 → final · others → retry
//                     An update is never ambiguous and never deprovisions: a failed one leaves the
//                     instance as it was (spec: no change after a 4xx), and a re-sent PATCH gets the
//                     running operation (202) or, once applied, 200.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LineFacts, Adapter, StepCall, StepResult } from './adapter.ts';
import {
  BindingAnswer,
  InstanceAnswer,
  LastOperation,
  OSB_PLATFORM,
  OperationAnswer,
  OsbCatalogError,
  OsbTransportError,
  ProvisionAnswer,
  UpdateAnswer,
  describeAnswer,
  describeIssues,
  errorCode,
  fetchCatalog,
  hintFor,
  osbClient,
  type OsbAnswer,
  type OsbCatalog,
  type OsbPlan,
  type OsbService,
  type PlanRef,
} from './osb.client.ts';

export const OsbSettings = z.object({
  url: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1),
  password: z.string().min(1),
  /** Per request. Spec: platforms typically give up after 60 s. */
  timeoutMs: z.number().int().positive().max(300_000),
  /** How soon to poll last_operation again when the broker sends no (longer) Retry-After. */
  pollIntervalMs: z.number().int().positive().max(3_600_000).default(5_000),
  /** The platform's own maximum polling duration (the plan's, when shorter, wins). */
  maxPollingMs: z
    .number()
    .int()
    .positive()
    .default(24 * 3_600_000),
});
export type OsbSettings = z.input<typeof OsbSettings>;

/** The step's configuration in the catalogue (the engine passes it as `config`). */
export const OsbStepConfig = z.object({
  /** The broker's service offering, by name or id. */
  service: z.string().min(1),
  /** The broker's plan, by name or id. */
  plan: z.string().min(1),
  /** Bind for credentials once provisioned (skipped when the plan is not bindable). */
  bind: z.boolean().default(true),
  /** Fixed provision parameters; they win over the order's options of the same name. */
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export type OsbStepConfig = z.output<typeof OsbStepConfig>;

/** What the adapter keeps between calls (the engine stores it with the step; nothing secret). */
const OsbState = z.object({
  phase: z.enum(['provisioning', 'binding', 'ready', 'updating', 'unbinding', 'deprovisioning', 'gone']),
  instanceId: z.string(),
  /** Null when the step does not bind. */
  bindingId: z.string().nullable(),
  serviceId: z.string(),
  planId: z.string(),
  /** The broker's id of the operation being polled (brokers may send none). */
  operation: z.string().nullable(),
  /** When polling the current operation began (ISO); null until the broker accepted it (202). */
  pollingSince: z.string().nullable(),
  /** The plan's maximum_polling_duration in seconds, when it has one. */
  maxPollingSeconds: z.number().positive().nullable(),
  /** A request may have reached the broker: anything under instanceId is ours to clean up. */
  mayExist: z.boolean(),
  dashboardUrl: z.string().nullable(),
  /** Non-secret facts about the instance from the provision answer (OSB 2.16 metadata.attributes). */
  attributes: z.record(z.string(), z.string()),
  /**
   * While `updating`: the plan the instance is moving to. `planId` stays the plan it is on until
   * the broker says the change succeeded (spec: last_operation names the plan prior to the
   * update); `maxPollingSeconds` is already the new plan's.
   */
  updatingTo: z
    .object({
      planId: z.string(),
      planName: z.string(),
      fromPlanName: z.string(),
      /** The service is instances_retrievable: read the instance's new attributes once it is done. */
      refetch: z.boolean(),
    })
    .optional(),
});
type OsbState = z.infer<typeof OsbState>;
type Updating = OsbState & { updatingTo: NonNullable<OsbState['updatingTo']> };
const isUpdating = (state: OsbState | null): state is Updating =>
  state?.phase === 'updating' && state.updatingTo !== undefined;

/** Fixed namespace for uuid v5 ids derived from idempotency keys that are not uuids themselves. */
const ID_NAMESPACE = 'a41b2682-2024-4eb4-b822-e9e25dc7dbab';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A uuid, optionally behind a short prefix of URL-safe characters (the spec's "unreserved" set). */
const USABLE_AS_ID = new RegExp(`^[A-Za-z0-9._~-]{0,64}${UUID}$`, 'i');

/**
 * The OSB instance id of a step: its idempotency key when that is a uuid (the engine's step ids
 * are), else a uuid v5 of the key. Either way the same key always names the same instance.
 */
export function instanceIdFor(idempotencyKey: string): string {
  return USABLE_AS_ID.test(idempotencyKey) ? idempotencyKey : uuidV5(idempotencyKey, ID_NAMESPACE);
}

export function bindingIdFor(instanceId: string): string {
  return uuidV5(`${instanceId}/binding`, ID_NAMESPACE);
}

/** RFC 9562 §5.5: SHA-1 of namespace and name, version 5, variant 10. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface OsbAdapterOptions {
  /** The clock (tests move it past a plan's maximum polling duration). */
  now?: () => Date;
}

/** GET /v2/catalog from a broker, checked against the spec's shape (for "import from broker"). */
export async function fetchBrokerCatalog(settings: OsbSettings): Promise<OsbCatalog> {
  const parsed = OsbSettings.safeParse(settings);
  if (!parsed.success) throw new Error(`broker settings: ${describeIssues(parsed.error)}`);
  return fetchCatalog(osbClient(parsed.data));
}

interface Target {
  service: OsbService;
  plan: OsbPlan;
  config: OsbStepConfig;
}

export function osbAdapter(settings: OsbSettings, options: OsbAdapterOptions = {}): Adapter {
  const parsedSettings = OsbSettings.safeParse(settings);
  if (!parsedSettings.success) {
    // A configuration error: every call says so, and nobody retries it.
    const error = `the broker adapter is misconfigured: ${describeIssues(parsedSettings.error)}`;
    const refuse = async (): Promise<StepResult> => ({ status: 'failed', error, retryable: false });
    return { start: refuse, poll: refuse, undo: refuse };
  }
  const config = parsedSettings.data;
  const client = osbClient(config);
  const now = options.now ?? (() => new Date());
  let catalog: Promise<OsbCatalog> | null = null;

  /** The broker's catalog, fetched once per adapter instance (again when asked to, or after a failure). */
  function loadCatalog(fresh = false): Promise<OsbCatalog> {
    if (!catalog || fresh) {
      const pending = fetchCatalog(client);
      catalog = pending;
      pending.catch(() => {
        if (catalog === pending) catalog = null;
      });
    }
    return catalog;
  }

  /** The step's service and plan in the broker's catalog, or why not. */
  async function resolve(call: StepCall): Promise<Target | { failure: string; retryable: boolean }> {
    const stepConfig = OsbStepConfig.safeParse(call.config);
    if (!stepConfig.success) {
      return {
        failure: `the step's configuration is invalid: ${describeIssues(stepConfig.error)}`,
        retryable: false,
      };
    }
    const wanted = stepConfig.data;
    const find = async (fresh: boolean) => {
      const { services } = await loadCatalog(fresh);
      const service =
        services.find((s) => s.id === wanted.service) ?? services.find((s) => s.name === wanted.service);
      const plan =
        service &&
        (service.plans.find((p) => p.id === wanted.plan) ??
          service.plans.find((p) => p.name === wanted.plan));
      return { services, service, plan };
    };
    try {
      // A miss in the cached catalog may be a change at the broker: look once more before saying no.
      let found = await find(false);
      if (!found.plan) found = await find(true);
      const { services, service, plan } = found;
      if (service && plan) return { service, plan, config: wanted };
      const failure = service
        ? `the broker's ${service.name} has no plan "${wanted.plan}" (it has ${service.plans.map((p) => p.name).join(', ')})`
        : `the broker has no service "${wanted.service}" (it has ${services.map((s) => s.name).join(', ') || 'none'})`;
      return { failure, retryable: false };
    } catch (error) {
      // No answer, or 5xx/408/429: try again later; any other refusal will not get better.
      const retryable = !(error instanceof OsbCatalogError) || error.retryable;
      return { failure: `could not read the broker's catalog: ${messageOf(error)}`, retryable };
    }
  }

  const planOf = (state: OsbState): PlanRef => ({ service_id: state.serviceId, plan_id: state.planId });

  function working(state: OsbState, answer: OsbAnswer | null, progress?: string | null): StepResult {
    // Retry-After asks us not to come back sooner; our own interval keeps a fast broker from
    // being polled in a tight loop.
    const pollAfterMs = Math.max(config.pollIntervalMs, Math.min(answer?.retryAfterMs ?? 0, 3_600_000));
    return { status: 'working', state, pollAfterMs, ...(progress ? { progress } : {}) };
  }

  /** How long polling of the current operation has gone on, and whether that is too long. */
  function overdue(state: OsbState): string | null {
    if (!state.pollingSince) return null;
    const elapsedMs = now().getTime() - Date.parse(state.pollingSince);
    const planMs = state.maxPollingSeconds ? state.maxPollingSeconds * 1000 : Infinity;
    const limitMs = Math.min(planMs, config.maxPollingMs);
    if (!(elapsedMs > limitMs)) return null;
    const whose =
      planMs <= config.maxPollingMs
        ? "the plan's maximum polling duration"
        : "Portico's maximum polling duration";
    return `still not finished after ${seconds(elapsedMs)}, longer than ${whose} (${seconds(limitMs)})`;
  }

  // ---- provision and bind --------------------------------------------------------------

  async function advance(call: StepCall): Promise<StepResult> {
    if (call.replaces) return change(call, call.replaces.state);
    const state = readState(call.state);
    if (!state || state.phase === 'gone') return provision(call, null);
    switch (state.phase) {
      case 'provisioning':
        return state.pollingSince ? pollProvision(call, state) : provision(call, state);
      case 'binding':
        return state.pollingSince ? pollBinding(call, state) : bind(call, state);
      case 'ready':
        // Asked again after it was done: a re-sent bind answers 200 with the same credentials.
        return state.bindingId ? bind(call, state) : done(state, null);
      default:
        return fail(
          `the instance is being deleted (${state.phase}); it cannot be provisioned now`,
          false,
          state,
        );
    }
  }

  async function provision(call: StepCall, prior: OsbState | null): Promise<StepResult> {
    const target = await resolve(call);
    if ('failure' in target) return fail(target.failure, target.retryable, prior);
    const { service, plan } = target;
    const instanceId = instanceIdFor(call.idempotencyKey);
    const bindable = target.config.bind && (plan.bindable ?? service.bindable);
    const state: OsbState = {
      phase: 'provisioning',
      instanceId,
      bindingId: bindable ? bindingIdFor(instanceId) : null,
      serviceId: service.id,
      planId: plan.id,
      operation: null,
      pollingSince: null,
      maxPollingSeconds: maxPollingOf(plan),
      mayExist: prior?.mayExist ?? false,
      dashboardUrl: null,
      attributes: {},
    };
    const body = {
      service_id: service.id,
      plan_id: plan.id,
      context: contextOf(call.line),
      parameters: parametersFor(createSchemaOf(plan), call.line.options, target.config.parameters),
    };
    const what = `create the ${service.name} (${plan.name})`;
    let answer: OsbAnswer;
    try {
      answer = await client.provision(instanceId, body, identityOf(call.line));
    } catch (error) {
      return transportFailure(error, what, { ...state, mayExist: state.mayExist || reached(error) }, true);
    }
    const { status } = answer;
    if (status === 200 || status === 201 || status === 202) {
      // An empty body is fine (every field is optional); one that is not JSON is not.
      const parsed = ProvisionAnswer.safeParse(answer.text.trim() === '' ? {} : answer.json);
      const accepted: OsbState = { ...state, mayExist: true };
      if (!parsed.success) {
        // Spec: a 201 with a malformed body is a failure that needs orphan mitigation.
        return fail(
          `${what}: the broker answered ${status} with a malformed body (${describeIssues(parsed.error)})`,
          true,
          accepted,
          true,
        );
      }
      const next: OsbState = {
        ...accepted,
        dashboardUrl: parsed.data.dashboard_url ?? null,
        attributes: publicAttributes(parsed.data.metadata?.attributes),
      };
      if (status === 202) {
        return working(
          { ...next, operation: parsed.data.operation ?? null, pollingSince: now().toISOString() },
          null,
          'The broker accepted the request',
        );
      }
      return provisioned(call, next);
    }
    return rejected(answer, what, state, { creating: true });
  }

  async function pollProvision(call: StepCall, state: OsbState): Promise<StepResult> {
    const what = 'check on the provisioning';
    let answer: OsbAnswer;
    try {
      answer = await client.lastOperation(state.instanceId, planOf(state), state.operation);
    } catch (error) {
      return pollingFailure(transportMessage(error), state);
    }
    if (answer.status === 200) {
      const parsed = LastOperation.safeParse(answer.json);
      if (!parsed.success)
        return pollingFailure(`${what}: malformed answer (${describeIssues(parsed.error)})`, state);
      const { state: opState, description } = parsed.data;
      if (opState === 'succeeded')
        return provisioned(call, { ...state, operation: null, pollingSince: null });
      if (opState === 'failed') {
        return fail(
          `the broker could not create the instance: ${description || 'no reason given'}`,
          false,
          state,
          true,
        );
      }
      const late = overdue(state);
      if (late)
        return fail(
          `gave up on the provisioning: ${late}; last news: ${description || 'none'}`,
          false,
          state,
          true,
        );
      return working(state, answer, description);
    }
    // Spec: 410 while creating is an invalid answer, and other codes mean "keep polling" — up to
    // the maximum duration. A malformed request (400) or a refused login will not get better.
    if ([400, 401, 403, 412].includes(answer.status))
      return fail(`${what}: ${describeAnswer(answer)}`, false, state, true);
    return pollingFailure(`${what}: ${describeAnswer(answer)}`, state);
  }

  /** A failed poll: retried until the operation is overdue, then given up (ambiguously). */
  function pollingFailure(error: string, state: OsbState): StepResult {
    const late = overdue(state);
    return late ? fail(`${error}; ${late}`, false, state, true) : fail(error, true, state, true);
  }

  function provisioned(call: StepCall, state: OsbState): Promise<StepResult> | StepResult {
    if (!state.bindingId) return done({ ...state, phase: 'ready' }, null);
    return bind(call, { ...state, phase: 'binding' });
  }

  async function bind(call: StepCall, state: OsbState): Promise<StepResult> {
    const target = await resolve(call);
    if ('failure' in target) return fail(target.failure, target.retryable, state, true);
    const bindingId = state.bindingId!;
    const body = {
      service_id: state.serviceId,
      plan_id: state.planId,
      context: contextOf(call.line),
      parameters: parametersFor(bindSchemaOf(target.plan), call.line.options, {}),
    };
    const what = 'create the credentials (bind)';
    let answer: OsbAnswer;
    try {
      answer = await client.bind(state.instanceId, bindingId, body, identityOf(call.line));
    } catch (error) {
      return transportFailure(error, what, state, true);
    }
    if (answer.status === 200 || answer.status === 201) return bound(answer, what, state);
    if (answer.status === 202) {
      const parsed = OperationAnswer.safeParse(answer.json ?? {});
      return working(
        {
          ...state,
          operation: parsed.success ? (parsed.data.operation ?? null) : null,
          pollingSince: now().toISOString(),
        },
        null,
        'The broker is creating the credentials',
      );
    }
    return rejected(answer, what, state, { creating: true });
  }

  async function pollBinding(call: StepCall, state: OsbState): Promise<StepResult> {
    const what = 'check on the binding';
    let answer: OsbAnswer;
    try {
      answer = await client.bindingLastOperation(
        state.instanceId,
        state.bindingId!,
        planOf(state),
        state.operation,
      );
    } catch (error) {
      return pollingFailure(transportMessage(error), state);
    }
    if (answer.status === 200) {
      const parsed = LastOperation.safeParse(answer.json);
      if (!parsed.success)
        return pollingFailure(`${what}: malformed answer (${describeIssues(parsed.error)})`, state);
      const { state: opState, description } = parsed.data;
      if (opState === 'failed') {
        return fail(
          `the broker could not create the credentials: ${description || 'no reason given'}`,
          false,
          state,
          true,
        );
      }
      if (opState === 'in progress') {
        const late = overdue(state);
        if (late) return fail(`gave up on the binding: ${late}`, false, state, true);
        return working(state, answer, description);
      }
      // Spec: once `succeeded`, the binding is fetched for its credentials.
      let fetched: OsbAnswer;
      try {
        fetched = await client.fetchBinding(state.instanceId, state.bindingId!);
      } catch (error) {
        return pollingFailure(transportMessage(error), state);
      }
      if (fetched.status === 200) return bound(fetched, 'fetch the binding', state);
      return pollingFailure(`fetch the binding: ${describeAnswer(fetched)}`, state);
    }
    if ([400, 401, 403, 412].includes(answer.status))
      return fail(`${what}: ${describeAnswer(answer)}`, false, state, true);
    return pollingFailure(`${what}: ${describeAnswer(answer)}`, state);
  }

  function bound(answer: OsbAnswer, what: string, state: OsbState): StepResult {
    const parsed = BindingAnswer.safeParse(answer.json);
    if (!parsed.success) {
      // Spec: a 201 with a malformed body needs orphan mitigation for the binding; a re-send
      // with the same binding id gets the same binding back, so retry first.
      return fail(
        `${what}: the broker answered ${answer.status} with a malformed body (${describeIssues(parsed.error)})`,
        true,
        state,
        true,
      );
    }
    return done(
      { ...state, phase: 'ready', operation: null, pollingSince: null },
      parsed.data.credentials ?? null,
    );
  }

  // ---- update: move the instance to another plan ----------------------------------------

  /**
   * A resize: PATCH the earlier step's instance to the plan of this step's configuration. The
   * instance is never ours to delete here: a failed update leaves it as it was, so every failure
   * is unambiguous, whatever went wrong.
   */
  async function change(call: StepCall, replaced: Record<string, unknown>): Promise<StepResult> {
    const current = readState(replaced);
    if (!current) {
      return updateFailed(
        'the instance to change has no broker state Portico can read; it cannot be updated',
        false,
        null,
      );
    }
    if (current.phase !== 'ready') {
      return updateFailed(
        `the instance to change is not ready (${current.phase}); it cannot be updated now`,
        false,
        null,
      );
    }
    const mine = readState(call.state);
    // Asked again after it was done (the engine lost the answer): nothing more to send.
    if (mine?.phase === 'ready') return done(mine, null);
    if (isUpdating(mine) && mine.pollingSince) return pollUpdate(mine);
    return update(call, current);
  }

  async function update(call: StepCall, current: OsbState): Promise<StepResult> {
    const target = await resolve(call);
    if ('failure' in target) return updateFailed(target.failure, target.retryable, null);
    const { service, plan } = target;
    if (service.id !== current.serviceId) {
      return updateFailed(
        `the plan "${plan.name}" belongs to the broker's ${service.name}, not to the service the instance ` +
          'was created from; an update cannot move an instance to another service (order a new one)',
        false,
        null,
      );
    }
    const from = service.plans.find((p) => p.id === current.planId);
    const fromName = from?.name ?? current.planId;
    if (plan.id === current.planId) {
      return done(current, null, `Already on the ${plan.name} plan: nothing to change`);
    }
    // Spec: the plan the instance is on decides, else its service; undeclared means no.
    if (!(from?.plan_updateable ?? service.plan_updateable ?? false)) {
      return updateFailed(
        `the broker does not let a ${service.name} on the ${fromName} plan change plan ` +
          `(plan_updateable is not true), so it cannot become ${plan.name}; order a new one and move over`,
        false,
        null,
      );
    }
    const state: Updating = {
      ...current,
      phase: 'updating',
      operation: null,
      pollingSince: null,
      maxPollingSeconds: maxPollingOf(plan),
      updatingTo: {
        planId: plan.id,
        planName: plan.name,
        fromPlanName: fromName,
        refetch: service.instances_retrievable === true,
      },
    };
    const parameters = updateParametersFor(updateSchemaOf(plan), call.line.options, target.config.parameters);
    const body = {
      service_id: service.id,
      plan_id: plan.id,
      context: contextOf(call.line),
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
      previous_values: { service_id: current.serviceId, plan_id: current.planId },
    };
    const what = `change the ${service.name} from ${fromName} to ${plan.name}`;
    let answer: OsbAnswer;
    try {
      answer = await client.update(current.instanceId, body, identityOf(call.line));
    } catch (error) {
      // A re-send is harmless: the broker answers 202 with the same operation, or 200 once done.
      return updateFailed(`${what}: ${messageOf(error)}`, true, state);
    }
    if (answer.status === 200 || answer.status === 202) {
      // 200 means applied and 202 accepted, whatever the body; it only adds a new dashboard URL.
      const parsed = UpdateAnswer.safeParse(answer.text.trim() === '' ? {} : answer.json);
      const dashboardUrl = (parsed.success && parsed.data.dashboard_url) || state.dashboardUrl;
      const accepted: Updating = { ...state, dashboardUrl };
      if (answer.status === 200) {
        const attributes = parsed.success ? parsed.data.metadata?.attributes : null;
        return updated(attributes ? { ...accepted, attributes: publicAttributes(attributes) } : accepted, {
          refetch: !attributes,
        });
      }
      return working(
        {
          ...accepted,
          operation: parsed.success ? (parsed.data.operation ?? null) : null,
          pollingSince: now().toISOString(),
        },
        null,
        'The broker accepted the change',
      );
    }
    return updateRejected(answer, what, state);
  }

  async function pollUpdate(state: Updating): Promise<StepResult> {
    const what = 'check on the change of plan';
    let answer: OsbAnswer;
    try {
      answer = await client.lastOperation(state.instanceId, planOf(state), state.operation);
    } catch (error) {
      return updatePollingFailure(transportMessage(error), state);
    }
    if (answer.status === 200) {
      const parsed = LastOperation.safeParse(answer.json);
      if (!parsed.success)
        return updatePollingFailure(`${what}: malformed answer (${describeIssues(parsed.error)})`, state);
      const { state: opState, description } = parsed.data;
      if (opState === 'succeeded') return updated(state, { refetch: true });
      if (opState === 'failed') {
        return updateFailed(
          `the broker could not change the plan from ${state.updatingTo.fromPlanName} to ` +
            `${state.updatingTo.planName}: ${description || 'no reason given'}`,
          false,
          { ...state, operation: null, pollingSince: null },
        );
      }
      const late = overdue(state);
      if (late) return updateFailed(`gave up on the change of plan: ${late}; ${stillRunning}`, false, state);
      return working(state, answer, description);
    }
    // Spec: 410 while updating is an invalid answer, and other codes mean "keep polling".
    if ([400, 401, 403, 412].includes(answer.status))
      return updateFailed(`${what}: ${describeAnswer(answer)}`, false, state);
    return updatePollingFailure(`${what}: ${describeAnswer(answer)}`, state);
  }

  function updatePollingFailure(error: string, state: OsbState): StepResult {
    const late = overdue(state);
    return late
      ? updateFailed(`${error}; ${late}; ${stillRunning}`, false, state)
      : updateFailed(error, true, state);
  }

  /**
   * The broker applied the change: the instance is on the new plan. Its sizes (metadata
   * attributes) changed with it, so they are read again when the broker can tell; if it cannot
   * now, the change is still done and the old ones stay, with a note.
   */
  async function updated(state: Updating, { refetch }: { refetch: boolean }): Promise<StepResult> {
    const { updatingTo: to, ...rest } = state;
    let next: OsbState = {
      ...rest,
      phase: 'ready',
      planId: to.planId,
      operation: null,
      pollingSince: null,
    };
    let note = `Changed from the ${to.fromPlanName} plan to ${to.planName}`;
    if (refetch && to.refetch) {
      const fetched = await fetchAttributes(next);
      if (typeof fetched === 'string') note += `; ${fetched}`;
      else next = { ...next, ...fetched };
    }
    return done(next, null, note);
  }

  async function fetchAttributes(
    state: OsbState,
  ): Promise<Pick<OsbState, 'attributes' | 'dashboardUrl'> | string> {
    const stale = "the sizes shown are from before the change (the broker's description could not be read";
    let answer: OsbAnswer;
    try {
      answer = await client.fetchInstance(state.instanceId);
    } catch (error) {
      return `${stale}: ${messageOf(error)})`;
    }
    const parsed = InstanceAnswer.safeParse(answer.json);
    if (answer.status !== 200 || !parsed.success) return `${stale}: ${describeAnswer(answer)})`;
    return {
      attributes: parsed.data.metadata?.attributes
        ? publicAttributes(parsed.data.metadata.attributes)
        : state.attributes,
      dashboardUrl: parsed.data.dashboard_url || state.dashboardUrl,
    };
  }

  /**
   * An update's error answer. Spec: after a 4xx the broker changed nothing, and a re-sent PATCH
   * finds the operation a 5xx or timeout may have started — so nothing is ambiguous.
   */
  function updateRejected(answer: OsbAnswer, what: string, state: OsbState): StepResult {
    const { status } = answer;
    const code = errorCode(answer);
    const words = `${what}: the broker answered ${describeAnswer(answer)}`;
    if (status >= 500 || (status >= 200 && status < 300) || status === 408)
      return updateFailed(words, true, state);
    if (status === 429) return updateFailed(words, true, state, answer.retryAfterMs);
    if (status === 422 && code === 'ConcurrencyError') {
      // Another operation runs on the instance (a backup, someone else's change): wait for it.
      const pause = Math.max(answer.retryAfterMs ?? 0, config.pollIntervalMs);
      return updateFailed(words, true, state, pause);
    }
    if (status === 422 && code === 'MaintenanceInfoConflict') {
      // Our copy of the catalog is out of date: read it again before the retry.
      catalog = null;
      return updateFailed(words, true, state);
    }
    const hint = status === 404 && code ? ' (the broker does not know the instance)' : hintFor(status);
    return updateFailed(`${words}${hint}`, false, state);
  }

  // ---- undo: unbind, then deprovision ----------------------------------------------------

  async function undo(call: StepCall): Promise<StepResult> {
    if (call.replaces) {
      // Its state names the earlier step's instance: deprovisioning it would undo far more than
      // a change of plan. Moving back is a new order for the old plan.
      return updateFailed(
        'a change of plan is not undone by the adapter (that would delete the instance); order the old plan again',
        false,
        null,
      );
    }
    let state = readState(call.state);
    if (!state) {
      // Nothing recorded (a crash before the first answer was stored): the ids follow from the
      // key, the plan from the catalogue step.
      const target = await resolve(call);
      if ('failure' in target) return fail(`cannot delete: ${target.failure}`, target.retryable, null);
      const instanceId = instanceIdFor(call.idempotencyKey);
      const bindable = target.config.bind && (target.plan.bindable ?? target.service.bindable);
      state = {
        phase: 'provisioning',
        instanceId,
        bindingId: bindable ? bindingIdFor(instanceId) : null,
        serviceId: target.service.id,
        planId: target.plan.id,
        operation: null,
        pollingSince: null,
        maxPollingSeconds: maxPollingOf(target.plan),
        mayExist: true,
        dashboardUrl: null,
        attributes: {},
      };
    }
    if (state.phase === 'gone') return { status: 'done', state, note: 'Already deleted from the broker' };
    if (state.phase !== 'unbinding' && state.phase !== 'deprovisioning') {
      state = {
        ...state,
        phase: state.bindingId ? 'unbinding' : 'deprovisioning',
        operation: null,
        pollingSince: null,
      };
    }
    if (state.phase === 'unbinding') {
      const result = state.pollingSince ? await pollUnbind(state) : await unbind(state);
      if (result !== 'unbound') return result;
      state = { ...state, phase: 'deprovisioning', operation: null, pollingSince: null };
    }
    return state.pollingSince ? pollDeprovision(state) : deprovision(state);
  }

  async function unbind(state: OsbState): Promise<StepResult | 'unbound'> {
    const what = 'delete the credentials (unbind)';
    let answer: OsbAnswer;
    try {
      answer = await client.unbind(state.instanceId, state.bindingId!, planOf(state));
    } catch (error) {
      return transportFailure(error, what, state, false);
    }
    if (answer.status === 200 || answer.status === 410) return 'unbound';
    if (answer.status === 202) {
      const parsed = OperationAnswer.safeParse(answer.json ?? {});
      return working(
        {
          ...state,
          operation: parsed.success ? (parsed.data.operation ?? null) : null,
          pollingSince: now().toISOString(),
        },
        null,
        'The broker is deleting the credentials',
      );
    }
    return rejected(answer, what, state, { creating: false });
  }

  async function pollUnbind(state: OsbState): Promise<StepResult | 'unbound'> {
    const what = 'check on the unbinding';
    let answer: OsbAnswer;
    try {
      answer = await client.bindingLastOperation(
        state.instanceId,
        state.bindingId!,
        planOf(state),
        state.operation,
      );
    } catch (error) {
      return undoPollingFailure(transportMessage(error), state);
    }
    if (answer.status === 410) return 'unbound';
    if (answer.status === 200) {
      const parsed = LastOperation.safeParse(answer.json);
      if (!parsed.success)
        return undoPollingFailure(`${what}: malformed answer (${describeIssues(parsed.error)})`, state);
      if (parsed.data.state === 'succeeded') return 'unbound';
      if (parsed.data.state === 'failed') {
        // Spec: keep trying to delete until the broker says it is done: send DELETE again.
        return fail(
          `the broker could not delete the credentials: ${parsed.data.description || 'no reason given'}`,
          true,
          {
            ...state,
            operation: null,
            pollingSince: null,
          },
        );
      }
      const late = overdue(state);
      if (late) return fail(`gave up on the unbinding: ${late}`, false, state);
      return working(state, answer, parsed.data.description);
    }
    return undoPollingFailure(`${what}: ${describeAnswer(answer)}`, state);
  }

  async function deprovision(state: OsbState): Promise<StepResult> {
    const what = 'delete the instance (deprovision)';
    let answer: OsbAnswer;
    try {
      answer = await client.deprovision(state.instanceId, planOf(state));
    } catch (error) {
      return transportFailure(error, what, state, false);
    }
    if (answer.status === 200 || answer.status === 410) return gone(state);
    if (answer.status === 202) {
      const parsed = OperationAnswer.safeParse(answer.json ?? {});
      return working(
        {
          ...state,
          operation: parsed.success ? (parsed.data.operation ?? null) : null,
          pollingSince: now().toISOString(),
        },
        null,
        'The broker is deleting the instance',
      );
    }
    return rejected(answer, what, state, { creating: false });
  }

  async function pollDeprovision(state: OsbState): Promise<StepResult> {
    const what = 'check on the deprovisioning';
    let answer: OsbAnswer;
    try {
      answer = await client.lastOperation(state.instanceId, planOf(state), state.operation);
    } catch (error) {
      return undoPollingFailure(transportMessage(error), state);
    }
    // Spec: 410 Gone is a success for a delete: forget the instance.
    if (answer.status === 410) return gone(state);
    if (answer.status === 200) {
      const parsed = LastOperation.safeParse(answer.json);
      if (!parsed.success)
        return undoPollingFailure(`${what}: malformed answer (${describeIssues(parsed.error)})`, state);
      if (parsed.data.state === 'succeeded') return gone(state);
      if (parsed.data.state === 'failed') {
        return fail(
          `the broker could not delete the instance: ${parsed.data.description || 'no reason given'}`,
          true,
          {
            ...state,
            operation: null,
            pollingSince: null,
          },
        );
      }
      const late = overdue(state);
      if (late)
        return fail(
          `gave up on the deprovisioning: ${late}; last news: ${parsed.data.description || 'none'}`,
          false,
          state,
        );
      return working(state, answer, parsed.data.description);
    }
    return undoPollingFailure(`${what}: ${describeAnswer(answer)}`, state);
  }

  function undoPollingFailure(error: string, state: OsbState): StepResult {
    const late = overdue(state);
    return late ? fail(`${error}; ${late}`, false, state) : fail(error, true, state);
  }

  function gone(state: OsbState): StepResult {
    return {
      status: 'done',
      state: { ...state, phase: 'gone', operation: null, pollingSince: null, mayExist: false },
      note: 'Deleted from the broker',
    };
  }

  return { start: advance, poll: advance, undo };
}

// ---- what every call shares ------------------------------------------------------------------

const maxPollingOf = (plan: OsbPlan) =>
  plan.maximum_polling_duration && plan.maximum_polling_duration > 0 ? plan.maximum_polling_duration : null;

function readState(raw: Record<string, unknown>): OsbState | null {
  const parsed = OsbState.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** An update's failure: never ambiguous, since an update that fails leaves the instance as it was. */
function updateFailed(
  error: string,
  retryable: boolean,
  state: OsbState | null,
  retryAfterMs?: number | null,
): StepResult {
  return {
    status: 'failed',
    error,
    retryable,
    ...(retryAfterMs ? { retryAfterMs: Math.min(retryAfterMs, 3_600_000) } : {}),
    ...(state ? { state } : {}),
  };
}

const stillRunning = 'the broker may still finish it: check the instance before ordering again';

function fail(error: string, retryable: boolean, state: OsbState | null, ambiguous = false): StepResult {
  const mayExist = ambiguous || (state?.mayExist ?? false);
  return {
    status: 'failed',
    error,
    retryable,
    ...(mayExist ? { ambiguous: true } : {}),
    ...(state ? { state: { ...state, mayExist: state.mayExist || ambiguous } } : {}),
  };
}

const reached = (error: unknown) => !(error instanceof OsbTransportError) || error.mayHaveReached;

const transportMessage = (error: unknown) => messageOf(error);

/**
 * No answer. A timeout or a reset on a create may have created it (spec: orphan mitigation for
 * a provision or bind that timed out); a refused connection cannot have.
 */
function transportFailure(error: unknown, what: string, state: OsbState, creating: boolean): StepResult {
  const ambiguous = creating && reached(error);
  return fail(`${what}: ${messageOf(error)}`, true, state, ambiguous);
}

/**
 * An error status. `creating`: the request was a PUT (provision or bind), where a 5xx or an
 * unexpected 2xx may have created something (spec, orphan mitigation table).
 */
function rejected(
  answer: OsbAnswer,
  what: string,
  state: OsbState,
  { creating }: { creating: boolean },
): StepResult {
  const { status } = answer;
  const words = `${what}: the broker answered ${describeAnswer(answer)}`;
  if (status >= 500 || (status >= 200 && status < 300)) return fail(words, true, state, creating);
  // 408: the broker never read the request; 429: it asks us to slow down; ConcurrencyError:
  // another operation on the instance is running (spec: wait, and no orphan mitigation).
  if (status === 408 || status === 429 || (status === 422 && errorCode(answer) === 'ConcurrencyError')) {
    return fail(words, true, state);
  }
  return fail(`${words}${hintFor(status)}`, false, state);
}

function done(state: OsbState, raw: Record<string, unknown> | null, note?: string): StepResult {
  const { outputs, credentials } = splitCredentials(raw ?? {});
  const all: Record<string, string> = {
    osbInstanceId: state.instanceId,
    ...state.attributes,
    ...(state.dashboardUrl ? { dashboardUrl: state.dashboardUrl } : {}),
    ...outputs,
  };
  return {
    status: 'done',
    outputs: all,
    ...(Object.keys(credentials).length ? { credentials } : {}),
    state,
    ...(note ? { note } : {}),
  };
}

const SECRET_KEY =
  /pass(word|phrase)?|pwd|secret|token|private|credential|api_?key|access_?key|^key$|_key$|[a-z]Key$|cert/i;

/**
 * Splits a binding's credentials into what anyone may see (host, port, user name, the URI without
 * its password) and what only the owner may (passwords, keys, URIs that carry them).
 */
export function splitCredentials(raw: Record<string, unknown>): {
  outputs: Record<string, string>;
  credentials: Record<string, string>;
} {
  const values = Object.entries(raw).flatMap(([key, value]) => {
    const text = asText(value);
    return text === null ? [] : [[key, text] as const];
  });
  const secrets = values
    .filter(([key]) => SECRET_KEY.test(key))
    .map(([, text]) => text)
    .filter((t) => t.length >= 4);
  const outputs: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  for (const [key, text] of values) {
    if (SECRET_KEY.test(key)) {
      credentials[key] = text;
      continue;
    }
    const shown = withoutUrlSecrets(text);
    const leaks = secrets.some((secret) => shown.includes(secret));
    if (shown !== text || leaks) credentials[key] = text;
    if (!leaks) outputs[key] = shown;
  }
  return { outputs, credentials };
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A URL without its password and without query parameters that name a secret. */
function withoutUrlSecrets(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.password) {
    url.password = '';
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_KEY.test(name)) {
      url.searchParams.delete(name);
      changed = true;
    }
  }
  return changed ? url.toString() : text;
}

function publicAttributes(attributes: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (SECRET_KEY.test(key) || !/^[a-zA-Z]\w*$/.test(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = String(value);
  }
  return out;
}

/** Spec, "Context": who and what the instance is for, with the platform named as in the identity header. */
function contextOf(line: LineFacts): Record<string, unknown> {
  return {
    platform: OSB_PLATFORM,
    order_id: line.orderId,
    order_number: line.orderNumber,
    line_id: line.lineId,
    cost_centre: line.costCentre,
    requester: line.requester.email,
    service: line.service.slug,
    plan: line.plan.slug,
  };
}

const identityOf = (line: LineFacts) => ({ user_id: line.requester.id, email: line.requester.email });

type JsonSchema = Record<string, unknown>;

function createSchemaOf(plan: OsbPlan): JsonSchema | null {
  return (plan.schemas?.service_instance?.create?.parameters as JsonSchema | undefined) ?? null;
}

function updateSchemaOf(plan: OsbPlan): JsonSchema | null {
  return (plan.schemas?.service_instance?.update?.parameters as JsonSchema | undefined) ?? null;
}

function bindSchemaOf(plan: OsbPlan): JsonSchema | null {
  return (plan.schemas?.service_binding?.create?.parameters as JsonSchema | undefined) ?? null;
}

/**
 * The order's options that the broker's schema declares, then the catalogue's fixed parameters
 * over them. Options the schema does not name stay in Portico (a broker rejects unknown ones).
 */
export function parametersFor(
  schema: JsonSchema | null,
  options: Record<string, unknown>,
  fixed: Record<string, unknown>,
): Record<string, unknown> {
  const properties =
    schema && typeof schema.properties === 'object' && schema.properties ? schema.properties : {};
  const declared = Object.entries(options).filter(
    ([key, value]) => Object.hasOwn(properties, key) && value !== undefined && value !== null && value !== '',
  );
  return { ...Object.fromEntries(declared), ...fixed };
}

/**
 * An update's parameters: only what the plan's update schema declares, the catalogue's fixed
 * parameters included — most were choices made at creation (a region, a name) that a broker
 * refuses to change. Without an update schema nothing is sent, and the broker keeps the
 * instance's parameters as they are (spec: no `parameters`, no change).
 */
export function updateParametersFor(
  schema: JsonSchema | null,
  options: Record<string, unknown>,
  fixed: Record<string, unknown>,
): Record<string, unknown> {
  if (!schema) return {};
  const properties = typeof schema.properties === 'object' && schema.properties ? schema.properties : {};
  const declaredFixed = Object.entries(fixed).filter(([key]) => Object.hasOwn(properties, key));
  return parametersFor(schema, options, Object.fromEntries(declaredFixed));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}
