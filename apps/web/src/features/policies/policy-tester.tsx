import { useId, useState, type FormEvent } from 'react';
import { validateOptions, type PolicyTestBody } from '@portico/shared';
import { useOrderableServices, usePolicyTest } from './policies.api.ts';
import { useCostCentres } from '../budgets/budgets.api.ts';
import { useService } from '../catalog/catalog.api.ts';
import { initialOptionValues } from '../catalog/options-form.tsx';
import { useCurrentUser } from '../session/current-user.ts';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { ApprovalRouteView, MatchedRules } from '../../components/approval-route.tsx';
import { BudgetGauge } from '../../components/budget-gauge.tsx';
import { QuantityStepper } from '../../components/quantity-stepper.tsx';
import { formatMoney } from '../../components/format.ts';

/** "Who would approve this?": a sample line through the active policies, without ordering anything. */
export function PolicyTester() {
  const uid = useId();
  const me = useCurrentUser();
  const test = usePolicyTest();
  const services = useOrderableServices();
  const centres = useCostCentres();
  const [requester, setRequester] = useState('requester@example.com');
  const [costCentre, setCostCentre] = useState(me.defaultCostCentre?.code ?? '');
  const [serviceSlug, setServiceSlug] = useState('');
  const [plan, setPlan] = useState('');
  const [quantity, setQuantity] = useState(1);
  const service = useService(serviceSlug);
  const plans = service.data?.plans ?? [];
  const planSlug = plans.some((p) => p.slug === plan) ? plan : (plans[0]?.slug ?? '');

  const server = fieldErrorsOf(test.error);
  const id = (k: string) => `${uid}-${k}`;
  const errors = {
    requester: withLabel('Requester', server.requester),
    costCentre: withLabel('Cost centre', server.costCentre),
    service: withLabel('Service', server.service),
    plan: withLabel('Plan', server.plan),
    quantity: withLabel('Quantity', server.quantity),
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!serviceSlug || !planSlug || !service.data) return;
    const schema = service.data.options;
    const body: PolicyTestBody = {
      requester: requester.trim(),
      costCentre,
      service: serviceSlug,
      plan: planSlug,
      // The service's defaults: enough to price and route a typical line.
      options: validateOptions(schema, initialOptionValues(schema)).values,
      quantity: Number.isInteger(quantity) ? quantity : 1,
    };
    test.mutate(body);
  }

  const r = test.data;
  return (
    <div className="tester">
      <form className="card tester__form" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
        <h2 className="card__title" id={`${uid}-title`}>
          Who would approve this?
        </h2>
        <p className="muted small editor-section__intro">
          Try a request against the active policies: nothing is ordered and nobody is asked.
        </p>
        <Field id={id('requester')} label="Requester’s email" required error={errors.requester}>
          <input
            id={id('requester')}
            className="input"
            type="email"
            autoComplete="off"
            value={requester}
            onChange={(e) => setRequester(e.target.value)}
            aria-invalid={!!errors.requester}
            aria-describedby={describedBy(id('requester'), undefined, errors.requester)}
          />
        </Field>
        <Field id={id('cc')} label="Cost centre" required error={errors.costCentre}>
          <select
            id={id('cc')}
            className="input"
            value={costCentre}
            onChange={(e) => setCostCentre(e.target.value)}
            aria-invalid={!!errors.costCentre}
            aria-describedby={describedBy(id('cc'), undefined, errors.costCentre)}
          >
            <option value="">Choose…</option>
            {(centres.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} — {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('service')} label="Service" required error={errors.service}>
          <select
            id={id('service')}
            className="input"
            value={serviceSlug}
            onChange={(e) => setServiceSlug(e.target.value)}
            aria-invalid={!!errors.service}
            aria-describedby={describedBy(id('service'), undefined, errors.service)}
          >
            <option value="">{services.isPending ? 'Loading…' : 'Choose…'}</option>
            {(services.data ?? []).map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-grid form-grid--2">
          <Field id={id('plan')} label="Plan" required error={errors.plan}>
            <select
              id={id('plan')}
              className="input"
              value={planSlug}
              onChange={(e) => setPlan(e.target.value)}
              disabled={plans.length === 0}
              aria-invalid={!!errors.plan}
              aria-describedby={describedBy(id('plan'), undefined, errors.plan)}
            >
              {plans.length === 0 && <option value="">Pick a service first</option>}
              {plans.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name} — {formatMoney(p.monthlyPrice, p.currency)}/month
                </option>
              ))}
            </select>
          </Field>
          <Field id={id('qty')} label="Quantity" required error={errors.quantity}>
            <QuantityStepper
              id={id('qty')}
              value={quantity}
              onChange={setQuantity}
              of="unit"
              invalid={!!errors.quantity}
              describedBy={describedBy(id('qty'), undefined, errors.quantity)}
            />
          </Field>
        </div>
        <FormProblem
          error={test.error}
          shownPaths={['requester', 'costCentre', 'service', 'plan', 'quantity']}
        />
        <button
          type="submit"
          className="btn btn--primary"
          disabled={test.isPending || !serviceSlug || !planSlug || !costCentre}
        >
          {test.isPending ? 'Working it out…' : 'Show who approves'}
        </button>
      </form>

      <section className="card tester__result" aria-labelledby={`${uid}-result`} aria-live="polite">
        <h2 className="card__title" id={`${uid}-result`}>
          The route
        </h2>
        {!r ? (
          <p className="muted">Pick a requester, cost centre and service, then “Show who approves”.</p>
        ) : (
          <div className="stack" data-testid="policy-test-result">
            <p>
              First-year cost <strong>{formatMoney(r.firstYearCost, r.currency)}</strong>
            </p>
            <ApprovalRouteView route={r.route} />
            <MatchedRules matched={r.route.matched} />
            {r.budget && <BudgetGauge impact={r.budget} />}
          </div>
        )}
      </section>
    </div>
  );
}
