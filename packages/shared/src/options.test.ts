import { describe, expect, it } from 'vitest';
import { describeOptions, OptionsSchema, priceOptions, unitPrice, validateOptions } from './options.ts';

const schema = OptionsSchema.parse({
  type: 'object',
  required: ['hostname', 'os'],
  properties: {
    hostname: {
      type: 'string',
      title: 'Hostname',
      pattern: '^[a-z][a-z0-9-]{2,30}$',
      'x-patternHint': 'lower-case letters, digits and -, 3 to 31 characters',
    },
    os: {
      type: 'string',
      title: 'Operating system',
      enum: ['ubuntu', 'windows'],
      'x-enumLabels': ['Ubuntu 24.04 LTS', 'Windows Server 2022'],
      default: 'ubuntu',
      'x-price': { byValue: { windows: { monthly: '15.00' } } },
    },
    licenceKey: { type: 'string', title: 'Licence key', 'x-visibleWhen': { field: 'os', equals: 'windows' } },
    extraDiskGb: {
      type: 'integer',
      title: 'Extra disk',
      minimum: 0,
      maximum: 2000,
      multipleOf: 10,
      unit: 'GB',
      default: 0,
      'x-price': { perUnit: { monthly: '0.10' } },
    },
    backup: {
      type: 'boolean',
      title: 'Backup',
      default: true,
      'x-price': { whenTrue: { monthly: '5.00', oneTime: '20' } },
    },
    tools: {
      type: 'array',
      title: 'Tools',
      items: { type: 'string', enum: ['docker', 'java'] },
      uniqueItems: true,
      'x-price': { byValue: { java: { oneTime: '100' } } },
    },
    goLive: { type: 'string', title: 'Go-live', format: 'date' },
  },
});

describe('validateOptions', () => {
  it('fills defaults, drops hidden fields and keeps the rest', () => {
    const { values, errors } = validateOptions(schema, { hostname: 'web-01', licenceKey: 'XYZ' });
    expect(errors).toEqual([]);
    expect(values).toEqual({ hostname: 'web-01', os: 'ubuntu', extraDiskGb: 0, backup: true });
  });

  it('names every bad field with what is wrong', () => {
    const { errors } = validateOptions(schema, {
      hostname: 'Web_01',
      extraDiskGb: 15,
      tools: ['docker', 'cobol'],
      goLive: '2026-02-30',
      colour: 'red',
    });
    expect(errors).toEqual([
      { path: 'colour', message: 'is not an option of this service' },
      { path: 'hostname', message: 'lower-case letters, digits and -, 3 to 31 characters' },
      { path: 'extraDiskGb', message: 'must be in steps of 10' },
      { path: 'tools', message: 'cobol is not one of docker, java' },
      { path: 'goLive', message: 'must be a date (YYYY-MM-DD)' },
    ]);
  });

  it('asks for required fields, and for conditional ones only when shown', () => {
    expect(validateOptions(schema, {}).errors).toEqual([
      { path: 'hostname', message: 'Hostname is required' },
    ]);
    const windows = validateOptions(schema, { hostname: 'win-01', os: 'windows', licenceKey: 'K-1' });
    expect(windows.values.licenceKey).toBe('K-1');
  });

  it('refuses options for a service without a form', () => {
    expect(validateOptions(null, { a: 1 }).errors).toEqual([
      { path: 'a', message: 'this service takes no options' },
    ]);
  });
});

describe('priceOptions', () => {
  it('adds per-unit, per-value and when-true surcharges with decimal arithmetic', () => {
    const { values } = validateOptions(schema, {
      hostname: 'win-01',
      os: 'windows',
      extraDiskGb: 30,
      tools: ['java'],
    });
    expect(priceOptions(schema, values)).toEqual({ monthly: '23.000000000', oneTime: '120.000000000' });
    expect(unitPrice({ monthly: '38.10', oneTime: '0' }, schema, values)).toEqual({
      monthly: '61.100000000',
      oneTime: '120.000000000',
    });
  });
});

describe('OptionsSchema', () => {
  it('rejects forms that cannot work', () => {
    const bad = OptionsSchema.safeParse({
      type: 'object',
      required: ['nope'],
      properties: {
        a: { type: 'string', title: 'A', pattern: '([', 'x-visibleWhen': { field: 'a', equals: 'x' } },
      },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'required',
      'properties.a.x-visibleWhen.field',
      'properties.a.pattern',
    ]);
  });
});

describe('describeOptions', () => {
  it('shows checked values in the form’s order with titles, labels and units', () => {
    const { values } = validateOptions(schema, {
      tools: ['java', 'docker'],
      hostname: 'build-01',
      os: 'windows',
    });
    expect(describeOptions(schema, values)).toEqual([
      { key: 'hostname', label: 'Hostname', value: 'build-01' },
      { key: 'os', label: 'Operating system', value: 'Windows Server 2022' },
      { key: 'extraDiskGb', label: 'Extra disk', value: '0 GB' },
      { key: 'backup', label: 'Backup', value: 'yes' },
      { key: 'tools', label: 'Tools', value: 'java, docker' },
    ]);
  });

  it('shows nothing for a service without a form', () => {
    expect(describeOptions(null, {})).toEqual([]);
  });
});
