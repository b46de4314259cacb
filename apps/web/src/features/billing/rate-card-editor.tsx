import { useId, useState } from 'react';
import { addMonths, type PriceModel, type PutRateCardBody, type RateCard } from '@portico/shared';
import { useMeters, usePublishedServices, usePutRateCard } from './billing.api.ts';
import { PriceModelEditor } from './price-model-editor.tsx';
import { CostCalculator } from './cost-calculator.tsx';
import { draftOf, emptyDraft, modelOf, type ModelDraft } from './rate-card-draft.ts';
import { useService } from '../catalog/catalog.api.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf } from '../../components/form-parts.tsx';
import { currentMonth } from '../costs/cost-helpers.ts';

/** Where the editor starts: blank, or from a rate card's latest version. */
export interface EditorStart {
  /** Named, because a draft or retired service is not among the published ones the picker lists. */
  service: { slug: string; name: string } | null;
  plan: { slug: string; name: string } | null;
  meter: string;
  model: PriceModel | null;
}

const firstOfNextMonth = () => `${addMonths(currentMonth(), 1)}-01`;

/** The published choices, plus the one a rate card already names when it is not among them. */
function withStart<T extends { slug: string; name: string }>(
  choices: T[],
  start: { slug: string; name: string } | null,
): { slug: string; name: string }[] {
  return start && !choices.some((c) => c.slug === start.slug) ? [start, ...choices] : choices;
}

interface RateCardEditorProps {
  start: EditorStart;
  onSaved: (card: RateCard) => void;
  onCancel: () => void;
}

/** A new version of a rate card: what it prices (service, plan, meter), from when, and how. */
export function RateCardEditor({ start, onSaved, onCancel }: RateCardEditorProps) {
  const uid = useId();
  const [service, setService] = useState(start.service?.slug ?? '');
  const [plan, setPlan] = useState(start.plan?.slug ?? '');
  const [meter, setMeter] = useState(start.meter);
  // A month is priced with the version in force on its first day: the next one is the usual start.
  const [effectiveFrom, setEffectiveFrom] = useState(firstOfNextMonth);
  const [draft, setDraft] = useState<ModelDraft>(start.model ? draftOf(start.model) : emptyDraft());
  const services = usePublishedServices();
  // Only published services have a public page to read the plans from.
  const published = services.data?.some((s) => s.slug === service) ?? false;
  const detail = useService(published ? service : '');
  const meters = useMeters();
  const save = usePutRateCard();

  const errors = fieldErrorsOf(save.error);
  const modelErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([path]) => path === 'model' || path.startsWith('model.'))
      .map(([path, message]) => [path === 'model' ? 'model' : path.slice('model.'.length), message]),
  );
  const plans = detail.data?.plans ?? [];
  const serviceChoices = withStart(services.data ?? [], start.service);
  const planChoices = withStart(plans, service === start.service?.slug ? start.plan : null);
  const currency = plans.find((p) => p.slug === plan)?.currency ?? detail.data?.currency ?? 'EUR';
  const unit = meters.data?.find((m) => m.key === meter)?.unit ?? null;
  const model = modelOf(draft);
  const shownPaths = [
    'service',
    'plan',
    'meter',
    'effectiveFrom',
    ...Object.keys(errors).filter((p) => p.startsWith('model')),
  ];

  const submit = () => {
    const body = { service, plan, meter, effectiveFrom, model } as PutRateCardBody;
    save.mutate(body, { onSuccess: onSaved });
  };

  return (
    <section className="card rate-editor" aria-labelledby={`${uid}-title`} data-testid="rate-card-editor">
      <h2 className="card__title" id={`${uid}-title`}>
        New rate card version
      </h2>
      <form
        className="rate-editor__grid"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <div className="rate-editor__form">
          <FormProblem error={save.error} shownPaths={shownPaths} />
          <div className="model-editor__row">
            <Field id={`${uid}-service`} label="Service" required error={errors.service}>
              <select
                id={`${uid}-service`}
                className="input"
                value={service}
                onChange={(e) => {
                  setService(e.target.value);
                  setPlan('');
                }}
                aria-invalid={!!errors.service}
                aria-describedby={describedBy(`${uid}-service`, undefined, errors.service)}
              >
                <option value="">Choose a service…</option>
                {serviceChoices.map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${uid}-plan`} label="Plan" required error={errors.plan}>
              <select
                id={`${uid}-plan`}
                className="input"
                value={plan}
                onChange={(e) => setPlan(e.target.value)}
                disabled={!service}
                aria-invalid={!!errors.plan}
                aria-describedby={describedBy(`${uid}-plan`, undefined, errors.plan)}
              >
                <option value="">{service ? 'Choose a plan…' : 'Choose a service first'}</option>
                {planChoices.map((p) => (
                  <option key={p.slug} value={p.slug}>
                    {p.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="model-editor__row">
            <Field id={`${uid}-meter`} label="Meter" required error={errors.meter}>
              <select
                id={`${uid}-meter`}
                className="input"
                value={meter}
                onChange={(e) => setMeter(e.target.value)}
                aria-invalid={!!errors.meter}
                aria-describedby={describedBy(`${uid}-meter`, undefined, errors.meter)}
              >
                <option value="">Choose a meter…</option>
                {meters.data?.map((m) => (
                  <option key={m.key} value={m.key}>
                    {m.name} ({m.unit})
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={`${uid}-from`}
              label="Effective from"
              required
              hint="A month is priced with the highest version in force on its first day."
              error={errors.effectiveFrom}
            >
              <input
                id={`${uid}-from`}
                className="input"
                type="date"
                value={effectiveFrom}
                onChange={(e) => setEffectiveFrom(e.target.value)}
                aria-invalid={!!errors.effectiveFrom}
                aria-describedby={describedBy(
                  `${uid}-from`,
                  'A month is priced with the highest version in force on its first day.',
                  errors.effectiveFrom,
                )}
              />
            </Field>
          </div>
          <PriceModelEditor draft={draft} onChange={setDraft} errors={modelErrors} currency={currency} />
          <div className="form-actions">
            <button type="submit" className="btn btn--primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save new version'}
            </button>
            <button type="button" className="btn btn--secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
        <CostCalculator model={model} currency={currency} unit={unit} />
      </form>
    </section>
  );
}
