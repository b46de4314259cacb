// The broker's use cases, one function per OSB call, free of HTTP: each takes the parsed ids and
// the raw body or query, and returns a status and a body or throws a BrokerError. The rules of
// the spec (async only, idempotent re-sends, 409 on different attributes, 410 once gone, 422 on
// concurrent changes) live here; the routes only translate.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { findPlan, findService, type PlanDef, type ServiceDef } from './catalog.ts';
import { allocateResource, issueCredentials } from './credentials.ts';
import {
  BrokerError,
  GoneError,
  asyncRequired,
  badRequest,
  concurrency,
  conflict,
  describeIssues,
  notFound,
} from './errors.ts';
import {
  AsyncQuery,
  BindBody,
  DeleteQuery,
  LastOperationQuery,
  ProvisionBody,
  UpdateBody,
  parse,
} from './osb.schemas.ts';
import { parseTriggers, type OperationKind, type Simulation } from './simulation.ts';
import type { Binding, Identity, Instance, Operation, StateStore } from './state.store.ts';
import type { MeteredInstance } from './usage.emitter.ts';

export interface Outcome {
  status: 200 | 201 | 202;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** True when this request created the resource or started the operation (not a re-send). */
  created?: boolean;
}

export interface Caller {
  identity?: Identity;
}

export class CloudBroker {
  constructor(
    private readonly store: StateStore,
    private readonly sim: Simulation,
    private readonly now: () => number = Date.now,
  ) {}

  private get state() {
    return this.store.state;
  }

  /** Every instance it holds, deleted ones too, for the test double's `GET /admin/instances`. */
  listInstances(): Record<string, unknown>[] {
    return Object.values(this.state.instances).map((instance) => {
      const { service, plan } = this.serviceOf(instance);
      return {
        id: instance.id,
        service: service.name,
        plan: plan.name,
        status: instance.status,
        parameters: instance.parameters,
        context: instance.context ?? {},
        createdAt: instance.createdAt,
        provisionedAt: instance.provisionedAt ?? null,
        deletedAt: instance.deletedAt ?? null,
      };
    });
  }

  /** Instances that exist now and report usage: provisioned, and not (yet) deleted. */
  meteredInstances(): MeteredInstance[] {
    this.settle();
    return Object.values(this.state.instances)
      .filter((i) => i.provisionedAt && (i.status === 'provisioned' || i.status === 'deprovisioning'))
      .map((instance) => ({ instance, ...this.serviceOf(instance) }));
  }

  /** Completes every operation whose time has come; called before each request is handled. */
  settle(): void {
    const now = this.now();
    let changed = false;
    for (const instance of Object.values(this.state.instances)) {
      const op = running(instance);
      if (!op || op.durationMs === null) continue;
      const end = Date.parse(op.startedAt) + op.durationMs;
      if (end > now) continue;
      this.finish(instance, op, new Date(end).toISOString());
      changed = true;
    }
    if (changed) this.store.save();
  }

