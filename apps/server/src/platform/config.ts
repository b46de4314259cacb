import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number({ error: 'must be a number' }).positive().default(12),
  /** Secure cookies; defaults to on in production. */
  COOKIE_SECURE: bool.optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SEED_DEMO: bool.default(true),
  LOGIN_RATE_LIMIT: z.coerce.number({ error: 'must be a number' }).int().positive().default(10),
  WEB_DIST: z.string().optional(),
  /** Believe X-Forwarded-* headers (client address, https): only behind a proxy that sets them. */
  TRUST_PROXY: bool.default(false),
  /** 32 random bytes, base64: encrypts secrets at rest (required in production). */
  SECRETS_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  /** With the demo data: run the simulated private-cloud broker beside the portal. */
  DEMO_BROKER: bool.default(true),
  BROKER_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).default(3010),
  /** Scales the simulated broker's durations (1: a VM takes 20–60 s; 0.01 for quick runs). */
  BROKER_TIME_SCALE: z.coerce.number({ error: 'must be a number' }).positive().max(100).default(1),
  /**
   * How much usage the demo broker reports at a time, and how often at timeScale 1 (scaled like
   * its other durations); 0 turns its usage reporting off.
   */
  BROKER_USAGE_INTERVAL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int()
    .min(0)
    .default(60_000),
  /**
   * Where e-mail goes: smtp://user:pass@host:port (smtps:// for TLS). Unset: written as .eml files
   * under DATA_DIR/mail instead of sent.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must be a URL like smtp://user:password@mail.example.com:587')
    .optional(),
  /** The sender of the portal's e-mail. */
  MAIL_FROM: z.string().min(3).default('Portico <portico@localhost>'),
  /** The portal's address as other systems reach it (webhook callbacks). */
  PUBLIC_URL: z.url({ error: 'must be a URL like https://portico.example.com' }).optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; the first problem becomes a one-line message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((k) =>
      env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]],
    ),
  );
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`${name}: ${issue.message} (got ${JSON.stringify(picked[name])})`);
  }
  return parsed.data;
}
