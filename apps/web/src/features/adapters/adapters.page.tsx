import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { AdapterBody, FulfilmentAdapter } from '@portico/shared';
import { useSaveAdapter, useTestConnection } from './adapters.api.ts';
import { useFulfilmentAdapters, useTeams } from '../catalog-admin/catalog-admin.api.ts';
import { RequireRole } from '../session/require-role.tsx';
import { hasRole } from '../session/session.api.ts';
import { useCurrentUser } from '../session/current-user.ts';
import { PageHeader } from '../../components/page-header.tsx';
import {
  describedBy,
  Field,
  FieldGroup,
  fieldErrorsOf,
  FormProblem,
  withLabel,
} from '../../components/form-parts.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { EmptyState, ErrorState, LoadingState, errorMessage } from '../../components/states.tsx';
import { formatDateTime, plural } from '../../components/format.ts';

export function AdaptersPage() {
  return (
    <RequireRole
      roles={['admin', 'catalog_manager']}
      title="Fulfilment adapters"
      who="For administrators"
      page={<Adapters />}
    >
      Adapters connect Portico to the systems that deliver services. Ask an administrator to add one.
    </RequireRole>
  );
}

const typeLabels: Record<FulfilmentAdapter['type'], string> = {
  osb: 'Open Service Broker',
  webhook: 'Webhook',
};

/** What the editor edits: the adapter's key (new ones only) and its settings as typed. */
interface Editing {
  key: string | null;
  initial: FulfilmentAdapter | null;
}

