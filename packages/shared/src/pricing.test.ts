import { describe, expect, it } from 'vitest';
import {
  addMonths,
  describePrice,
  minorUnits,
  monthOf,
  priceModelIssues,
  prorate,
  rate,
  roundMoney,
  type PriceModel,
} from './pricing.ts';

const amount = (model: PriceModel, quantity: string) => rate(model, quantity).amount;

// 0 ≤ q ≤ 100 at 1.00, 100 < q ≤ 500 at 0.80, q > 500 at 0.50
const tiers = [
  { upTo: 100, unitPrice: '1.00' },
  { upTo: 500, unitPrice: '0.80' },
  { upTo: null, unitPrice: '0.50' },
];
const graduated: PriceModel = { model: 'graduated', tiers };
const volume: PriceModel = { model: 'volume', tiers };

describe('rate: flat', () => {
  it('is the amount whatever the quantity, as one flat-fee line', () => {
    const model: PriceModel = { model: 'flat', amount: '49.90' };
    expect(rate(model, '7')).toEqual({
      amount: '49.9',
      breakdown: [{ tier: null, units: '7', unitPrice: '0', blocks: null, flatFee: '49.9', amount: '49.9' }],
    });
    expect(amount(model, '0')).toBe('49.9');
  });
});

describe('rate: per_unit', () => {
  it('multiplies exactly, fractions included (no float: 3 × 0.1 is 0.3)', () => {
    const model: PriceModel = { model: 'per_unit', unitPrice: '0.1' };
    expect(amount(model, '3')).toBe('0.3');
    expect(amount(model, '2.5')).toBe('0.25');
    expect(rate(model, '3').breakdown).toEqual([
      { tier: null, units: '3', unitPrice: '0.1', blocks: null, flatFee: '0', amount: '0.3' },
    ]);
  });

  it('is 0 with no line for no usage', () => {
    expect(rate({ model: 'per_unit', unitPrice: '0.1' }, '0')).toEqual({ amount: '0', breakdown: [] });
  });

  it('keeps every digit of big and tiny numbers, never in exponent notation', () => {
    const model: PriceModel = { model: 'per_unit', unitPrice: '0.000000001' };
    expect(amount(model, '123456789012345678')).toBe('123456789.012345678');
    expect(amount(model, '0.0001')).toBe('0.0000000000001');
  });
});

describe('rate: graduated', () => {
  it.each([
    ['0', '0'],
    ['0.1', '0.1'],
    ['1', '1'],
    ['100', '100'], // exactly on the first upper bound: all in tier 0
    ['100.5', '100.4'], // half a unit in tier 1
    ['101', '100.8'], // one unit past the bound
    ['500', '420'], // 100 + 400 × 0.80
    ['501', '420.5'],
    ['1000', '670'], // 420 + 500 × 0.50
  ])('%s units cost %s', (q, expected) => {
    expect(amount(graduated, q)).toBe(expected);
  });

  it('breaks the amount down per tier reached, with the units inside each', () => {
    expect(rate(graduated, '501').breakdown).toEqual([
      { tier: 0, units: '100', unitPrice: '1', blocks: null, flatFee: '0', amount: '100' },
      { tier: 1, units: '400', unitPrice: '0.8', blocks: null, flatFee: '0', amount: '320' },
      { tier: 2, units: '1', unitPrice: '0.5', blocks: null, flatFee: '0', amount: '0.5' },
    ]);
    expect(rate(graduated, '100').breakdown.map((l) => l.tier)).toEqual([0]);
    expect(rate(graduated, '0').breakdown).toEqual([]);
  });

  it('adds tier amounts exactly (0.1 + 0.2 is 0.3)', () => {
    const model: PriceModel = {
      model: 'graduated',
      tiers: [
        { upTo: 1, unitPrice: '0.1' },
        { upTo: null, unitPrice: '0.2' },
      ],
    };
    expect(amount(model, '2')).toBe('0.3');
  });

  it('takes fractional bounds as decimal strings', () => {
    const model: PriceModel = {
      model: 'graduated',
      tiers: [
        { upTo: '0.5', unitPrice: '10' },
        { upTo: null, unitPrice: '1' },
      ],
    };
    expect(amount(model, '0.5')).toBe('5');
    expect(amount(model, '0.75')).toBe('5.25');
  });

  it('adds the flat fee of each tier reached, once, and none without usage', () => {
    const model: PriceModel = {
      model: 'graduated',
      tiers: [
        { upTo: 10, unitPrice: '0', flatFee: '5' },
        { upTo: null, unitPrice: '2', flatFee: '10' },
      ],
    };
    expect(amount(model, '0')).toBe('0');
    expect(amount(model, '1')).toBe('5');
    expect(amount(model, '10')).toBe('5'); // on the bound: tier 1 not reached
    expect(amount(model, '10.5')).toBe('16'); // 5 + 0.5 × 2 + 10
    expect(amount(model, '11')).toBe('17');
    expect(rate(model, '11').breakdown).toEqual([
      { tier: 0, units: '10', unitPrice: '0', blocks: null, flatFee: '5', amount: '5' },
      { tier: 1, units: '1', unitPrice: '2', blocks: null, flatFee: '10', amount: '12' },
    ]);
  });
});

