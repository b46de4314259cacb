// The CLI's environment, validated: a bad value stops the broker with one line naming the variable.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * apps/cloud-broker/data, whatever the working directory: git-ignored (`data/`), and not the
 * repository's ./data, which is the embedded PostgreSQL's own data directory.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data', import.meta.url));

const probability = z.coerce
  .number({ error: 'must be a number between 0 and 1' })
  .min(0, 'must be between 0 and 1')
  .max(1, 'must be between 0 and 1');

const ConfigSchema = z.object({
  BROKER_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a port number')
    .min(0, 'must be a port number')
    .max(65535, 'must be a port number')
    .default(3010),
  BROKER_HOST: z.string().min(1).default('127.0.0.1'),
  BROKER_USERNAME: z.string().min(1).default('portico'),
  BROKER_PASSWORD: z.string().min(1).default('portico-broker-demo'),
  BROKER_TIME_SCALE: z.coerce
    .number({ error: 'must be a number ≥ 0 (1 = demo speed, 0.01 = a hundred times faster)' })
    .min(0, 'must be a number ≥ 0 (1 = demo speed, 0.01 = a hundred times faster)')
    .default(1),
  BROKER_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  /** Chance that a provision, update or deprovision ends in `failed`: realistic, not constant. */
  BROKER_FAILURE_RATE: probability.default(0.05),
  BROKER_SEED: z.coerce.number({ error: 'must be an integer' }).int('must be an integer').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BrokerConfig = z.infer<typeof ConfigSchema>;

export class BrokerConfigError extends Error {}

export function loadBrokerConfig(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  const picked = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((k) =>
      env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]],
    ),
  );
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new BrokerConfigError(`${name}: ${issue.message} (got ${JSON.stringify(picked[name])})`);
  }
  return parsed.data;
}
