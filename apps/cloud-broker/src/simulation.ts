// How long things take and how they go wrong. Every duration is a demo-time range in seconds,
// multiplied by `timeScale` (1 in the demo, 0.001 in tests). Failures come from three places:
// a probability per operation (seeded, so a run can be replayed), trigger prefixes on instance
// and binding ids (deterministic, for tests), and HTTP-level faults (500s, slow answers).
import type { ServiceDef, ServiceKind, PlanDef } from './catalog.ts';

export interface FailureOptions {
  /** Seed for the probabilities below; unset: a random seed. */
  seed?: number;
  /** Chance, 0..1, that an asynchronous operation of this kind ends in `failed`. */
  provision?: number;
  update?: number;
  deprovision?: number;
  /** Chance, 0..1, that a (synchronous) bind or unbind answers 500 and changes nothing. */
  bind?: number;
  unbind?: number;
  /** Chance, 0..1, that any OSB request answers 500 before doing anything. */
  http500Rate?: number;
  /** The first N OSB requests (counted from start, after authentication) answer 500 before doing anything. */
  http500FirstCalls?: number;
  /**
   * The next `count` OSB requests from the moment these options are set answer 500 before doing
   * anything; with `matching`, only requests whose method, path or body contain that text count
   * (an order number, a hostname), so other traffic goes through.
   */
  http500Next?: { count: number; matching?: string };
  /** Every OSB response waits this long, in real milliseconds. */
  responseDelayMs?: number;
  /** How long a `slow-` request waits before answering, in real ms; default 65 s × timeScale. */
  slowResponseMs?: number;
}

export type OperationKind = 'provision' | 'update' | 'deprovision';

/**
 * Deterministic triggers, read from the front of an instance or binding id, any number of them
 * in any order: `flaky2-fail-provision-7d1c…`.
 */
export interface Triggers {
  /** fail-provision-: the provision operation ends `failed` (the instance stays, for orphan mitigation). */
  failProvision: boolean;
  /** fail-update-: every update operation ends `failed`. */
  failUpdate: boolean;
  /** fail-deprovision-: every deprovision operation ends `failed`. */
  failDeprovision: boolean;
  /** fail-bind- (instance or binding id): bind answers 500 and creates nothing. */
  failBind: boolean;
  /** fail-unbind- (instance or binding id): unbind answers 500 and deletes nothing. */
  failUnbind: boolean;
  /** orphan-: the PUT does its work, then answers 500 (the resource exists; the platform must clean up). */
  orphan: boolean;
  /** slow-: the PUT does its work, then answers only after `slowResponseMs` (past a platform's timeout). */
  slow: boolean;
  /** stuck-: operations never finish; last_operation says `in progress` for ever. */
  stuck: boolean;
  /** flaky<N>-: the first N requests naming this id answer 500 before doing anything. */
  flaky: number;
}

const TOKEN =
  /^(fail-provision|fail-update|fail-deprovision|fail-bind|fail-unbind|orphan|slow|stuck|flaky(\d{1,3}))-/;

export function parseTriggers(id: string): Triggers {
  const t: Triggers = {
    failProvision: false,
    failUpdate: false,
    failDeprovision: false,
    failBind: false,
    failUnbind: false,
    orphan: false,
    slow: false,
    stuck: false,
    flaky: 0,
  };
  let rest = id;
  for (let m = TOKEN.exec(rest); m; m = TOKEN.exec(rest)) {
    const token = m[1]!;
    if (token === 'fail-provision') t.failProvision = true;
    else if (token === 'fail-update') t.failUpdate = true;
    else if (token === 'fail-deprovision') t.failDeprovision = true;
    else if (token === 'fail-bind') t.failBind = true;
    else if (token === 'fail-unbind') t.failUnbind = true;
    else if (token === 'orphan') t.orphan = true;
    else if (token === 'slow') t.slow = true;
    else if (token === 'stuck') t.stuck = true;
    else t.flaky = Number(m[2]);
    rest = rest.slice(m[0].length);
  }
  return t;
}

