// What the fulfilment engine asks of an automated step's adapter (HTTP webhook, Open Service
// Broker), and what it gets back. Adapters talk to the outside world only: no database, no
// transactions. The engine keeps each step's state between calls, retries with backoff, and
// records every result, so an adapter must be safe to call again with the same idempotency key
// after a crash (the outside system sees a re-send, never a second request for new work).

/** What the line being fulfilled asks for, as bought. */
export interface LineFacts {
  lineId: string;
  orderId: string;
  orderNumber: string;
  service: { slug: string; name: string; version: number };
  plan: { slug: string; name: string };
  options: Record<string, unknown>;
  quantity: number;
  requester: { id: string; email: string; name: string };
  costCentre: string;
}

export interface StepCall {
  /**
   * Stable for this step of this line across every attempt, poll and restart: the adapter sends
   * it (webhook-id, OSB instance id) so the outside system recognises a re-send.
   */
  idempotencyKey: string;
  line: LineFacts;
  /** What the step's definition in the catalogue says (adapter-specific, already validated). */
  config: Record<string, unknown>;
  /** Outputs of the steps before this one (hostname, ip …). */
  outputs: Record<string, string>;
  /** What this adapter returned as `state` last time for this step (empty on the first call). */
  state: Record<string, unknown>;
  /**
   * Set when the step changes what an earlier step made (a resize or upgrade of a subscription):
   * that step's last state and outputs. The adapter updates that resource (OSB: PATCH the
   * instance to the new plan) instead of creating another; its `done` state replaces the earlier one.
   */
  replaces?: { state: Record<string, unknown>; outputs: Record<string, string> };
}

export interface WebhookCall extends StepCall {
  /** Where the outside system reports a late result; carries a one-time token. */
  callbackUrl: string;
}

export type StepResult =
  /** The step is done; its outputs flow to later steps and into the subscription. */
  | {
      status: 'done';
      outputs?: Record<string, string>;
      /** Secrets for the owner (passwords, keys): stored encrypted, shown masked. */
      credentials?: Record<string, string>;
      state?: Record<string, unknown>;
      note?: string;
    }
  /** Accepted and still working: ask `poll` again after `pollAfterMs` (or wait for the callback). */
  | {
      status: 'working';
      state: Record<string, unknown>;
      /** Omit to wait for a callback instead of polling. */
      pollAfterMs?: number;
      /** What is happening now, for the requester's tracker ("Creating the VM, 40 %"). */
      progress?: string;
    }
  /**
   * It did not work. `retryable`: a timeout, 5xx, connection error — the engine tries again with
   * backoff, up to the adapter's limit. Not retryable: the outside system said no for good.
   * `ambiguous`: the request may have created something (timeout, 5xx on a create) — the engine
   * cleans up with `undo` before giving up (OSB orphan mitigation).
   */
  | {
      status: 'failed';
      error: string;
      retryable: boolean;
      ambiguous?: boolean;
      /** The other side asked for this much quiet first (Retry-After); the engine waits at least that. */
      retryAfterMs?: number;
      state?: Record<string, unknown>;
    };

export interface Adapter {
  /**
   * Starts the step's work, or re-sends it after a failure: it must resume from `state` (where
   * the last call got to), never start over with new identities.
   */
  start(call: StepCall | WebhookCall): Promise<StepResult>;
  /** Asks how work reported as `working` is going. */
  poll(call: StepCall): Promise<StepResult>;
  /** Undoes a finished (or ambiguous) step: deprovision what was provisioned. Idempotent too. */
  undo(call: StepCall): Promise<StepResult>;
}
