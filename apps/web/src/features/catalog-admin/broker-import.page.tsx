import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type {
  BrokerCatalog,
  BrokerImportBody,
  BrokerImportReport,
  Category,
  SkippedItem,
} from '@portico/shared';
import { useFulfilmentAdapters, useManagedServices, useTeams } from './catalog-admin.api.ts';
import { useBrokerCatalog, useBrokerImport } from './broker-import.api.ts';
import { Diff } from './catalog-import.page.tsx';
import { RequireCatalogManager } from './require-catalog-manager.tsx';
import { useCategories } from '../catalog/catalog.api.ts';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { describedBy, Field, FormProblem } from '../../components/form-parts.tsx';
import { StatusBadge, type Tone } from '../../components/status-badge.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatMoney, plural } from '../../components/format.ts';

export function BrokerImportPage() {
  return (
    <RequireCatalogManager>
      <BrokerImport />
    </RequireCatalogManager>
  );
}

type BrokerService = BrokerCatalog['services'][number];

const actionTones: Record<BrokerImportReport['changes'][number]['action'], Tone> = {
  create: 'success',
  update: 'info',
  unchanged: 'neutral',
};

function BrokerImport() {
  const uid = useId();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const adapters = useFulfilmentAdapters();
  const brokers = (adapters.data ?? []).filter((a) => a.type === 'osb');
  const adapterKey = brokers.some((b) => b.key === params.get('adapter'))
    ? params.get('adapter')
    : brokers.length === 1
      ? brokers[0]!.key
      : null;
  const catalog = useBrokerCatalog(adapterKey);
  const categories = useCategories();
  const teams = useTeams();
  const managed = useManagedServices();
  const importer = useBrokerImport();

  /** The chosen broker services (by name) and the slug each draft gets. */
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [category, setCategory] = useState('');
  const [ownerTeam, setOwnerTeam] = useState('');
  // A check belongs to the choice it checked: any change asks for a new one.
  const [checked, setChecked] = useState<{ signature: string; report: BrokerImportReport } | null>(null);
  const [applied, setApplied] = useState<BrokerImportReport | null>(null);

  const services = catalog.data?.services ?? [];
  const body: BrokerImportBody = {
    category,
    ownerTeam,
    services: services.filter((s) => s.name in chosen).map((s) => ({ name: s.name, slug: chosen[s.name] })),
  };
  const signature = JSON.stringify([adapterKey, body]);
  const current = checked && checked.signature === signature ? checked.report : null;
  const report = applied ?? current;
  const errors = Object.fromEntries((current?.errors ?? []).map((e) => [e.path, e.message]));
  const canCheck = !!adapterKey && body.services.length > 0 && !!category && !!ownerTeam;
  const canImport =
    !!current && current.errors.length === 0 && current.changes.some((c) => c.action !== 'unchanged');

  function chooseAdapter(key: string) {
    setParams(key ? { adapter: key } : {}, { replace: true });
    setChosen({});
    setChecked(null);
    setApplied(null);
  }

  function run(dryRun: boolean) {
    if (!adapterKey) return;
    const sent = signature;
    setApplied(null);
    importer.mutate(
      { key: adapterKey, body: { ...body, dryRun } },
      {
        onSuccess: (result) => {
          if (dryRun || result.errors.length) setChecked({ signature: sent, report: result });
          else {
            setApplied(result);
            setChecked(null);
          }
        },
      },
    );
  }

  /** Where the slug a draft would get is already used, and what importing would do to it. */
  const slugUse = (slug: string) => managed.data?.find((m) => m.slug === slug);

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <Link to="/catalogue-admin">Catalogue admin</Link>
            <span aria-hidden="true">›</span>
            <span aria-current="page">Import from broker</span>
          </nav>
        }
        title="Import from broker"
        subtitle="Draft services from an Open Service Broker’s catalogue: its plans, prices and order form, delivered by the broker. Requesters see nothing until you publish."
      />

      <section className="card broker-import__section" aria-labelledby={`${uid}-broker`}>
        <h2 className="card__title" id={`${uid}-broker`}>
          1. Broker
        </h2>
        {adapters.isPending ? (
          <LoadingState label="Loading the brokers…" />
        ) : adapters.isError ? (
          <ErrorState error={adapters.error} onRetry={() => void adapters.refetch()} />
        ) : brokers.length === 0 ? (
          <EmptyState
            icon="🔌"
            title="No broker is configured"
            action={
              <Link to="/admin/adapters" className="btn btn--secondary">
                {hasRole(me, 'admin') ? 'Add a broker' : 'See the fulfilment adapters'}
              </Link>
            }
          >
            An admin adds an Open Service Broker under Fulfilment adapters; its services can then be imported
            here.
          </EmptyState>
        ) : (
          <Field id={`${uid}-adapter`} label="Open Service Broker" required>
            <select
              id={`${uid}-adapter`}
              className="input broker-import__adapter"
              value={adapterKey ?? ''}
              onChange={(e) => chooseAdapter(e.target.value)}
            >
              {brokers.length > 1 && <option value="">Choose a broker</option>}
              {brokers.map((b) => (
                <option key={b.key} value={b.key}>
                  {b.name} ({b.key})
                </option>
              ))}
            </select>
          </Field>
        )}
        {adapterKey &&
          (catalog.isPending ? (
            <div aria-live="polite">
              <LoadingState label="Asking the broker for its catalogue…" />
            </div>
          ) : catalog.isError ? (
            <ErrorState
              title="The broker’s catalogue could not be read"
              error={catalog.error}
              onRetry={() => void catalog.refetch()}
            />
          ) : (
            <p className="muted small" aria-live="polite">
              {catalog.data.adapter.url} offers {plural(services.length, 'service')}.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => void catalog.refetch()}
                disabled={catalog.isFetching}
              >
                {catalog.isFetching ? 'Reading again…' : 'Read again'}
              </button>
            </p>
          ))}
      </section>

      {catalog.data && services.length === 0 && (
        <EmptyState icon="📭" title="The broker offers no services">
          Its catalogue is empty; nothing to import.
        </EmptyState>
      )}

      {catalog.data && services.length > 0 && (
        <section className="card broker-import__section" aria-labelledby={`${uid}-services`}>
          <div className="card__head">
            <h2 className="card__title" id={`${uid}-services`}>
              2. Services to draft
            </h2>
            <span className="muted small">{Object.keys(chosen).length} chosen</span>
          </div>
          {errors.services && <p className="field__error">{errors.services}</p>}
          <ul className="broker-services" aria-label="The broker’s services">
            {services.map((s, i) => {
              const on = s.name in chosen;
              const at = body.services.findIndex((x) => x.name === s.name);
              return (
                <BrokerServiceItem
                  key={s.id}
                  service={s}
                  checkboxId={`${uid}-svc-${i}`}
                  on={on}
                  slug={chosen[s.name] ?? s.slug}
                  skipped={catalog.data.skipped.filter((k) => k.service === s.name)}
                  existing={slugUse(chosen[s.name] ?? s.slug)}
                  error={
                    at >= 0 ? (errors[`services.${at}.slug`] ?? errors[`services.${at}.name`]) : undefined
                  }
                  onToggle={() =>
                    setChosen((c) => {
                      const next = { ...c };
                      if (on) delete next[s.name];
                      else next[s.name] = s.slug;
                      return next;
                    })
                  }
                  onSlug={(slug) => setChosen((c) => ({ ...c, [s.name]: slug }))}
                />
              );
            })}
          </ul>
        </section>
      )}

      {catalog.data && services.length > 0 && (
        <section className="card broker-import__section" aria-labelledby={`${uid}-where`}>
          <h2 className="card__title" id={`${uid}-where`}>
            3. Where the drafts go
          </h2>
          <div className="form-grid form-grid--2">
            <Field
              id={`${uid}-category`}
              label="Category"
              required
              error={errors.category}
              hint="Every drafted service starts here; move one in the editor later."
            >
              <select
                id={`${uid}-category`}
                className="input"
                value={category}
                aria-invalid={!!errors.category}
                aria-describedby={describedBy(`${uid}-category`, 'hint', errors.category)}
                onChange={(e) => setCategory(e.target.value)}
              >
                <option value="">{categories.isPending ? 'Loading…' : 'Choose a category'}</option>
                {categoryOptions(categories.data ?? []).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={`${uid}-team`}
              label="Owner team"
              required
              error={errors.ownerTeam}
              hint="The service owners: they answer for the page and its tickets."
            >
              <select
                id={`${uid}-team`}
                className="input"
                value={ownerTeam}
                aria-invalid={!!errors.ownerTeam}
                aria-describedby={describedBy(`${uid}-team`, 'hint', errors.ownerTeam)}
                onChange={(e) => setOwnerTeam(e.target.value)}
              >
                <option value="">{teams.isPending ? 'Loading…' : 'Choose a team'}</option>
                {(teams.data ?? []).map((t) => (
                  <option key={t.key} value={t.key}>
                    {t.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="btn-row">
            <button
              type="button"
              className="btn btn--secondary"
              onClick={() => run(true)}
              disabled={!canCheck || importer.isPending}
            >
              {importer.isPending && importer.variables?.body.dryRun
                ? 'Checking…'
                : 'Preview changes (dry run)'}
            </button>
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => run(false)}
              disabled={!canImport || importer.isPending}
            >
              {importer.isPending && !importer.variables?.body.dryRun ? 'Importing…' : 'Import as drafts'}
            </button>
            <span className="muted small" aria-live="polite">
              {applied
                ? null
                : !canCheck
                  ? 'Choose at least one service, a category and an owner team.'
                  : current?.errors.length
                    ? 'Fix the problems, then preview again.'
                    : current && !canImport
                      ? 'Nothing would change.'
                      : !current && !importer.isPending
                        ? 'Preview first; Import applies exactly what was previewed.'
                        : null}
            </span>
          </div>
          <FormProblem error={importer.error} />
        </section>
      )}

      <div aria-live="polite">
        {applied && (
          <div className="alert alert--success" data-testid="broker-import-applied">
            <p className="alert__title">Imported as drafts</p>
            <p>
              Open each draft to check its page, then publish it when it is ready. Requesters see nothing
              until then.
            </p>
            <ul className="broker-import__links">
              {applied.services.map((s) => (
                <li key={s.slug}>
                  <Link to={`/catalogue-admin/services/${s.slug}`}>{s.name}</Link>{' '}
                  <code className="muted small">{s.slug}</code>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {report && <ReportView report={report} />}
      {checked && !current && !applied && (
        <p className="alert alert--info">Your choice changed since the last preview — preview it again.</p>
      )}
    </div>
  );
}

function BrokerServiceItem({
  service: s,
  checkboxId,
  on,
  slug,
  skipped,
  existing,
  error,
  onToggle,
  onSlug,
}: {
  service: BrokerService;
  checkboxId: string;
  on: boolean;
  slug: string;
  skipped: SkippedItem[];
  existing: { name: string; status: string } | undefined;
  error: string | undefined;
  onToggle: () => void;
  onSlug: (slug: string) => void;
}) {
  const slugId = `${checkboxId}-slug`;
  const taken = existing && existing.status !== 'draft';
  const slugHint = !existing
    ? 'A new draft.'
    : taken
      ? `Taken by the ${existing.status} service “${existing.name}”: an import only writes drafts, so choose another slug.`
      : `Updates the draft “${existing.name}”; the preview shows what changes.`;
  return (
    <li className={`broker-service${on ? ' broker-service--on' : ''}`}>
      <label className="checkbox broker-service__pick" htmlFor={checkboxId}>
        <input id={checkboxId} type="checkbox" checked={on} onChange={onToggle} />
        <span>
          {s.displayName} <code className="muted small">{s.name}</code>
        </span>
      </label>
      {s.description && <p className="muted small broker-service__desc">{s.description}</p>}
      <div className="broker-service__body">
        <table className="broker-plans">
          <caption className="visually-hidden">Plans of {s.displayName}</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Per month</th>
              <th scope="col">What it gives</th>
            </tr>
          </thead>
          <tbody>
            {s.plans.map((p) => (
              <tr key={p.name}>
                <th scope="row">{p.displayName}</th>
                <td className="broker-plans__price">{formatMoney(p.monthlyPrice, p.currency)}</td>
                <td className="small">{p.features.join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <p className="broker-service__label">Order form</p>
          <FormFields options={s.options} />
        </div>
      </div>
      {skipped.length > 0 && (
        <div className="alert alert--warning broker-service__skipped">
          <p className="alert__title">
            Left out of the draft ({skipped.length}) — the broker still checks these
          </p>
          <ul className="alert__list">
            {skipped.map((k, i) => (
              <li key={i}>
                {k.plan && <span className="muted">{k.plan}: </span>}
                {k.field && <code>{k.field}</code>} {k.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {on && (
        <Field id={slugId} label="Slug of the draft" required hint={slugHint} error={error}>
          <input
            id={slugId}
            className="input input--mono broker-service__slug"
            value={slug}
            aria-invalid={!!error || !!taken}
            aria-describedby={describedBy(slugId, slugHint, error)}
            onChange={(e) => onSlug(e.target.value.trim())}
          />
        </Field>
      )}
    </li>
  );
}

type JsonField = Record<string, unknown>;

/** The order form a draft would get, one line a field: what it asks and what it accepts. */
function FormFields({ options }: { options: Record<string, unknown> | null }) {
  const properties = (options?.properties ?? {}) as Record<string, JsonField>;
  const required = (options?.required ?? []) as string[];
  const keys = Object.keys(properties);
  if (keys.length === 0)
    return <p className="muted small">Asks nothing: the plan is all there is to choose.</p>;
  return (
    <ul className="broker-fields">
      {keys.map((key) => (
        <li key={key}>
          <span className="broker-fields__title">{String(properties[key]!.title ?? key)}</span>
          {required.includes(key) && <span className="broker-fields__required"> required</span>}
          <span className="muted small"> — {describeField(properties[key]!)}</span>
        </li>
      ))}
    </ul>
  );
}

function describeField(f: JsonField): string {
  const parts: string[] = [];
  const range = (min: unknown, max: unknown, unit = '') =>
    min !== undefined && max !== undefined
      ? `${String(min)}–${String(max)}${unit}`
      : min !== undefined
        ? `at least ${String(min)}${unit}`
        : max !== undefined
          ? `at most ${String(max)}${unit}`
          : null;
  switch (f.type) {
    case 'string':
      if (Array.isArray(f.enum)) parts.push(`one of ${f.enum.join(', ')}`);
      else parts.push(f.format === 'date' ? 'a date' : 'text');
      if (f.pattern) parts.push(`matching ${String(f.pattern)}`);
      {
        const length = range(f.minLength, f.maxLength, ' characters');
        if (length) parts.push(length);
      }
      break;
    case 'integer':
    case 'number': {
      parts.push(f.type === 'integer' ? 'a whole number' : 'a number');
      const bounds = range(f.minimum, f.maximum);
      if (bounds) parts.push(bounds);
      if (f.multipleOf !== undefined) parts.push(`in steps of ${String(f.multipleOf)}`);
      break;
    }
    case 'boolean':
      parts.push('yes or no');
      break;
    case 'array': {
      const items = (f.items ?? {}) as JsonField;
      parts.push(`any of ${Array.isArray(items.enum) ? items.enum.join(', ') : 'a list'}`);
      break;
    }
    default:
      parts.push(String(f.type));
  }
  if (f.default !== undefined)
    parts.push(`default ${Array.isArray(f.default) ? f.default.join(', ') || 'none' : String(f.default)}`);
  return parts.join(', ');
}

/** Categories for a select, children indented under their parents. */
function categoryOptions(categories: Category[]): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const c of categories.filter((x) => x.parent === parent)) {
      out.push({ value: c.slug, label: `${'\u2003'.repeat(depth)}${depth ? '– ' : ''}${c.name}` });
      walk(c.slug, depth + 1);
    }
  };
  walk(null, 0);
  for (const c of categories)
    if (!out.some((o) => o.value === c.slug)) out.push({ value: c.slug, label: c.name });
  return out;
}

/** Problems the form shows next to their field; the rest are listed with the report. */
const fieldPath = /^(category|ownerTeam|services(\.\d+\.(slug|name))?)$/;

function ReportView({ report }: { report: BrokerImportReport }) {
  const changed = report.changes.filter((c) => c.action !== 'unchanged');
  const unchanged = report.changes.filter((c) => c.action === 'unchanged');
  const rest = report.errors.filter((e) => !fieldPath.test(e.path));
  const nameOf = (path: string) => {
    const m = /^services\.(\d+)\.?(.*)$/.exec(path);
    const service = m ? report.services[Number(m[1])] : undefined;
    return service ? `${service.name}${m![2] ? ` › ${m![2]}` : ''}` : path;
  };
  return (
    <section
      className="card import-report"
      aria-labelledby="broker-report-title"
      data-testid="broker-import-report"
    >
      <div className="card__head">
        <h2 className="card__title" id="broker-report-title">
          {report.dryRun ? 'Preview' : 'Import result'}
        </h2>
        {report.errors.length ? (
          <StatusBadge tone="danger">{plural(report.errors.length, 'problem')}</StatusBadge>
        ) : (
          <StatusBadge tone="success">{report.dryRun ? 'Ready to import' : 'Applied'}</StatusBadge>
        )}
      </div>
      {report.errors.length > 0 && (
        <div className="import-errors">
          <p className="alert__title">
            Nothing was changed.{' '}
            {rest.length < report.errors.length ? 'The problems are shown at their fields above' : ''}
            {rest.length > 0 && rest.length < report.errors.length
              ? '; also:'
              : rest.length
                ? 'Fix these:'
                : '.'}
          </p>
          {rest.length > 0 && (
            <ul className="import-errors__list">
              {rest.map((e, i) => (
                <li key={i} className="import-errors__item">
                  <code className="import-errors__path">{nameOf(e.path)}</code>
                  <span>{e.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {report.changes.length > 0 && (
        <p className="muted small">
          {[
            `${plural(report.changes.filter((c) => c.action === 'create').length, 'draft')} ${report.dryRun ? 'to create' : 'created'}`,
            `${report.changes.filter((c) => c.action === 'update').length} ${report.dryRun ? 'to update' : 'updated'}`,
            `${unchanged.length} unchanged`,
          ].join(', ')}
          .
        </p>
      )}
      {changed.map((c) => (
        <details key={c.slug} className="change" open={changed.length <= 4}>
          <summary className="change__summary">
            <StatusBadge tone={actionTones[c.action]}>{c.action}</StatusBadge>
            <code>{c.slug}</code>
          </summary>
          {c.diff ? <Diff text={c.diff} /> : <p className="muted small change__none">A new draft.</p>}
        </details>
      ))}
      {unchanged.length > 0 && (
        <p className="muted small import-report__unchanged">
          Unchanged: {unchanged.map((c) => c.slug).join(', ')}
        </p>
      )}
      {report.skipped.length > 0 && (
        <p className="muted small">
          {plural(report.skipped.length, 'thing')} of the broker’s catalogue the drafts leave out (see each
          service above).
        </p>
      )}
    </section>
  );
}