describe('rate: volume', () => {
  it.each([
    ['0', '0'],
    ['0.5', '0.5'],
    ['100', '100'], // exactly on the bound: tier 0 prices all
    ['100.5', '80.4'], // past it: tier 1 prices all 100.5
    ['101', '80.8'],
    ['500', '400'],
    ['501', '250.5'],
  ])('%s units cost %s', (q, expected) => {
    expect(amount(volume, q)).toBe(expected);
  });

  it('shows one line: the tier the total falls in, with every unit', () => {
    expect(rate(volume, '501').breakdown).toEqual([
      { tier: 2, units: '501', unitPrice: '0.5', blocks: null, flatFee: '0', amount: '250.5' },
    ]);
    expect(rate(volume, '0').breakdown).toEqual([]);
  });

  it('adds the flat fee of the tier the total falls in, only that one', () => {
    const model: PriceModel = {
      model: 'volume',
      tiers: [
        { upTo: 10, unitPrice: '1', flatFee: '5' },
        { upTo: null, unitPrice: '0.5', flatFee: '20' },
      ],
    };
    expect(amount(model, '0')).toBe('0');
    expect(amount(model, '10')).toBe('15');
    expect(amount(model, '11')).toBe('25.5');
    expect(rate(model, '11').breakdown).toEqual([
      { tier: 1, units: '11', unitPrice: '0.5', blocks: null, flatFee: '20', amount: '25.5' },
    ]);
  });
});

describe('rate: package', () => {
  const model: PriceModel = { model: 'package', blockSize: 100, blockPrice: '5' };

  it.each([
    ['0', '0'],
    ['1', '5'], // a started block counts whole
    ['100', '5'], // exactly one full block
    ['100.01', '10'],
    ['101', '10'],
    ['250', '15'],
  ])('%s units cost %s', (q, expected) => {
    expect(amount(model, q)).toBe(expected);
  });

  it('shows the blocks counted', () => {
    expect(rate(model, '101').breakdown).toEqual([
      { tier: null, units: '101', unitPrice: '5', blocks: '2', flatFee: '0', amount: '10' },
    ]);
  });

  it('takes a fractional block size as a decimal string', () => {
    const half: PriceModel = { model: 'package', blockSize: '0.5', blockPrice: '0.3' };
    expect(rate(half, '1.2').breakdown[0]?.blocks).toBe('3');
    expect(amount(half, '1.2')).toBe('0.9');
    expect(amount(half, '1.5')).toBe('0.9');
  });
});

describe('rate: what it refuses', () => {
  it.each(['-1', '1e3', '', ' 1', '1.', '.5', 'NaN'])('a quantity of "%s"', (q) => {
    expect(() => rate(graduated, q)).toThrow(RangeError);
  });

  it('a model that does not validate', () => {
    const broken = { model: 'graduated', tiers: [{ upTo: 100, unitPrice: '1' }] } as PriceModel;
    expect(() => rate(broken, '1')).toThrow(/open-ended/);
  });
});