  provision(instanceId: string, rawBody: unknown, rawQuery: unknown, caller: Caller): Outcome {
    const acceptsIncomplete = parse(AsyncQuery, rawQuery, 'query').accepts_incomplete === 'true';
    const body = parse(ProvisionBody, rawBody, 'body');
    const service = findService(body.service_id);
    if (!service)
      throw badRequest(`body.service_id: no service offering "${body.service_id}" in the catalog`);
    const plan = findPlan(service, body.plan_id);
    if (!plan) throw badRequest(`body.plan_id: "${body.plan_id}" is not a plan of ${service.name}`);
    checkMaintenance(service, body.maintenance_info?.version);
    const parameters = validateParameters(service.create, body.parameters ?? {});

    const existing = this.state.instances[instanceId];
    if (existing && existing.status !== 'deleted') {
      if (attributesKey(existing) !== key({ s: service.id, p: plan.id, parameters })) {
        throw conflict(
          `Service instance ${instanceId} already exists as ${describe(existing)} with different attributes; ` +
            'use a new instance id, or PATCH to change it.',
        );
      }
      const op = running(existing);
      if (existing.status === 'provisioned' && op?.kind !== 'deprovision') {
        return { status: 200, body: { metadata: this.metadata(existing) } };
      }
      if (existing.status === 'deprovisioning') {
        throw concurrency(`Service instance ${instanceId} is being deprovisioned.`);
      }
      if (!acceptsIncomplete) throw asyncRequired();
      if (existing.status === 'provisioning' && op) {
        return { status: 202, body: { operation: op.id, metadata: this.metadata(existing) } };
      }
      // A failed provision sent again with the same attributes: try again.
      existing.status = 'provisioning';
      existing.createdBy = caller.identity ?? existing.createdBy;
      const retry = this.start(
        existing,
        'provision',
        service,
        plan,
        key({ retry: existing.operations.length }),
      );
      this.store.save();
      return { status: 202, body: { operation: retry.id, metadata: this.metadata(existing) }, created: true };
    }

    if (!acceptsIncomplete) throw asyncRequired();
    this.checkUnique(service, instanceId, parameters);
    const now = new Date(this.now()).toISOString();
    const instance: Instance = {
      id: instanceId,
      serviceId: service.id,
      planId: plan.id,
      parameters,
      ...(body.context ? { context: body.context } : {}),
      ...(body.organization_guid ? { organizationGuid: body.organization_guid } : {}),
      ...(body.space_guid ? { spaceGuid: body.space_guid } : {}),
      maintenanceVersion: service.maintenance.version,
      status: 'provisioning',
      resource: allocateResource(service.kind, instanceId, parameters),
      ...(caller.identity ? { createdBy: caller.identity } : {}),
      createdAt: now,
      lifecycle: [],
      operations: [],
    };
    this.state.instances[instanceId] = instance;
    const op = this.start(
      instance,
      'provision',
      service,
      plan,
      key({ s: service.id, p: plan.id, parameters }),
    );
    this.store.save();
    return { status: 202, body: { operation: op.id, metadata: this.metadata(instance) }, created: true };
  }

  fetchInstance(instanceId: string): Outcome {
    const instance = this.live(instanceId);
    if (instance.status === 'provisioning')
      throw notFound(`Service instance ${instanceId} is still being provisioned.`);
    if (instance.status === 'failed') throw notFound(`Service instance ${instanceId} failed to provision.`);
    if (running(instance)?.kind === 'update')
      throw concurrency(`Service instance ${instanceId} is being updated.`);
    return {
      status: 200,
      body: {
        service_id: instance.serviceId,
        plan_id: instance.planId,
        parameters: instance.parameters,
        maintenance_info: { version: instance.maintenanceVersion },
        metadata: this.metadata(instance),
      },
    };
  }

  lastOperation(instanceId: string, rawQuery: unknown): Outcome {
    const query = parse(LastOperationQuery, rawQuery, 'query');
    const instance = this.state.instances[instanceId];
    if (!instance) throw notFound(`No service instance ${instanceId}.`);
    if (instance.status === 'deleted') throw new GoneError();
    const op = query.operation
      ? instance.operations.find((o) => o.id === query.operation)
      : instance.operations[instance.operations.length - 1];
    if (!op)
      throw badRequest(
        `query.operation: no operation "${query.operation}" on service instance ${instanceId}`,
      );
    if (op.state !== 'in progress') {
      return { status: 200, body: { state: op.state, description: op.description } };
    }
    const { service } = this.serviceOf(instance);
    const elapsed = this.now() - Date.parse(op.startedAt);
    const remaining = op.durationMs === null ? 20_000 * this.sim.timeScale : op.durationMs - elapsed;
    // Retry-After in whole seconds, only when there is a second to wait: at test time scales
    // the header would only slow a well-behaved platform down.
    const retryAfter = Math.min(10, Math.round(remaining / 4000));
    return {
      status: 200,
      body: {
        state: 'in progress',
        description: this.sim.progress(op.kind, service, elapsed, op.durationMs),
      },
      ...(retryAfter >= 1 ? { headers: { 'retry-after': String(retryAfter) } } : {}),
    };
  }

