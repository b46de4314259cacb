import { useId } from 'react';
import { Field, describedBy } from '../../components/form-parts.tsx';
import {
  emptyTier,
  modelHints,
  modelLabels,
  tierStarts,
  type ModelDraft,
  type ModelKind,
  type TierDraft,
} from './rate-card-draft.ts';

interface PriceModelEditorProps {
  draft: ModelDraft;
  onChange: (draft: ModelDraft) => void;
  /** The server's messages by path inside the model: `amount`, `tiers.1.upTo`. */
  errors: Record<string, string | undefined>;
  currency: string;
}

function DecimalInput({
  id,
  value,
  onChange,
  error,
  label,
  unit,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  /** For inputs in a table, where the column header is the visible label. */
  label?: string;
  unit?: string;
}) {
  const input = (
    <input
      id={id}
      className={`input${unit ? ' input-group__input' : ''}`}
      inputMode="decimal"
      autoComplete="off"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-label={label}
      aria-invalid={!!error}
      aria-describedby={describedBy(id, undefined, error)}
    />
  );
  return unit ? (
    <div className="input-group">
      {input}
      <span className="input-group__unit" aria-hidden="true">
        {unit}
      </span>
    </div>
  ) : (
    input
  );
}

/** Every price model of packages/shared/src/pricing.ts, as a form. */
export function PriceModelEditor({ draft, onChange, errors, currency }: PriceModelEditorProps) {
  const uid = useId();
  const set = (patch: Partial<ModelDraft>) => onChange({ ...draft, ...patch });

  return (
    <div className="model-editor">
      <Field
        id={`${uid}-model`}
        label="Price model"
        required
        hint={modelHints[draft.model]}
        error={errors.model}
      >
        <select
          id={`${uid}-model`}
          className="input"
          value={draft.model}
          // What was typed for another model stays, in case the user switches back.
          onChange={(e) => set({ model: e.target.value as ModelKind })}
          aria-describedby={describedBy(`${uid}-model`, modelHints[draft.model], errors.model)}
        >
          {(Object.keys(modelLabels) as ModelKind[]).map((m) => (
            <option key={m} value={m}>
              {modelLabels[m]}
            </option>
          ))}
        </select>
      </Field>

      {draft.model === 'flat' && (
        <Field id={`${uid}-amount`} label="Amount a month" required error={errors.amount}>
          <DecimalInput
            id={`${uid}-amount`}
            value={draft.amount}
            onChange={(amount) => set({ amount })}
            error={errors.amount}
            unit={currency}
          />
        </Field>
      )}
      {draft.model === 'per_unit' && (
        <Field id={`${uid}-unit`} label="Price per unit" required error={errors.unitPrice}>
          <DecimalInput
            id={`${uid}-unit`}
            value={draft.unitPrice}
            onChange={(unitPrice) => set({ unitPrice })}
            error={errors.unitPrice}
            unit={currency}
          />
        </Field>
      )}
      {draft.model === 'package' && (
        <div className="model-editor__row">
          <Field id={`${uid}-bsize`} label="Block size (units)" required error={errors.blockSize}>
            <DecimalInput
              id={`${uid}-bsize`}
              value={draft.blockSize}
              onChange={(blockSize) => set({ blockSize })}
              error={errors.blockSize}
            />
          </Field>
          <Field id={`${uid}-bprice`} label="Price per block" required error={errors.blockPrice}>
            <DecimalInput
              id={`${uid}-bprice`}
              value={draft.blockPrice}
              onChange={(blockPrice) => set({ blockPrice })}
              error={errors.blockPrice}
              unit={currency}
            />
          </Field>
        </div>
      )}
      {(draft.model === 'graduated' || draft.model === 'volume') && (
        <TiersEditor
          tiers={draft.tiers}
          onChange={(tiers) => set({ tiers })}
          errors={errors}
          currency={currency}
        />
      )}
    </div>
  );
}

function TiersEditor({
  tiers,
  onChange,
  errors,
  currency,
}: {
  tiers: TierDraft[];
  onChange: (tiers: TierDraft[]) => void;
  errors: Record<string, string | undefined>;
  currency: string;
}) {
  const uid = useId();
  const starts = tierStarts(tiers);
  const setTier = (i: number, patch: Partial<TierDraft>) =>
    onChange(tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const tiersError = errors.tiers;

  return (
    <fieldset className="tiers-editor" aria-describedby={tiersError ? `${uid}-tiers-error` : undefined}>
      <legend className="field__label">Tiers</legend>
      <p className="field__hint">
        Tiers start at 0 with no gaps; an upper bound is inclusive, the next tier starts above it; the last
        tier is open-ended.
      </p>
      <table className="data-table data-table--stack tiers-editor__table">
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">From (above)</th>
            <th scope="col">Up to (inclusive)</th>
            <th scope="col">Price per unit ({currency})</th>
            <th scope="col">Flat fee ({currency}, optional)</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((t, i) => {
            const last = i === tiers.length - 1;
            const e = (f: string) => errors[`tiers.${i}.${f}`];
            return (
              <tr key={i} data-testid="tier-row">
                <th scope="row" data-label="Tier">
                  {i + 1}
                </th>
                <td data-label="From">{i === 0 ? '0' : starts[i]}</td>
                <td data-label="Up to">
                  {last ? (
                    <span className="muted">and above</span>
                  ) : (
                    <DecimalInput
                      id={`${uid}-${i}-upto`}
                      label={`Tier ${i + 1} up to`}
                      value={t.upTo}
                      onChange={(upTo) => setTier(i, { upTo })}
                      error={e('upTo')}
                    />
                  )}
                  {(e('upTo') || e('from')) && (
                    <p className="field__error" id={`${uid}-${i}-upto-error`}>
                      {e('upTo') ?? e('from')}
                    </p>
                  )}
                </td>
                <td data-label="Price per unit">
                  <DecimalInput
                    id={`${uid}-${i}-price`}
                    label={`Tier ${i + 1} price per unit`}
                    value={t.unitPrice}
                    onChange={(unitPrice) => setTier(i, { unitPrice })}
                    error={e('unitPrice')}
                  />
                  {e('unitPrice') && (
                    <p className="field__error" id={`${uid}-${i}-price-error`}>
                      {e('unitPrice')}
                    </p>
                  )}
                </td>
                <td data-label="Flat fee">
                  <DecimalInput
                    id={`${uid}-${i}-fee`}
                    label={`Tier ${i + 1} flat fee`}
                    value={t.flatFee}
                    onChange={(flatFee) => setTier(i, { flatFee })}
                    error={e('flatFee')}
                  />
                  {e('flatFee') && (
                    <p className="field__error" id={`${uid}-${i}-fee-error`}>
                      {e('flatFee')}
                    </p>
                  )}
                </td>
                <td data-label="" className="tiers-editor__remove">
                  <button
                    type="button"
                    className="btn btn--ghost btn--sm"
                    onClick={() => onChange(tiers.filter((_, j) => j !== i))}
                    disabled={tiers.length === 1}
                    aria-label={`Remove tier ${i + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {tiersError && (
        <p className="field__error" id={`${uid}-tiers-error`}>
          {tiersError}
        </p>
      )}
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        onClick={() => onChange([...tiers, emptyTier()])}
      >
        Add a tier
      </button>
    </fieldset>
  );
}
