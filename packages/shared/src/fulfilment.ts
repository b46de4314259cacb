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
  'abandoned',
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

// ---- a broker's catalogue, imported as catalogue drafts -------------------------------------

/** Something of the broker's catalogue the draft leaves out (the broker still checks it). */
export const SkippedItem = z.object({
  /** The broker's service (and plan) name. */
  service: z.string(),
  plan: z.string().optional(),
  /** The parameter (`size`, `size.exclusiveMinimum`) or `costs`. */
  field: z.string().optional(),
  reason: z.string(),
});
export type SkippedItem = z.infer<typeof SkippedItem>;

/** What a broker offers, as the drafts would have it: plans with prices, and the order form. */
export const BrokerCatalog = z.object({
  adapter: z.object({ key: z.string(), name: z.string(), url: z.string() }),
  services: z.array(
    z.object({
      /** The broker's id and name of the service offering; `name` is how an import chooses it. */
      id: z.string(),
      name: z.string(),
      /** The draft's slug, unless the import names another. */
      slug: z.string(),
      displayName: z.string(),
      description: z.string(),
      tags: z.array(z.string()),
      bindable: z.boolean(),
      /** The order form the draft would get (a subset of JSON Schema); null when it asks nothing. */
      options: z.record(z.string(), z.unknown()).nullable(),
      plans: z.array(
        z.object({
          name: z.string(),
          slug: z.string(),
          displayName: z.string(),
          features: z.array(z.string()),
          currency: z.string(),
          monthlyPrice: z.string(),
          oneTimePrice: z.string(),
        }),
      ),
    }),
  ),
  skipped: z.array(SkippedItem),
});
export type BrokerCatalog = z.infer<typeof BrokerCatalog>;

const slugText = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, like "managed-postgresql"')
  .max(80);

export const BrokerImportBody = z.object({
  /** Check and show the changes only; nothing is written. */
  dryRun: z.boolean().default(false),
  /** The category (slug) the drafts go into. */
  category: slugText,
  /** The team (key) that owns the drafts. */
  ownerTeam: z.string().min(1, 'is required'),
  /** The broker's services to take, by name; `slug` names the draft when the proposed one is taken. */
  services: z
    .array(z.object({ name: z.string().min(1), slug: slugText.optional() }))
    .min(1, 'choose at least one service'),
});
export type BrokerImportBody = z.input<typeof BrokerImportBody>;

/** The outcome of an import from a broker: the catalogue import's report, and what was left out. */
export const BrokerImportReport = z.object({
  dryRun: z.boolean(),
  adapter: z.object({ key: z.string(), name: z.string() }),
  /** The drafts, in the order of the request's `services` (error paths `services.N…` point here). */
  services: z.array(z.object({ broker: z.string(), slug: z.string(), name: z.string() })),
  /** Problems; when there are any, nothing was changed. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  changes: z.array(
    z.object({
      kind: z.enum(['category', 'service']),
      slug: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      diff: z.string(),
    }),
  ),
  skipped: z.array(SkippedItem),
});
export type BrokerImportReport = z.infer<typeof BrokerImportReport>;

/** A rejected import from a broker: problem+json that is also the report. */
export const BrokerImportProblem = BrokerImportReport.extend({
  type: z.string(),
  title: z.string(),
  status: z.literal(400),
  code: z.literal('Invalid'),
  detail: z.string(),
});

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