  update(instanceId: string, rawBody: unknown, rawQuery: unknown): Outcome {
    const acceptsIncomplete = parse(AsyncQuery, rawQuery, 'query').accepts_incomplete === 'true';
    const body = parse(UpdateBody, rawBody, 'body');
    const instance = this.live(instanceId);
    const { service, plan: current } = this.serviceOf(instance);
    if (body.service_id !== service.id) {
      throw badRequest(
        `body.service_id: service instance ${instanceId} is a ${service.name} (${service.id})`,
      );
    }
    const target = body.plan_id === undefined ? current : findPlan(service, body.plan_id);
    if (!target) throw badRequest(`body.plan_id: "${body.plan_id}" is not a plan of ${service.name}`);
    checkMaintenance(service, body.maintenance_info?.version);

    const changed =
      body.parameters === undefined ? {} : this.validateUpdate(service, instance, body.parameters);
    if (service.kind === 'postgresql' && target.rank < current.rank) {
      throw new BrokerError(
        422,
        'ChangeNotSupported',
        `A database cannot move to a smaller plan (${current.name} → ${target.name}): its storage cannot shrink. ` +
          'Create a new instance and migrate the data.',
      );
    }
    const change = {
      ...(target.id !== current.id ? { planId: target.id } : {}),
      ...(Object.keys(changed).length > 0 ? { parameters: changed } : {}),
      ...(body.maintenance_info && body.maintenance_info.version !== instance.maintenanceVersion
        ? { maintenanceVersion: body.maintenance_info.version }
        : {}),
    };
    const requestKey = key(change);

    const op = running(instance);
    if (op) {
      if (op.kind === 'update' && op.requestKey === requestKey) {
        if (!acceptsIncomplete) throw asyncRequired();
        return { status: 202, body: { operation: op.id } };
      }
      throw concurrency(`Another operation (${op.kind}) for service instance ${instanceId} is in progress.`);
    }
    if (instance.status !== 'provisioned') {
      throw new BrokerError(
        422,
        'InstanceNotReady',
        `Service instance ${instanceId} failed to provision; it cannot be updated.`,
      );
    }
    if (Object.keys(change).length === 0) {
      // Only context (or nothing) changed: allow_context_updates, applied at once.
      if (body.context) {
        instance.context = body.context;
        this.store.save();
      }
      return { status: 200, body: {} };
    }
    if (!acceptsIncomplete) throw asyncRequired();
    if (body.context) instance.context = body.context;
    const started = this.start(instance, 'update', service, target, requestKey, { change });
    this.store.save();
    return { status: 202, body: { operation: started.id }, created: true };
  }

  deprovision(instanceId: string, rawQuery: unknown): Outcome {
    const query = parse(DeleteQuery, rawQuery, 'query');
    const acceptsIncomplete = query.accepts_incomplete === 'true';
    const instance = this.state.instances[instanceId];
    if (!instance || instance.status === 'deleted') throw new GoneError();
    const { service, plan } = this.serviceOf(instance);
    if (query.service_id !== service.id) {
      throw badRequest(
        `query.service_id: service instance ${instanceId} is a ${service.name} (${service.id})`,
      );
    }
    if (!findPlan(service, query.plan_id)) {
      throw badRequest(`query.plan_id: "${query.plan_id}" is not a plan of ${service.name}`);
    }
    const op = running(instance);
    if (op?.kind === 'update') throw concurrency(`Service instance ${instanceId} is being updated.`);
    if (!acceptsIncomplete) throw asyncRequired();
    if (op?.kind === 'deprovision') return { status: 202, body: { operation: op.id } };

    let previousStatus: 'provisioning' | 'provisioned' | 'failed' =
      instance.status === 'provisioned' ? 'provisioned' : 'failed';
    if (op?.kind === 'provision') {
      // Spec: a delete during provisioning halts the creation and deletes what was made.
      op.state = 'failed';
      op.finishedAt = new Date(this.now()).toISOString();
      op.description = 'Provisioning was cancelled by a deprovision request.';
      previousStatus = 'failed';
    }
    const started = this.start(instance, 'deprovision', service, plan, key({ delete: instanceId }), {
      previousStatus,
    });
    instance.status = 'deprovisioning';
    this.store.save();
    return { status: 202, body: { operation: started.id }, created: true };
  }

