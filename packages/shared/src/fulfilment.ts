// Fulfilment adapters: the systems automated steps talk to (an Open Service Broker, a webhook
// endpoint), as admins configure them. The secret is write-only.
import { z } from 'zod';

export const AdapterType = z.enum(['osb', 'webhook']);

export const AdapterBody = z.object({
  name: z.string().trim().min(1).max(100),
  type: AdapterType,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /** The broker's basic-auth user (OSB only). */
  username: z.string().min(1).max(200).optional(),
  /** Broker password, or the webhook signing secret (whsec_…); keeps the stored one when left out. */
  secret: z.string().min(1).max(500).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  maxAttempts: z.number().int().min(1).max(20).default(6),
  /** The team told when the adapter's steps need attention or its circuit opens. */
  team: z.string().min(1),
});
export type AdapterBody = z.input<typeof AdapterBody>;

export const FulfilmentAdapter = z.object({
  key: z.string(),
  name: z.string(),
  type: AdapterType,
  url: z.string(),
  username: z.string().nullable(),
  timeoutMs: z.number().int(),
  maxAttempts: z.number().int(),
  team: z.object({ key: z.string(), name: z.string() }),
  /** Failures in a row, and until when calls are held back (the circuit is open). */
  failures: z.number().int(),
  openUntil: z.iso.datetime().nullable(),
});
export type FulfilmentAdapter = z.infer<typeof FulfilmentAdapter>;

export const lineStepStatuses = [
  'queued',
  'running',
  'waiting',
  'done',
  'failed',
  'undoing',
  'undone',
  'skipped',
] as const;

/** One step of a line's delivery, as the requester's tracker shows it. */
export const LineStep = z.object({
  position: z.number().int(),
  name: z.string(),
  type: z.enum(['manual', 'osb', 'webhook']),
  stage: z.enum(['provisioning', 'configuring']),
  /** failed: held up, the team is on it (the error itself is for the team). */
  status: z.enum(lineStepStatuses),
  /** Who works on it: the team, or the system an adapter reaches. */
  by: z.string(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** What is happening now ("Creating the VM, 40 %"). */
  progress: z.string().nullable(),
  /** The fulfiller's note, or the automation's. */
  note: z.string().nullable(),
});
export type LineStep = z.infer<typeof LineStep>;

/**
 * When a line should arrive. From history: how long the same steps (the same step definition,
 * so a catalogue edit starts afresh) took in their recent runs, median and 85th percentile,
 * added up for the steps still ahead; manual steps count in business hours, automated ones
 * around the clock. From the lead time: too little history (or not yet in fulfilment), so the
 * plan's lead time in business days from approval, ending with that day's business hours.
 */
export const DeliveryForecast = z.object({
  basis: z.enum(['history', 'lead_time']),
  /** Half of recent runs of these steps were this quick (the lead-time date when from the lead time). */
  expectedAt: z.iso.datetime(),
  /** 85 of 100 recent runs were this quick (the same as expectedAt when from the lead time). */
  latestAt: z.iso.datetime(),
  /** From history: the fewest recent runs behind any step still ahead (how much to trust it). */
  runs: z.number().int().nullable(),
  /** From history: each step still ahead, how long it usually takes, on its own clock. */
  steps: z.array(
    z.object({
      position: z.number().int(),
      clock: z.enum(['business', 'wall']),
      runs: z.number().int(),
      medianMs: z.number().int(),
      p85Ms: z.number().int(),
    }),
  ),
});
export type DeliveryForecast = z.infer<typeof DeliveryForecast>;