function Adapters() {
  const me = useCurrentUser();
  const admin = hasRole(me, 'admin');
  const adapters = useFulfilmentAdapters();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const open = (initial: FulfilmentAdapter | null) => {
    setSaved(null);
    setEditing({ key: initial?.key ?? null, initial });
  };

  return (
    <div>
      <PageHeader
        title="Fulfilment adapters"
        subtitle="The brokers and webhook endpoints that automated fulfilment steps call, with the state of their circuit."
        actions={
          admin && !editing ? (
            <button type="button" className="btn btn--primary" onClick={() => open(null)}>
              New adapter
            </button>
          ) : undefined
        }
      />
      {!admin && (
        <p className="alert alert--info">
          You can see the adapters and test a broker; only administrators add or change them.
        </p>
      )}
      <div aria-live="polite">
        {saved && (
          <div className="alert alert--success alert--dismissible">
            <p>{saved}</p>
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => setSaved(null)}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      {editing && (
        <AdapterEditor
          key={editing.key ?? 'new'}
          initial={editing.initial}
          taken={(adapters.data ?? []).map((a) => a.key)}
          onDone={(adapter) => {
            setEditing(null);
            if (adapter)
              setSaved(
                `Saved ${adapter.name} (${adapter.key}).${adapter.type === 'osb' ? ' Test its connection below.' : ''}`,
              );
          }}
        />
      )}
      {adapters.isPending ? (
        <LoadingState label="Loading the adapters…" />
      ) : adapters.isError ? (
        <ErrorState error={adapters.error} onRetry={() => void adapters.refetch()} />
      ) : adapters.data.length === 0 ? (
        editing ? null : (
          <EmptyState
            icon="🔌"
            title="No adapters yet"
            action={
              admin ? (
                <button type="button" className="btn btn--primary" onClick={() => open(null)}>
                  Add the first adapter
                </button>
              ) : undefined
            }
          >
            Every fulfilment step is manual until a broker or webhook endpoint is added here.
          </EmptyState>
        )
      ) : (
        <ul className="adapter-list" aria-label="Fulfilment adapters">
          {[...adapters.data]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((a) => (
              <AdapterRow
                key={a.key}
                adapter={a}
                canEdit={admin}
                canImport={hasRole(me, 'catalog_manager')}
                onEdit={() => open(a)}
              />
            ))}
        </ul>
      )}
    </div>
  );
}

function Circuit({ adapter }: { adapter: FulfilmentAdapter }) {
  const openUntil = adapter.openUntil && new Date(adapter.openUntil) > new Date() ? adapter.openUntil : null;
  if (openUntil)
    return <StatusBadge tone="danger">Circuit open until {formatDateTime(openUntil)}</StatusBadge>;
  if (adapter.failures > 0)
    return <StatusBadge tone="warning">{plural(adapter.failures, 'failure')} in a row</StatusBadge>;
  return <StatusBadge tone="success">Working</StatusBadge>;
}

function AdapterRow({
  adapter: a,
  canEdit,
  canImport,
  onEdit,
}: {
  adapter: FulfilmentAdapter;
  canEdit: boolean;
  canImport: boolean;
  onEdit: () => void;
}) {
  const test = useTestConnection();
  return (
    <li className="adapter-card" data-testid="adapter-row">
      <div className="adapter-card__head">
        <div className="adapter-card__title">
          <h2 className="adapter-card__name">{a.name}</h2>
          <code className="muted small">{a.key}</code>
        </div>
        <Circuit adapter={a} />
      </div>
      <dl className="facts facts--compact adapter-card__facts">
        <div>
          <dt>Type</dt>
          <dd>{typeLabels[a.type]}</dd>
        </div>
        <div className="adapter-card__url-fact">
          <dt>URL</dt>
          <dd className="mono adapter-card__url">{a.url}</dd>
        </div>
        {a.username && (
          <div>
            <dt>Broker user</dt>
            <dd className="mono">{a.username}</dd>
          </div>
        )}
        <div>
          <dt>Team</dt>
          <dd>{a.team.name}</dd>
        </div>
        <div>
          <dt>Timeout</dt>
          <dd>{a.timeoutMs >= 1000 ? `${a.timeoutMs / 1000} s` : `${a.timeoutMs} ms`} a call</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>up to {a.maxAttempts} a step, then the team is asked</dd>
        </div>
        <div>
          <dt>Circuit</dt>
          <dd>
            {a.failures === 0 ? 'No failures in a row' : `${plural(a.failures, 'failure')} in a row`}
            {a.openUntil &&
              (new Date(a.openUntil) > new Date()
                ? ` · calls held back until ${formatDateTime(a.openUntil)}`
                : ` · was open until ${formatDateTime(a.openUntil)}`)}
          </dd>
        </div>
      </dl>
      <div className="btn-row adapter-card__actions">
        {a.type === 'osb' ? (
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            onClick={() => test.mutate(a.key)}
            disabled={test.isPending}
          >
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
        ) : (
          <span className="muted small">
            No connection test for webhooks: any call would be a real, signed delivery.
          </span>
        )}
        {a.type === 'osb' && canImport && (
          <Link
            to={`/catalogue-admin/import/broker?adapter=${encodeURIComponent(a.key)}`}
            className="btn btn--ghost btn--sm"
          >
            Import its services
          </Link>
        )}
        {canEdit && (
          <button type="button" className="btn btn--ghost btn--sm" onClick={onEdit}>
            Edit<span className="visually-hidden"> {a.name}</span>
          </button>
        )}
      </div>
      <div aria-live="polite">
        {test.isSuccess && (
          <p className="alert alert--success adapter-card__result">
            Connected: the broker answered with {plural(test.data.services.length, 'service')} (
            {plural(
              test.data.services.reduce((n, s) => n + s.plans.length, 0),
              'plan',
            )}
            ).
          </p>
        )}
        {test.isError && (
          <div className="alert alert--error adapter-card__result" role="alert">
            <p className="alert__title">The broker could not be read</p>
            <p>{errorMessage(test.error)}</p>
          </div>
        )}
      </div>
    </li>
  );
}

function AdapterEditor({
  initial,
  taken,
  onDone,
}: {
  initial: FulfilmentAdapter | null;
  taken: string[];
  onDone: (saved: FulfilmentAdapter | null) => void;
}) {
  const uid = useId();
  const teams = useTeams();
  const save = useSaveAdapter();
  const isNew = initial === null;
  const [key, setKey] = useState(initial?.key ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [type, setType] = useState<FulfilmentAdapter['type']>(initial?.type ?? 'osb');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [username, setUsername] = useState(initial?.username ?? '');
  const [secret, setSecret] = useState('');
  const [team, setTeam] = useState(initial?.team.key ?? '');
  const [timeoutSeconds, setTimeoutSeconds] = useState(String((initial?.timeoutMs ?? 10_000) / 1000));
  const [maxAttempts, setMaxAttempts] = useState(String(initial?.maxAttempts ?? 6));
  const [local, setLocal] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  // The editor opens above the list: bring it into view, with the caret in its first field.
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'start' });
    form.current?.querySelector<HTMLInputElement>('input:not([readonly])')?.focus({ preventScroll: true });
  }, []);

  const server = fieldErrorsOf(save.error);
  const errors: Record<string, string | undefined> = { ...server, ...local };
  const shown = ['key', 'name', 'type', 'url', 'username', 'secret', 'team', 'timeoutMs', 'maxAttempts'];

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (isNew && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(key))
      problems.key = 'must be lower-case words joined by hyphens, like "private-cloud"';
    else if (isNew && taken.includes(key)) problems.key = `${key} is taken: edit that adapter instead`;
    const seconds = Number(timeoutSeconds);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 120)
      problems.timeoutMs = 'must be 0.1 to 120 seconds';
    const attempts = Number(maxAttempts);
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20)
      problems.maxAttempts = 'must be a whole number from 1 to 20';
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const body: AdapterBody = {
      name: name.trim(),
      type,
      url: url.trim(),
      ...(type === 'osb' ? { username: username.trim() || undefined } : {}),
      ...(secret ? { secret } : {}),
      team,
      timeoutMs: Math.round(seconds * 1000),
      maxAttempts: attempts,
    };
    save.mutate({ key, body }, { onSuccess: (adapter) => onDone(adapter) });
  }

  const secretLabel = type === 'osb' ? 'Broker password' : 'Signing secret';
  const secretHint = isNew
    ? type === 'osb'
      ? 'Sent as HTTP basic auth with the user above. Stored encrypted; never shown again.'
      : 'The Standard Webhooks secret (whsec_…) the endpoint verifies. Stored encrypted; never shown again.'
    : 'Stored encrypted and never shown. Leave blank to keep the current one.';

  return (
    <form
      ref={form}
      className="card adapter-editor"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${uid}-title`}
    >
      <h2 className="card__title" id={`${uid}-title`}>
        {isNew ? 'New adapter' : `Edit ${initial.name}`}
      </h2>
      <div className="form-grid form-grid--2">
        <Field
          id={`${uid}-key`}
          label="Key"
          required
          hint={
            isNew
              ? 'How plan steps name it; it cannot change later.'
              : 'Plan steps name the adapter by its key.'
          }
          error={withLabel('Key', errors.key)}
        >
          <input
            id={`${uid}-key`}
            className="input input--mono"
            value={key}
            readOnly={!isNew}
            required
            aria-invalid={!!errors.key}
            aria-describedby={describedBy(`${uid}-key`, 'hint', errors.key)}
            onChange={(e) => setKey(e.target.value.trim())}
          />
        </Field>
        <Field id={`${uid}-name`} label="Name" required error={withLabel('Name', errors.name)}>
          <input
            id={`${uid}-name`}
            className="input"
            value={name}
            required
            aria-invalid={!!errors.name}
            aria-describedby={describedBy(`${uid}-name`, undefined, errors.name)}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
      </div>
      <FieldGroup
        id={`${uid}-type`}
        legend="Type"
        required
        hint={isNew ? undefined : 'The type cannot change: plan steps are written for it.'}
        error={withLabel('Type', errors.type)}
      >
        <div className="choice-list">
          {(['osb', 'webhook'] as const).map((t) => (
            <label key={t} className={`choice${type === t ? ' choice--on' : ''}`}>
              <input
                type="radio"
                name={`${uid}-type`}
                value={t}
                checked={type === t}
                disabled={!isNew}
                onChange={() => setType(t)}
              />
              <span className="choice__label">{typeLabels[t]}</span>
            </label>
          ))}
        </div>
      </FieldGroup>
      <Field
        id={`${uid}-url`}
        label={type === 'osb' ? 'Broker URL' : 'Endpoint URL'}
        required
        hint={type === 'osb' ? 'The base URL; Portico adds /v2/…' : 'Each step is POSTed here, signed.'}
        error={withLabel('URL', errors.url)}
      >
        <input
          id={`${uid}-url`}
          className="input input--mono"
          type="url"
          inputMode="url"
          value={url}
          required
          aria-invalid={!!errors.url}
          aria-describedby={describedBy(`${uid}-url`, 'hint', errors.url)}
          onChange={(e) => setUrl(e.target.value)}
        />
      </Field>
      <div className="form-grid form-grid--2">
        {type === 'osb' && (
          <Field
            id={`${uid}-user`}
            label="Broker user"
            required
            error={withLabel('Broker user', errors.username)}
          >
            <input
              id={`${uid}-user`}
              className="input input--mono"
              value={username}
              autoComplete="off"
              required
              aria-invalid={!!errors.username}
              aria-describedby={describedBy(`${uid}-user`, undefined, errors.username)}
              onChange={(e) => setUsername(e.target.value)}
            />
          </Field>
        )}
        <Field
          id={`${uid}-secret`}
          label={secretLabel}
          required={isNew}
          hint={secretHint}
          error={withLabel(secretLabel, errors.secret)}
        >
          <input
            id={`${uid}-secret`}
            className="input input--mono"
            type="password"
            autoComplete="new-password"
            value={secret}
            placeholder={isNew ? undefined : '•••••••• (unchanged)'}
            aria-invalid={!!errors.secret}
            aria-describedby={describedBy(`${uid}-secret`, 'hint', errors.secret)}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
      </div>
      <div className="form-grid form-grid--3">
        <Field
          id={`${uid}-team`}
          label="Team"
          required
          hint="Told when steps need attention or the circuit opens."
          error={withLabel('Team', errors.team)}
        >
          <select
            id={`${uid}-team`}
            className="input"
            value={team}
            required
            aria-invalid={!!errors.team}
            aria-describedby={describedBy(`${uid}-team`, 'hint', errors.team)}
            onChange={(e) => setTeam(e.target.value)}
          >
            <option value="">{teams.isPending ? 'Loading…' : 'Choose a team'}</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${uid}-timeout`}
          label="Timeout (seconds)"
          required
          hint="Per call."
          error={withLabel('Timeout', errors.timeoutMs)}
        >
          <input
            id={`${uid}-timeout`}
            className="input"
            type="number"
            inputMode="decimal"
            min={0.1}
            max={120}
            step="any"
            value={timeoutSeconds}
            aria-invalid={!!errors.timeoutMs}
            aria-describedby={describedBy(`${uid}-timeout`, 'hint', errors.timeoutMs)}
            onChange={(e) => setTimeoutSeconds(e.target.value)}
          />
        </Field>
        <Field
          id={`${uid}-attempts`}
          label="Max attempts"
          required
          hint="Per step, before the team is asked."
          error={withLabel('Max attempts', errors.maxAttempts)}
        >
          <input
            id={`${uid}-attempts`}
            className="input"
            type="number"
            inputMode="numeric"
            min={1}
            max={20}
            step={1}
            value={maxAttempts}
            aria-invalid={!!errors.maxAttempts}
            aria-describedby={describedBy(`${uid}-attempts`, 'hint', errors.maxAttempts)}
            onChange={(e) => setMaxAttempts(e.target.value)}
          />
        </Field>
      </div>
      <FormProblem error={save.error} shownPaths={shown} />
      <div className="btn-row">
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : isNew ? 'Add adapter' : 'Save changes'}
        </button>
        <button
          type="button"
          className="btn btn--ghost"
          onClick={() => onDone(null)}
          disabled={save.isPending}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