/** mulberry32: small, fast, good enough to make simulated failures replayable from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Range = readonly [min: number, max: number];

/** Demo-time seconds per operation; by plan rank where size matters. */
const DURATIONS: Record<ServiceKind, Record<OperationKind, readonly Range[]>> = {
  // VMs: clone image, boot, join domain, register in monitoring. Bigger sizes take longer.
  vm: {
    provision: [
      [20, 35],
      [25, 40],
      [30, 50],
      [40, 60],
    ],
    update: [[15, 40]],
    deprovision: [[10, 20]],
  },
  // Databases: volume, cluster, replica sync. The slowest by far.
  postgresql: {
    provision: [
      [60, 90],
      [90, 150],
      [150, 240],
    ],
    update: [[45, 120]],
    deprovision: [[15, 30]],
  },
  // Buckets: a few API calls to the S3 gateway.
  bucket: { provision: [[2, 6]], update: [[1, 3]], deprovision: [[1, 4]] },
};

/** Progress steps shown in last_operation's description while an operation runs. */
const STEPS: Record<ServiceKind, Record<OperationKind, readonly string[]>> = {
  vm: {
    provision: [
      'Reserving capacity',
      'Cloning the golden image',
      'Booting',
      'Joining the domain',
      'Registering in monitoring and the CMDB',
    ],
    update: ['Taking a snapshot', 'Resizing', 'Rebooting', 'Checking health'],
    deprovision: ['Taking a final snapshot', 'Powering off', 'Releasing disks and the IP address'],
  },
  postgresql: {
    provision: [
      'Attaching storage',
      'Initialising the cluster',
      'Creating the database and owner role',
      'Starting the standby',
      'Configuring backups and monitoring',
    ],
    update: ['Taking a backup', 'Applying the change', 'Failing over', 'Checking replication'],
    deprovision: ['Taking a final backup', 'Stopping the cluster', 'Releasing storage'],
  },
  bucket: {
    provision: ['Creating the bucket', 'Applying versioning and lock settings', 'Setting the quota'],
    update: ['Applying settings'],
    deprovision: ['Emptying the bucket', 'Deleting the bucket'],
  },
};

const NOUN: Record<ServiceKind, string> = { vm: 'virtual machine', postgresql: 'database', bucket: 'bucket' };
const VERB: Record<OperationKind, string> = {
  provision: 'Creating',
  update: 'Updating',
  deprovision: 'Deleting',
};

const FAILURES: Record<ServiceKind, Record<OperationKind, readonly string[]>> = {
  vm: {
    provision: [
      'No hypervisor in {region} has capacity for this size; try the other region or a smaller plan.',
      'The golden image failed its boot check; the image team has been notified.',
      'The server address pool in {region} is exhausted.',
    ],
    update: ['Live resize failed: the host has too little free memory. The VM runs unchanged; retry later.'],
    deprovision: ['The final snapshot did not complete; the VM was not deleted. Retry the deletion.'],
  },
  postgresql: {
    provision: [
      'The data volume could not be attached (SAN timeout).',
      'The standby did not reach synchronous state in time.',
    ],
    update: ['The change was rolled back: the standby did not catch up in time.'],
    deprovision: ['The final backup failed; the database was not deleted. Retry the deletion.'],
  },
  bucket: {
    provision: ['The S3 gateway answered 503 SlowDown.'],
    update: ['The S3 gateway answered 503 SlowDown.'],
    deprovision: ['The bucket could not be emptied: objects are under legal hold.'],
  },
};

export class Simulation {
  private readonly random: () => number;
  private calls = 0;
  private readonly flakyCounts = new Map<string, number>();
  /** How many of `http500Next` are still to fail. */
  private nextLeft: number;