describe('PriceModel validation names the field', () => {
  const graduatedWith = (t: unknown[]) => priceModelIssues({ model: 'graduated', tiers: t });

  it('accepts valid models of each kind', () => {
    expect(priceModelIssues({ model: 'flat', amount: '10' })).toEqual([]);
    expect(priceModelIssues({ model: 'per_unit', unitPrice: '0.0035' })).toEqual([]);
    expect(priceModelIssues(graduated)).toEqual([]);
    expect(priceModelIssues({ model: 'volume', tiers: [{ upTo: null, unitPrice: '1' }] })).toEqual([]);
    expect(priceModelIssues({ model: 'package', blockSize: 10, blockPrice: '1' })).toEqual([]);
    expect(
      graduatedWith([
        { from: 0, upTo: 100, unitPrice: '1' },
        { from: '100', upTo: null, unitPrice: '0.5', flatFee: '0' },
      ]),
    ).toEqual([]);
  });

  it('a gap: a tier that starts after the previous upTo', () => {
    expect(
      graduatedWith([
        { upTo: 100, unitPrice: '1' },
        { from: 101, upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([
      {
        path: 'tiers.1.from',
        message: 'must be 100 (tiers.0.upTo): a gap, quantities above 100 up to 101 would be in no tier',
      },
    ]);
  });

  it('an overlap: bounds that do not increase, or a tier that starts too early', () => {
    expect(
      graduatedWith([
        { upTo: 100, unitPrice: '1' },
        { upTo: 50, unitPrice: '0.8' },
        { upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([
      { path: 'tiers.1.upTo', message: 'must be greater than tiers.0.upTo (100): bounds increase strictly' },
    ]);
    expect(
      graduatedWith([
        { upTo: 100, unitPrice: '1' },
        { upTo: 100, unitPrice: '0.8' },
        { upTo: null, unitPrice: '0.5' },
      ]),
    ).toHaveLength(1);
    expect(
      graduatedWith([
        { upTo: 100, unitPrice: '1' },
        { from: 50, upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([{ path: 'tiers.1.from', message: 'must be 100 (tiers.0.upTo): an overlap with tiers.0' }]);
  });

  it('not starting at 0', () => {
    expect(
      graduatedWith([
        { from: 1, upTo: 100, unitPrice: '1' },
        { upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([{ path: 'tiers.0.from', message: 'must be 0: the first tier starts at 0' }]);
    expect(
      graduatedWith([
        { upTo: 0, unitPrice: '1' },
        { upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([{ path: 'tiers.0.upTo', message: 'must be greater than 0: the first tier starts at 0' }]);
  });

  it('a closed last tier, and an open one before the last', () => {
    expect(
      priceModelIssues({
        model: 'volume',
        tiers: [
          { upTo: 100, unitPrice: '1' },
          { upTo: 200, unitPrice: '0.5' },
        ],
      }),
    ).toEqual([{ path: 'tiers.1.upTo', message: 'the last tier must be open-ended (null)' }]);
    expect(
      graduatedWith([
        { upTo: null, unitPrice: '1' },
        { upTo: null, unitPrice: '0.5' },
      ]),
    ).toEqual([{ path: 'tiers.0.upTo', message: 'only the last tier may be open-ended (null)' }]);
  });

  it('no tiers at all', () => {
    expect(graduatedWith([])).toEqual([{ path: 'tiers', message: 'needs at least one tier' }]);
  });

  it('a negative price or fee, or a price as a number', () => {
    const message = 'must be a non-negative decimal string like "0.25"';
    expect(graduatedWith([{ upTo: null, unitPrice: '-1' }])).toEqual([
      { path: 'tiers.0.unitPrice', message },
    ]);
    expect(graduatedWith([{ upTo: null, unitPrice: '1', flatFee: '-5' }])).toEqual([
      { path: 'tiers.0.flatFee', message },
    ]);
    expect(priceModelIssues({ model: 'per_unit', unitPrice: 0.1 })[0]?.path).toBe('unitPrice');
    expect(priceModelIssues({ model: 'flat', amount: '-10' })).toEqual([{ path: 'amount', message }]);
    expect(priceModelIssues({ model: 'package', blockSize: 10, blockPrice: '1e2' })).toEqual([
      { path: 'blockPrice', message },
    ]);
  });

  it('a bound that is negative, a fraction as a number, or a block size of 0', () => {
    expect(
      graduatedWith([
        { upTo: -5, unitPrice: '1' },
        { upTo: null, unitPrice: '1' },
      ]),
    ).toEqual([{ path: 'tiers.0.upTo', message: 'must be a non-negative integer or decimal string' }]);
    expect(
      graduatedWith([
        { upTo: 100.5, unitPrice: '1' },
        { upTo: null, unitPrice: '1' },
      ])[0]?.path,
    ).toBe('tiers.0.upTo');
    expect(priceModelIssues({ model: 'package', blockSize: 0, blockPrice: '1' })).toEqual([
      { path: 'blockSize', message: 'must be greater than 0' },
    ]);
  });

  it('a bound or block size that is no number at all', () => {
    for (const bad of ['abc', '', '1e3', true]) {
      expect(
        graduatedWith([
          { from: bad, upTo: bad, unitPrice: '1' },
          { upTo: null, unitPrice: '1' },
        ]),
      ).toEqual([
        { path: 'tiers.0.from', message: expect.stringMatching(/^must be a non-negative/) },
        { path: 'tiers.0.upTo', message: expect.stringMatching(/^must be a non-negative/) },
      ]);
      expect(priceModelIssues({ model: 'package', blockSize: bad, blockPrice: '1' })).toEqual([
        { path: 'blockSize', message: expect.stringMatching(/^must be a non-negative/) },
      ]);
    }
  });

  it('an unknown model or field', () => {
    expect(priceModelIssues({ model: 'tiered', tiers: [] })[0]?.path).toBe('model');
    expect(priceModelIssues({ model: 'flat', amount: '1', ammount: '2' })).toEqual([
      { path: 'ammount', message: 'Unrecognized key: "ammount"' },
    ]);
    expect(graduatedWith([{ upTo: null, upto: null, unitPrice: '1' }])).toEqual([
      { path: 'tiers.0.upto', message: 'Unrecognized key: "upto"' },
    ]);
  });
});

describe('monthOf', () => {
  it('is the UTC calendar month, half-open', () => {
    expect(monthOf('2025-01-15T12:00:00Z')).toEqual({
      start: new Date('2025-01-01T00:00:00Z'),
      end: new Date('2025-02-01T00:00:00Z'),
    });
    expect(monthOf(new Date('2025-02-01T00:00:00Z')).start).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(monthOf('2025-01-31T23:59:59.999Z').end).toEqual(new Date('2025-02-01T00:00:00Z'));
  });

  it('rolls over the year, takes the offset into account, and knows leap years', () => {
    expect(monthOf('2024-12-31T23:00:00Z').end).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(monthOf('2025-03-01T01:00:00+02:00').start).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(monthOf('2024-02-29T10:00:00Z').end).toEqual(new Date('2024-03-01T00:00:00Z'));
  });

  it('refuses an instant without its offset or not an instant', () => {
    expect(() => monthOf('2025-01-15T12:00:00')).toThrow(RangeError);
    expect(() => monthOf('2025-01-15')).toThrow(RangeError);
    expect(() => monthOf(new Date(NaN))).toThrow(RangeError);
  });
});

describe('prorate', () => {
  const jan = monthOf('2025-01-01T00:00:00Z'); // 31 days
  const feb = monthOf('2025-02-01T00:00:00Z'); // 28 days
  const leapFeb = monthOf('2024-02-01T00:00:00Z'); // 29 days
  const apr = monthOf('2025-04-01T00:00:00Z'); // 30 days

  it('a whole month is exactly the monthly amount, in months of every length', () => {
    for (const month of [jan, feb, leapFeb, apr]) {
      expect(prorate('99.99', month.start, month.end, month)).toBe('99.99');
      expect(prorate('99.99', '2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z', month)).toBe('99.99');
    }
  });

  it('a start mid-month charges the seconds from it to the end of the month', () => {
    expect(prorate('31', '2025-01-11T00:00:00Z', jan.end, jan)).toBe('21'); // 21 of 31 days
    expect(prorate('28', '2025-02-15T00:00:00Z', feb.end, feb)).toBe('14'); // 14 of 28 days
    expect(prorate('30', '2025-04-16T00:00:00Z', apr.end, apr)).toBe('15'); // 15 of 30 days
    expect(prorate('100', '2025-01-11T00:00:00Z', jan.end, jan)).toBe(
      '67.741935483870967741935483870967741935483870967742',
    );
    expect(roundMoney(prorate('100', '2025-01-11T00:00:00Z', jan.end, jan), 'EUR')).toBe('67.74');
  });

  it('an end mid-month charges the seconds up to it, not the rest', () => {
    expect(prorate('31', '2024-11-03T00:00:00Z', '2025-01-21T00:00:00Z', jan)).toBe('20');
    expect(prorate('31', '2025-01-01T00:00:00Z', '2025-01-01T12:00:00Z', jan)).toBe('0.5');
  });

  it('a resize mid-month: two segments, each at its price, adding up', () => {
    const at = '2025-01-11T12:00:00Z'; // 10.5 days in
    const before = prorate('31', jan.start, at, jan);
    const after = prorate('62', at, jan.end, jan);
    expect(before).toBe('10.5');
    expect(after).toBe('41'); // 20.5 days at 62 a month
    // the same price on both sides is the whole month again
    expect(roundMoney(prorate('31', at, jan.end, jan), 'EUR')).toBe('20.50');
    const a = prorate('100', jan.start, at, jan);
    const b = prorate('100', at, jan.end, jan);
    expect(roundMoney(a, 'EUR')).toBe('33.87');
    expect(roundMoney(b, 'EUR')).toBe('66.13');
  });

  it('February, in a common year and a leap year', () => {
    // 1 Feb .. 8 Feb is 7 days: a quarter of 2025's February, 7/29 of 2024's
    expect(prorate('100', '2025-02-01T00:00:00Z', '2025-02-08T00:00:00Z', feb)).toBe('25');
    expect(roundMoney(prorate('100', '2024-02-01T00:00:00Z', '2024-02-08T00:00:00Z', leapFeb), 'EUR')).toBe(
      '24.14',
    );
    expect(prorate('29', '2024-02-29T00:00:00Z', '2024-03-05T00:00:00Z', leapFeb)).toBe('1'); // the leap day
  });

  it('counts whole seconds: milliseconds are dropped, so adjacent segments add up', () => {
    const perSecond = String(31 * 24 * 3600); // 1 per second in January
    expect(prorate(perSecond, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.999Z', jan)).toBe('1');
    const cut = '2025-01-20T07:13:42.500Z';
    // 19 days 7:13:42 in, then the rest of the month
    expect(prorate(perSecond, jan.start, cut, jan)).toBe('1667622');
    expect(prorate(perSecond, cut, jan.end, jan)).toBe('1010778');
  });

  it('a transfer: segments at one price add up to the whole month exactly', () => {
    // 6.5 days, 12.25 days, 12.25 days at 2 a day
    const cuts = [jan.start, new Date('2025-01-07T12:00:00Z'), new Date('2025-01-19T18:00:00Z'), jan.end];
    const parts = cuts.slice(1).map((to, i) => prorate('62', cuts[i]!, to, jan));
    expect(parts).toEqual(['13', '24.5', '24.5']);
  });

  it('a segment outside the month, or empty, costs 0', () => {
    expect(prorate('31', '2025-02-03T00:00:00Z', '2025-03-01T00:00:00Z', jan)).toBe('0');
    expect(prorate('31', '2025-01-10T00:00:00Z', '2025-01-10T00:00:00Z', jan)).toBe('0');
    expect(prorate('31', '2025-01-20T00:00:00Z', '2025-01-10T00:00:00Z', jan)).toBe('0');
    expect(prorate('31', jan.end, '2025-02-10T00:00:00Z', jan)).toBe('0'); // the end is not in the month
  });

  it('refuses a period that is not a UTC calendar month, and a bad amount', () => {
    const halfMonth = { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2025-01-16T00:00:00Z') };
    expect(() => prorate('31', halfMonth.start, halfMonth.end, halfMonth)).toThrow(RangeError);
    const shifted = { start: new Date('2025-01-01T01:00:00Z'), end: new Date('2025-02-01T01:00:00Z') };
    expect(() => prorate('31', shifted.start, shifted.end, shifted)).toThrow(RangeError);
    expect(() => prorate('-31', jan.start, jan.end, jan)).toThrow(RangeError);
    expect(() => prorate('31', '2025-01-10', jan.end, jan)).toThrow(RangeError);
  });
});

describe('roundMoney', () => {
  it.each([
    ['0.005', 'EUR', '0.01'],
    ['0.004999', 'EUR', '0.00'],
    ['0.015', 'EUR', '0.02'],
    ['0.025', 'EUR', '0.03'], // half-up, not half-even
    ['1.005', 'USD', '1.01'], // a float would say 1.00
    ['2.675', 'GBP', '2.68'], // a float would say 2.67
    ['10', 'CHF', '10.00'],
    ['12.5', 'JPY', '13'],
    ['12.4999', 'JPY', '12'],
    ['0.5', 'JPY', '1'],
    ['1.2345', 'KWD', '1.235'],
    ['0.0005', 'BHD', '0.001'],
    ['1.23455', 'CLF', '1.2346'],
    ['1.005', 'HUF', '1.01'], // ISO 4217 says 2 digits where ICU shows 0
    ['1.0005', 'IQD', '1.001'], // ISO 4217 says 3 where ICU shows 0
    ['-0.005', 'EUR', '-0.01'], // a credit rounds like a charge: ties away from zero
    ['-0.004', 'EUR', '0.00'], // and never "-0.00"
    ['67.741935483870967741935483870967741935483870967742', 'EUR', '67.74'],
  ])('%s %s → %s', (value, currency, expected) => {
    expect(roundMoney(value, currency)).toBe(expected);
  });

  it('0.1 + 0.2 comes out 0.3, not 0.30000000000000004', () => {
    const model: PriceModel = {
      model: 'graduated',
      tiers: [
        { upTo: 1, unitPrice: '0.1' },
        { upTo: null, unitPrice: '0.2' },
      ],
    };
    expect(rate(model, '2').amount).toBe('0.3');
    expect(roundMoney(rate(model, '2').amount, 'EUR')).toBe('0.30');
    expect(
      prorate('0.3', '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', monthOf('2025-01-01T00:00:00Z')),
    ).toBe('0.3');
  });

  it('knows the minor units and refuses what is not a currency to bill in', () => {
    expect([
      minorUnits('EUR'),
      minorUnits('USD'),
      minorUnits('JPY'),
      minorUnits('KWD'),
      minorUnits('CLF'),
    ]).toEqual([2, 2, 0, 3, 4]);
    expect(() => minorUnits('eur')).toThrow(RangeError);
    expect(() => minorUnits('EURO')).toThrow(RangeError);
    expect(() => minorUnits('XAU')).toThrow(RangeError);
    expect(() => roundMoney('1e3', 'EUR')).toThrow(RangeError);
    expect(() => roundMoney('', 'EUR')).toThrow(RangeError);
  });
});

describe('the estimate and the bill', () => {
  it('rate, prorate, round once: a mid-month start on a graduated plan', () => {
    // 250 seats from 10 January: 100 × 1.00 + 150 × 0.80 = 220 a month; 22 of 31 days
    const monthly = rate(graduated, '250').amount;
    expect(monthly).toBe('220');
    const jan = monthOf('2025-01-10T00:00:00Z');
    const line = roundMoney(prorate(monthly, '2025-01-10T00:00:00Z', jan.end, jan), 'EUR');
    expect(line).toBe('156.13'); // 220 × 22 / 31 = 156.129…
  });
});

describe('describePrice', () => {
  it('says each model in words', () => {
    expect(describePrice({ model: 'per_unit', unitPrice: '0.10' }, 'GB')).toBe('0.1 per GB');
    expect(describePrice({ model: 'flat', amount: '25' }, 'GB')).toBe('25 a month, whatever the use');
    expect(describePrice({ model: 'package', blockSize: 100, blockPrice: '5.00' }, 'GB')).toBe(
      '5 per 100 GB started',
    );
    const tiers = [
      { upTo: 1000, unitPrice: '0.09' },
      { upTo: null, unitPrice: '0.07', flatFee: '10' },
    ];
    expect(describePrice({ model: 'graduated', tiers }, 'GB')).toBe(
      '0.09 per GB up to 1000, then 0.07 per GB + 10 (each tier prices the units inside it)',
    );
    expect(describePrice({ model: 'volume', tiers }, 'GB')).toBe(
      "0.09 per GB up to 1000, then 0.07 per GB + 10 (the month's total picks the tier for every unit)",
    );
  });
});

describe('addMonths', () => {
  it('moves across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-10', -11)).toBe('2025-11');
  });
});