  bind(instanceId: string, bindingId: string, rawBody: unknown, caller: Caller): Outcome {
    const body = parse(BindBody, rawBody, 'body');
    const instance = this.live(instanceId);
    const { service } = this.serviceOf(instance);
    if (body.service_id !== service.id) {
      throw badRequest(
        `body.service_id: service instance ${instanceId} is a ${service.name} (${service.id})`,
      );
    }
    if (!findPlan(service, body.plan_id)) {
      throw badRequest(`body.plan_id: "${body.plan_id}" is not a plan of ${service.name}`);
    }
    if (body.predecessor_binding_id !== undefined) {
      throw badRequest(
        'body.predecessor_binding_id: binding rotation is not supported (binding_rotatable is false)',
      );
    }
    const parameters = validateParameters(service.bind, body.parameters ?? {});
    const appGuid = body.bind_resource?.app_guid ?? body.app_guid;
    const requestKey = key({ instanceId, s: service.id, p: body.plan_id, parameters, appGuid });

    const existing = this.state.bindings[bindingId];
    if (existing) {
      if (existing.requestKey !== requestKey) {
        throw conflict(`Service binding ${bindingId} already exists with different attributes.`);
      }
      return { status: 200, body: bindingBody(existing) };
    }
    const op = running(instance);
    if (instance.status === 'provisioning') {
      throw concurrency(`Service instance ${instanceId} is still being provisioned; bind when it is ready.`);
    }
    if (op?.kind === 'deprovision')
      throw concurrency(`Service instance ${instanceId} is being deprovisioned.`);
    if (instance.status !== 'provisioned') {
      throw new BrokerError(
        422,
        'InstanceNotReady',
        `Service instance ${instanceId} failed to provision; it cannot be bound.`,
      );
    }
    const triggers = mergeBindTriggers(instanceId, bindingId);
    if (this.sim.syncFails('bind', triggers)) {
      throw new BrokerError(
        500,
        'SimulatedFault',
        'The credential service did not answer; no binding was created.',
      );
    }
    const issued = issueCredentials(
      service.kind,
      bindingId,
      instance.resource,
      instance.parameters,
      parameters,
    );
    const binding: Binding = {
      id: bindingId,
      instanceId,
      serviceId: service.id,
      planId: body.plan_id,
      parameters,
      ...(body.bind_resource ? { bindResource: body.bind_resource } : {}),
      ...(body.context ? { context: body.context } : {}),
      requestKey,
      ...issued,
      ...(caller.identity ? { createdBy: caller.identity } : {}),
      createdAt: new Date(this.now()).toISOString(),
    };
    this.state.bindings[bindingId] = binding;
    this.store.save();
    return { status: 201, body: bindingBody(binding), created: true };
  }

  fetchBinding(instanceId: string, bindingId: string): Outcome {
    const binding = this.state.bindings[bindingId];
    if (!binding || binding.instanceId !== instanceId) {
      throw notFound(`No service binding ${bindingId} for service instance ${instanceId}.`);
    }
    return { status: 200, body: { ...bindingBody(binding), parameters: binding.parameters } };
  }

