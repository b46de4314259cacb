import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for a fresh clone', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, DATA_DIR: './data', SEED_DEMO: true });
  });

  it('names the variable and the problem in one line', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      new ConfigError('PORT: must be a port number (got "eighty")'),
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /^DATABASE_URL: must start with postgres:\/\//,
    );
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/^SEED_DEMO: must be true or false/);
  });

  it('reads booleans and numbers', () => {
    expect(loadConfig({ SEED_DEMO: 'false', PORT: '8080', COOKIE_SECURE: '1' })).toMatchObject({
      SEED_DEMO: false,
      PORT: 8080,
      COOKIE_SECURE: true,
    });
  });
});
