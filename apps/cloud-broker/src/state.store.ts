// The broker's memory: instances, their operations and bindings. In memory for tests; with a
// data directory, one JSON file rewritten atomically (temp file, fsync, rename) after every
// change, so a crash leaves either the old or the new state, never half of one, and a restart
// picks up where it stopped. Operations are timed by wall clock (start + duration), not by
// timers, so an operation that was running when the broker stopped completes on the first look
// after the restart.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const OperationState = z.enum(['in progress', 'succeeded', 'failed']);

const Operation = z.object({
  id: z.string(),
  kind: z.enum(['provision', 'update', 'deprovision']),
  state: OperationState,
  startedAt: z.string(),
  /** Simulated duration in ms, already scaled; null: never finishes (the `stuck-` trigger). */
  durationMs: z.number().nullable(),
  /** Decided when the operation starts, so a restart cannot change the outcome. */
  outcome: z.enum(['succeeded', 'failed']),
  failureDescription: z.string().optional(),
  finishedAt: z.string().optional(),
  description: z.string().optional(),
  /** The request that started it (canonical JSON), to answer a re-sent request with the same operation. */
  requestKey: z.string(),
  /** update: what to apply on success. */
  change: z
    .object({
      planId: z.string().optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      maintenanceVersion: z.string().optional(),
    })
    .optional(),
  /** deprovision: the status to return to if it fails. */
  previousStatus: z.enum(['provisioning', 'provisioned', 'failed']).optional(),
});
export type Operation = z.infer<typeof Operation>;

const Identity = z.object({ platform: z.string(), value: z.unknown() });
export type Identity = z.infer<typeof Identity>;

/** One line of an instance's life; what usage events (CloudEvents) will be made from later. */
const LifecycleEvent = z.object({
  at: z.string(),
  event: z.enum(['provisioned', 'plan-changed', 'parameters-changed', 'deprovisioned']),
  planId: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;

const Instance = z.object({
  id: z.string(),
  serviceId: z.string(),
  planId: z.string(),
  /** Effective parameters: the request's, with the schema's defaults filled in. */
  parameters: z.record(z.string(), z.unknown()),
  context: z.record(z.string(), z.unknown()).optional(),
  organizationGuid: z.string().optional(),
  spaceGuid: z.string().optional(),
  maintenanceVersion: z.string(),
  status: z.enum(['provisioning', 'provisioned', 'failed', 'deprovisioning', 'deleted']),
  /** The simulated resource: host names, addresses, bucket; fixed at provisioning. */
  resource: z.record(z.string(), z.unknown()),
  createdBy: Identity.optional(),
  createdAt: z.string(),
  provisionedAt: z.string().optional(),
  deletedAt: z.string().optional(),
  lifecycle: z.array(LifecycleEvent),
  operations: z.array(Operation),
});
export type Instance = z.infer<typeof Instance>;

const Binding = z.object({
  id: z.string(),
  instanceId: z.string(),
  serviceId: z.string(),
  planId: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  bindResource: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  requestKey: z.string(),
  credentials: z.record(z.string(), z.unknown()),
  endpoints: z.array(z.object({ host: z.string(), ports: z.array(z.string()), protocol: z.string() })),
  createdBy: Identity.optional(),
  createdAt: z.string(),
});
export type Binding = z.infer<typeof Binding>;

const BrokerState = z.object({
  version: z.literal(1),
  instances: z.record(z.string(), Instance),
  bindings: z.record(z.string(), Binding),
});
export type BrokerState = z.infer<typeof BrokerState>;

export interface StateStore {
  readonly state: BrokerState;
  /** Makes the current state durable; call after every change. */
  save(): void;
}

const empty = (): BrokerState => ({ version: 1, instances: {}, bindings: {} });

export function memoryStore(): StateStore {
  return { state: empty(), save() {} };
}

export const STATE_FILE = 'cloud-broker-state.json';

export function fileStore(dataDir: string): StateStore {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, STATE_FILE);
  const state = load(file);
  return {
    state,
    save() {
      writeAtomically(file, JSON.stringify(state, null, 2));
    },
  };
}

function load(file: string): BrokerState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message}); move it away to start empty`, {
      cause: error,
    });
  }
  const parsed = BrokerState.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${file}: unexpected content at ${issue.path.join('.') || 'top level'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