  unbind(instanceId: string, bindingId: string, rawQuery: unknown): Outcome {
    const query = parse(DeleteQuery, rawQuery, 'query');
    const binding = this.state.bindings[bindingId];
    if (!binding || binding.instanceId !== instanceId) throw new GoneError();
    if (query.service_id !== binding.serviceId) {
      throw badRequest(
        `query.service_id: service binding ${bindingId} belongs to service ${binding.serviceId}`,
      );
    }
    const service = findService(binding.serviceId)!;
    if (!findPlan(service, query.plan_id)) {
      throw badRequest(`query.plan_id: "${query.plan_id}" is not a plan of ${service.name}`);
    }
    if (this.sim.syncFails('unbind', mergeBindTriggers(instanceId, bindingId))) {
      throw new BrokerError(
        500,
        'SimulatedFault',
        'The credential service did not answer; the binding still exists.',
      );
    }
    delete this.state.bindings[bindingId];
    this.store.save();
    return { status: 200, body: {} };
  }

  private start(
    instance: Instance,
    kind: OperationKind,
    service: ServiceDef,
    plan: PlanDef,
    requestKey: string,
    extra: Pick<Operation, 'change' | 'previousStatus'> = {},
  ): Operation {
    const triggers = parseTriggers(instance.id);
    const parameters = { ...instance.parameters, ...(extra.change?.parameters ?? {}) };
    const op: Operation = {
      id: `${kind}-${randomBytes(6).toString('hex')}`,
      kind,
      state: 'in progress',
      startedAt: new Date(this.now()).toISOString(),
      durationMs: triggers.stuck ? null : this.sim.duration(kind, service, plan, parameters),
      ...this.sim.outcome(kind, service.kind, triggers, {
        ...instance.resource,
        ...parameters,
        plan: plan.name,
      }),
      requestKey,
      ...extra,
    };
    instance.operations.push(op);
    return op;
  }

  private finish(instance: Instance, op: Operation, at: string): void {
    const { service } = this.serviceOf(instance);
    op.state = op.outcome;
    op.finishedAt = at;
    op.description = op.outcome === 'succeeded' ? this.sim.done(op.kind, service) : op.failureDescription;
    const failed = op.outcome === 'failed';
    switch (op.kind) {
      case 'provision':
        if (failed) {
          instance.status = 'failed';
          break;
        }
        instance.status = 'provisioned';
        instance.provisionedAt = at;
        instance.lifecycle.push({
          at,
          event: 'provisioned',
          planId: instance.planId,
          parameters: instance.parameters,
        });
        break;
      case 'update': {
        if (failed || !op.change) break;
        const { planId, parameters, maintenanceVersion } = op.change;
        if (planId) {
          instance.planId = planId;
          instance.lifecycle.push({ at, event: 'plan-changed', planId });
        }
        if (parameters) {
          instance.parameters = { ...instance.parameters, ...parameters };
          instance.lifecycle.push({ at, event: 'parameters-changed', planId: instance.planId, parameters });
        }
        if (maintenanceVersion) instance.maintenanceVersion = maintenanceVersion;
        break;
      }
      case 'deprovision':
        if (failed) {
          instance.status = op.previousStatus ?? 'failed';
          break;
        }
        if (instance.provisionedAt)
          instance.lifecycle.push({ at, event: 'deprovisioned', planId: instance.planId });
        instance.status = 'deleted';
        instance.deletedAt = at;
        // Bindings die with their instance (the platform should have unbound first; spec leaves it to us).
        for (const binding of Object.values(this.state.bindings)) {
          if (binding.instanceId === instance.id) delete this.state.bindings[binding.id];
        }
        break;
    }
  }

  private live(instanceId: string): Instance {
    const instance = this.state.instances[instanceId];
    if (!instance || instance.status === 'deleted') throw notFound(`No service instance ${instanceId}.`);
    return instance;
  }

  private serviceOf(instance: Instance): { service: ServiceDef; plan: PlanDef } {
    const service = findService(instance.serviceId);
    const plan = service && findPlan(service, instance.planId);
    if (!service || !plan)
      throw new Error(`instance ${instance.id}: plan ${instance.planId} is no longer in the catalog`);
    return { service, plan };
  }

