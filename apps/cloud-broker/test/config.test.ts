import { describe, expect, it } from 'vitest';
import { loadBrokerConfig, parseTriggers } from '../src/index.ts';

describe('loadBrokerConfig', () => {
  it('has demo defaults', () => {
    expect(loadBrokerConfig({})).toMatchObject({
      BROKER_PORT: 3010,
      BROKER_HOST: '127.0.0.1',
      BROKER_USERNAME: 'portico',
      BROKER_TIME_SCALE: 1,
      BROKER_DATA_DIR: expect.stringMatching(/apps\/cloud-broker\/data$/),
      BROKER_FAILURE_RATE: 0.05,
    });
  });

  it('reads the environment', () => {
    const config = loadBrokerConfig({
      BROKER_PORT: '4000',
      BROKER_TIME_SCALE: '0.01',
      BROKER_FAILURE_RATE: '0',
    });
    expect(config).toMatchObject({ BROKER_PORT: 4000, BROKER_TIME_SCALE: 0.01, BROKER_FAILURE_RATE: 0 });
  });

  it('names the bad variable in one line', () => {
    expect(() => loadBrokerConfig({ BROKER_PORT: 'eighty' })).toThrow(
      /^BROKER_PORT: must be a port number \(got "eighty"\)$/,
    );
    expect(() => loadBrokerConfig({ BROKER_TIME_SCALE: '-1' })).toThrow(
      /^BROKER_TIME_SCALE: must be a number ≥ 0/,
    );
    expect(() => loadBrokerConfig({ BROKER_FAILURE_RATE: '5' })).toThrow(
      /^BROKER_FAILURE_RATE: must be between 0 and 1/,
    );
  });
});

describe('parseTriggers', () => {
  it('reads any number of prefixes in any order, and nothing from an ordinary id', () => {
    expect(parseTriggers('flaky3-orphan-fail-provision-abc')).toMatchObject({
      flaky: 3,
      orphan: true,
      failProvision: true,
      slow: false,
    });
    expect(Object.values(parseTriggers('6f1c2a8e-fail-provision'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      0,
    ]);
  });
});
