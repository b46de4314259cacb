import { describe, expect, it } from 'vitest';
import { PriceModel, priceModelIssues, rate } from '@portico/shared';
import { draftOf, emptyDraft, fieldName, modelOf, tierStarts } from './rate-card-draft.ts';

describe('the rate-card draft', () => {
  it('makes the last tier open-ended and leaves out empty flat fees', () => {
    const d = emptyDraft('graduated');
    d.tiers = [
      { upTo: '100', unitPrice: '0.10', flatFee: '' },
      { upTo: 'ignored', unitPrice: '0.05', flatFee: '5' },
    ];
    const model = modelOf(d);
    expect(model).toEqual({
      model: 'graduated',
      tiers: [
        { upTo: '100', unitPrice: '0.10' },
        { upTo: null, unitPrice: '0.05', flatFee: '5' },
      ],
    });
    expect(rate(PriceModel.parse(model), '150').amount).toBe('17.5');
  });

  it('round-trips a saved model', () => {
    const saved: PriceModel = { model: 'package', blockSize: 10, blockPrice: '2.50' };
    expect(modelOf(draftOf(saved))).toEqual({ model: 'package', blockSize: '10', blockPrice: '2.50' });
    const tiers: PriceModel = {
      model: 'volume',
      tiers: [
        { upTo: 5, unitPrice: '1' },
        { upTo: null, unitPrice: '0.5', flatFee: '3' },
      ],
    };
    expect(PriceModel.parse(modelOf(draftOf(tiers)))).toEqual({
      model: 'volume',
      tiers: [
        { upTo: '5', unitPrice: '1' },
        { upTo: null, unitPrice: '0.5', flatFee: '3' },
      ],
    });
  });

  it('lets the shared schema name what is wrong, by the path the server uses', () => {
    const d = emptyDraft('volume');
    d.tiers = [
      { upTo: '100', unitPrice: '1', flatFee: '' },
      { upTo: '50', unitPrice: '1', flatFee: '' },
      { upTo: '', unitPrice: '1', flatFee: '' },
    ];
    expect(priceModelIssues(modelOf(d)).map((i) => i.path)).toEqual(['tiers.1.upTo']);
    expect(tierStarts(d.tiers)).toEqual(['0', '100', '50']);
    expect(fieldName('tiers.1.upTo')).toBe('Tier 2, up to');
    expect(fieldName('unitPrice')).toBe('Price per unit');
  });
});