  /** OSB v2.16+ instance metadata: labels for selection, attributes describing what was built. */
  private metadata(instance: Instance) {
    const { service, plan } = this.serviceOf(instance);
    return {
      labels: { service: service.name, plan: plan.name },
      attributes: { ...instance.resource, ...plan.size },
    };
  }

  private validateUpdate(
    service: ServiceDef,
    instance: Instance,
    raw: Record<string, unknown>,
  ): Record<string, unknown> {
    const fixed = Object.keys(raw).filter((k) => k in service.create.shape && !(k in service.update.shape));
    if (fixed.length > 0) {
      throw new BrokerError(
        400,
        'InvalidParameters',
        fixed
          .map((k) => `parameters.${k}: cannot be changed after provisioning; create a new instance`)
          .join('; '),
      );
    }
    const parsed = validateParameters(service.update, raw);
    const changed = Object.fromEntries(
      Object.entries(parsed).filter(([k, v]) => v !== undefined && key(v) !== key(instance.parameters[k])),
    );
    const shrink =
      (service.kind === 'vm' &&
        typeof changed.extraDiskGb === 'number' &&
        changed.extraDiskGb < Number(instance.parameters.extraDiskGb ?? 0) &&
        `parameters.extraDiskGb: a disk can only grow (now ${String(instance.parameters.extraDiskGb)} GB)`) ||
      (service.kind === 'postgresql' &&
        typeof changed.version === 'string' &&
        Number(changed.version) < Number(instance.parameters.version) &&
        `parameters.version: PostgreSQL cannot be downgraded (now ${String(instance.parameters.version)})`);
    if (shrink) throw new BrokerError(422, 'ChangeNotSupported', shrink);
    return changed;
  }

  private checkUnique(service: ServiceDef, instanceId: string, parameters: Record<string, unknown>): void {
    const field = service.kind === 'vm' ? 'hostname' : service.kind === 'bucket' ? 'bucketName' : null;
    if (!field || parameters[field] === undefined) return;
    const taken = Object.values(this.state.instances).some(
      (i) =>
        i.id !== instanceId &&
        i.serviceId === service.id &&
        i.status !== 'deleted' &&
        i.parameters[field] === parameters[field],
    );
    if (taken) {
      throw new BrokerError(
        400,
        'InvalidParameters',
        `parameters.${field}: ${JSON.stringify(parameters[field])} is already in use; choose another`,
      );
    }
  }
}

function running(instance: Instance): Operation | undefined {
  return instance.operations.find((o) => o.state === 'in progress');
}

function checkMaintenance(service: ServiceDef, version: string | undefined): void {
  if (version !== undefined && version !== service.maintenance.version) {
    throw new BrokerError(
      422,
      'MaintenanceInfoConflict',
      `The maintenance information for ${service.name} has changed: the catalog offers ${service.maintenance.version}, ` +
        `the request asked for ${version}. Fetch the catalog again.`,
    );
  }
}

function validateParameters(schema: z.ZodObject, raw: Record<string, unknown>): Record<string, unknown> {
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new BrokerError(400, 'InvalidParameters', describeIssues(result.error, 'parameters', raw));
  return result.data as Record<string, unknown>;
}

function mergeBindTriggers(instanceId: string, bindingId: string) {
  const a = parseTriggers(instanceId);
  const b = parseTriggers(bindingId);
  return { ...b, failBind: a.failBind || b.failBind, failUnbind: a.failUnbind || b.failUnbind };
}

function bindingBody(binding: Binding): Record<string, unknown> {
  return { credentials: binding.credentials, endpoints: binding.endpoints };
}

function describe(instance: Instance): string {
  const service = findService(instance.serviceId);
  const plan = service && findPlan(service, instance.planId);
  return `${service?.name ?? instance.serviceId}/${plan?.name ?? instance.planId}`;
}

function attributesKey(instance: Instance): string {
  return key({ s: instance.serviceId, p: instance.planId, parameters: instance.parameters });
}

/** Canonical JSON (sorted keys) so equal requests compare equal whatever their key order. */
export function key(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
