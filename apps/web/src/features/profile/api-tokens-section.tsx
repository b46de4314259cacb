import { useId, useState, type FormEvent } from 'react';
import type { ApiToken } from '@portico/shared';
import type { CreatedApiToken } from '@portico/shared';
import { useCreateToken, useRevokeToken, useTokens } from './tokens.api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDate } from '../../components/format.ts';

export function ApiTokensSection() {
  const uid = useId();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [toRevoke, setToRevoke] = useState<ApiToken | null>(null);
  const [submitted, setSubmitted] = useState(false);

  const nameError =
    submitted && !name.trim()
      ? 'Give the token a name, e.g. “CI pipeline”.'
      : withLabel('Name', fieldErrorsOf(create.error).name);

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim()) return;
    create.mutate(name.trim(), {
      onSuccess: (t) => {
        setCreated(t);
        setName('');
        setSubmitted(false);
      },
    });
  }

  return (
    <section className="card" aria-labelledby={`${uid}-title`}>
      <h2 className="card__title" id={`${uid}-title`}>
        API tokens
      </h2>
      <p className="muted small">
        For scripts and automation: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as
        you, with your roles.
      </p>

      {created && (
        <div className="alert alert--warning token-reveal" role="status" data-testid="created-token">
          <p className="alert__title">Copy your new token “{created.name}” now</p>
          <p>You will not be able to see it again. Store it somewhere safe, like a password manager.</p>
          <div className="token-reveal__row">
            <code className="token-reveal__value" aria-label="New API token">
              {created.token}
            </code>
            <CopyButton text={created.token} label="Copy token" />
          </div>
          <button type="button" className="btn btn--ghost btn--sm" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      )}

      <form className="token-form" onSubmit={submit} noValidate>
        <Field id={`${uid}-name`} label="Token name" required error={nameError}>
          <input
            id={`${uid}-name`}
            className="input"
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. CI pipeline"
            aria-invalid={!!nameError}
            aria-describedby={describedBy(`${uid}-name`, undefined, nameError)}
          />
        </Field>
        <button type="submit" className="btn btn--primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <FormProblem error={create.error} shownPaths={['name']} />

      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Your API tokens">
          {tokens.data.map((t) => (
            <li key={t.id} className="plain-list__row" data-testid="token-row">
              <span>
                <strong>{t.name}</strong> <code className="muted">{t.prefix}…</code>
                <span className="muted small block">
                  created {formatDate(t.createdAt)} ·{' '}
                  {t.lastUsedAt ? `last used ${formatAgo(t.lastUsedAt)}` : 'never used'}
                </span>
              </span>
              <button
                type="button"
                className="btn btn--danger-outline btn--sm"
                onClick={() => setToRevoke(t)}
                aria-label={`Revoke ${t.name}`}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoke.isError && <FormProblem error={revoke.error} />}

      <ConfirmDialog
        open={toRevoke !== null}
        title={`Revoke “${toRevoke?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        busy={revoke.isPending}
        onCancel={() => setToRevoke(null)}
        onConfirm={() => {
          if (!toRevoke) return;
          revoke.mutate(toRevoke.id, { onSettled: () => setToRevoke(null) });
        }}
      >
        <p>Anything still using this token stops working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