  constructor(
    readonly timeScale: number,
    private failures: FailureOptions,
  ) {
    this.random = seededRandom(failures.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.nextLeft = failures.http500Next?.count ?? 0;
  }

  /** Changes the failure behaviour of a running broker (tests flip faults on and off). */
  setFailures(failures: FailureOptions): void {
    this.failures = { ...failures };
    this.nextLeft = failures.http500Next?.count ?? 0;
  }

  /** Scaled duration in ms of one operation; the range depends on the plan's size. */
  duration(
    kind: OperationKind,
    service: ServiceDef,
    plan: PlanDef,
    parameters: Record<string, unknown>,
  ): number {
    const ranges = DURATIONS[service.kind][kind];
    const [min, max] = ranges[Math.min(plan.rank - 1, ranges.length - 1)] ?? ranges[0]!;
    let seconds = min + (max - min) * this.random();
    if (kind === 'provision' && String(parameters.os ?? '').startsWith('windows')) seconds += 10; // sysprep
    if (kind === 'provision' && parameters.highAvailability === true) seconds += 30; // standby sync
    return Math.round(seconds * 1000 * this.timeScale);
  }

  /** The longest a provision of this plan can take, times 3, in scaled seconds (at least 1). */
  maximumPollingSeconds(service: ServiceDef, plan: PlanDef): number {
    const ranges = DURATIONS[service.kind].provision;
    const [, max] = ranges[Math.min(plan.rank - 1, ranges.length - 1)] ?? ranges[0]!;
    return Math.max(1, Math.ceil((max + 40) * 3 * this.timeScale));
  }

  /** Whether an operation fails, decided when it starts; the description says why, as a person would. */
  outcome(
    kind: OperationKind,
    kindOf: ServiceKind,
    triggers: Triggers,
    vars: Record<string, unknown>,
  ): { outcome: 'succeeded' | 'failed'; failureDescription?: string } {
    const forced =
      (kind === 'provision' && triggers.failProvision) ||
      (kind === 'update' && triggers.failUpdate) ||
      (kind === 'deprovision' && triggers.failDeprovision);
    if (!forced && !this.chance(this.failures[kind])) return { outcome: 'succeeded' };
    const options = FAILURES[kindOf][kind];
    const text = options[Math.floor(this.random() * options.length)] ?? options[0]!;
    return {
      outcome: 'failed',
      failureDescription: text.replace(/\{(\w+)\}/g, (_, key: string) => String(vars[key] ?? key)),
    };
  }

  /** Whether a synchronous bind/unbind fails this time. */
  syncFails(kind: 'bind' | 'unbind', triggers: Triggers): boolean {
    const forced = kind === 'bind' ? triggers.failBind : triggers.failUnbind;
    return forced || this.chance(this.failures[kind]);
  }

  /** In-progress text: the current step and percentage. */
  progress(kind: OperationKind, service: ServiceDef, elapsedMs: number, durationMs: number | null): string {
    const steps = STEPS[service.kind][kind];
    const fraction =
      durationMs === null ? 0.5 : durationMs === 0 ? 0.99 : Math.min(0.99, elapsedMs / durationMs);
    const step = steps[Math.min(steps.length - 1, Math.floor(fraction * steps.length))]!;
    return `${VERB[kind]} ${NOUN[service.kind]}: ${step} (${Math.floor(fraction * 100)}% complete).`;
  }

  done(kind: OperationKind, service: ServiceDef): string {
    const past = { provision: 'created', update: 'updated', deprovision: 'deleted' }[kind];
    return `The ${NOUN[service.kind]} was ${past}.`;
  }

  /**
   * HTTP-level fault before a request does anything: the first N calls, the next N (matching)
   * calls, a random rate, or a flaky id. `request` is the method, path and body as text, for
   * `http500Next.matching`. Returns why, or null to go on.
   */
  httpFault(ids: string[], request = ''): string | null {
    this.calls += 1;
    if (this.calls <= (this.failures.http500FirstCalls ?? 0)) {
      return `Simulated outage: request ${this.calls} of the first ${this.failures.http500FirstCalls} fails.`;
    }
    const next = this.failures.http500Next;
    if (next && this.nextLeft > 0 && (!next.matching || request.includes(next.matching))) {
      this.nextLeft -= 1;
      return `Simulated fault: request ${next.count - this.nextLeft} of the next ${next.count}${next.matching ? ` naming "${next.matching}"` : ''} fails.`;
    }
    for (const id of ids) {
      const flaky = parseTriggers(id).flaky;
      if (flaky === 0) continue;
      const seen = (this.flakyCounts.get(id) ?? 0) + 1;
      this.flakyCounts.set(id, seen);
      if (seen <= flaky) return `Simulated fault: call ${seen} of ${flaky} for ${id} fails.`;
    }
    if (this.chance(this.failures.http500Rate))
      return 'Simulated fault: the broker could not reach the cloud API.';
    return null;
  }

  responseDelayMs(): number {
    return this.failures.responseDelayMs ?? 0;
  }

  slowResponseMs(): number {
    return this.failures.slowResponseMs ?? Math.ceil(65_000 * this.timeScale);
  }

  random01(): number {
    return this.random();
  }

  private chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random() < p;
  }
}
