// Secrets at rest (adapter passwords, delivered credentials): AES-256-GCM with a key from the
// configuration. Sealed values carry a version prefix so the scheme can change later.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PREFIX = 'v1:';

export class Secrets {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
    this.key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** A stable value only this portal can compute (HMAC-SHA256 of `label`), base64url. */
  derive(label: string): string {
    return createHmac('sha256', this.key).update(label).digest('base64url');
  }

  sealJson(value: Record<string, string>): string {
    return this.seal(JSON.stringify(value));
  }
}

/**
 * The key: `SECRETS_KEY` (32 bytes, base64) when set — required in production; otherwise a key
 * file made once in the data directory, so a development portal keeps working across restarts.
 */
export function loadSecrets(config: { SECRETS_KEY?: string; DATA_DIR: string; NODE_ENV: string }): Secrets {
  if (config.SECRETS_KEY) return new Secrets(Buffer.from(config.SECRETS_KEY, 'base64'));
  if (config.NODE_ENV === 'production') {
    throw new Error('SECRETS_KEY: is required in production (32 random bytes, base64)');
  }
  const file = path.join(config.DATA_DIR, 'secrets.key');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return new Secrets(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}
