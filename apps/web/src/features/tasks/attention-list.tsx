import { useId, useState, type ReactNode } from 'react';
import type { AttentionItem } from '@portico/shared';
import { useAbandonLine, useRetryStep } from './tasks.api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Field, FormProblem, describedBy, fieldErrorsOf, withLabel } from '../../components/form-parts.tsx';
import { formatAgo, formatDateTime, plural } from '../../components/format.ts';
import { useNow } from '../../components/use-now.ts';

const how: Record<AttentionItem['step']['type'], string> = {
  manual: 'manual step',
  osb: 'service broker',
  webhook: 'automation',
};

/** Steps that failed for good, each with Retry and Abandon (which asks for a reason and says what it undoes). */
export function AttentionList({ items, empty }: { items: AttentionItem[]; empty: ReactNode }) {
  const [abandoning, setAbandoning] = useState<AttentionItem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <div aria-live="polite">
        {done && (
          <div className="alert alert--success alert--dismissible">
            <p>{done}</p>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => setDone(null)}
              aria-label="Dismiss message"
            >
              ✕
            </button>
          </div>
        )}
      </div>
      {items.length === 0 && empty}
      <ul className="attention-list" aria-label="Steps that need attention" hidden={items.length === 0}>
        {items.map((item) => (
          <AttentionCard
            key={item.step.id}
            item={item}
            onAbandon={() => setAbandoning(item)}
            onRetried={() => setDone(`Trying “${item.step.name}” for ${item.order.number} again.`)}
          />
        ))}
      </ul>
      {abandoning && (
        <AbandonDialog
          item={abandoning}
          onClose={(message) => {
            setAbandoning(null);
            if (message) setDone(message);
          }}
        />
      )}
    </>
  );
}

function AttentionCard({
  item,
  onAbandon,
  onRetried,
}: {
  item: AttentionItem;
  onAbandon: () => void;
  onRetried: () => void;
}) {
  const uid = useId();
  const now = useNow();
  const retry = useRetryStep();
  const { step, line, order } = item;
  return (
    <li className="attention-card card" aria-labelledby={`${uid}-title`} data-testid="attention-item">
      <p className="approval__eyebrow">
        {item.team.name} · {order.number} · {order.requester.name}
      </p>
      <h3 className="attention-card__title" id={`${uid}-title`}>
        {step.undoing ? `Undo ${step.name}` : step.name}
        <span className="muted attention-card__what">
          {' '}
          — {line.service.name} · {line.plan.name}
          {line.quantity > 1 ? ` × ${line.quantity}` : ''}
        </span>
      </h3>
      <p className="attention-card__error" role="note">
        <span className="visually-hidden">Error: </span>
        {step.error}
      </p>
      <p className="muted small">
        Step {step.position} ({how[step.type]}: {step.by})
        {step.attempts > 0 && <> · {plural(step.attempts, 'attempt')}</>}
        {step.failedAt && (
          <>
            {' '}
            · gave up <span title={formatDateTime(step.failedAt)}>{formatAgo(step.failedAt, now)}</span>
          </>
        )}
        {step.undoing && (
          <>
            {' '}
            · failed while {step.undoing === 'abandon' ? 'taking the line back' : 'ending the subscription'}
          </>
        )}
      </p>
      <div className="attention-card__actions">
        <button
          type="button"
          className="btn btn--primary btn--sm"
          disabled={retry.isPending}
          onClick={() => retry.mutate(step.id, { onSuccess: onRetried })}
        >
          {retry.isPending ? 'Retrying…' : step.undoing ? 'Retry the undo' : 'Retry'}
        </button>
        {item.abandonable && (
          <button type="button" className="btn btn--danger-outline btn--sm" onClick={onAbandon}>
            Abandon…
          </button>
        )}
      </div>
      <FormProblem error={retry.error} />
    </li>
  );
}

function AbandonDialog({ item, onClose }: { item: AttentionItem; onClose: (message?: string) => void }) {
  const uid = useId();
  const abandon = useAbandonLine();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const server = fieldErrorsOf(abandon.error);
  const error =
    tried && !reason.trim()
      ? 'Reason is required: say why it cannot be delivered.'
      : withLabel('Reason', server.reason);

  function confirm() {
    setTried(true);
    if (!reason.trim()) {
      document.getElementById(`${uid}-reason`)?.focus();
      return;
    }
    abandon.mutate(
      { lineId: item.line.id, body: { reason: reason.trim() } },
      {
        onSuccess: () =>
          onClose(
            `Abandoned ${item.line.service.name} for ${item.order.number}. ${
              item.undoes.length ? 'What was done is being undone; ' : ''
            }${item.order.requester.name} is told.`,
          ),
      },
    );
  }

  return (
    <ConfirmDialog
      open
      title={`Abandon ${item.line.service.name} for ${item.order.number}?`}
      confirmLabel="Abandon and undo"
      busy={abandon.isPending}
      onConfirm={confirm}
      onCancel={() => onClose()}
    >
      <div className="abandon-dialog">
        <p>
          The line will not be delivered: the steps still to do are dropped, and {item.order.requester.name}{' '}
          is told it could not be delivered.
        </p>
        {item.undoes.length > 0 ? (
          <>
            <p className="attention-card__undo-head">What was done is undone, last first:</p>
            <ul className="attention-card__undoes">
              {item.undoes.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">Nothing was done for it yet, so nothing needs undoing.</p>
        )}
        <Field
          id={`${uid}-reason`}
          label="Reason"
          required
          error={error}
          hint="The requester sees it on their order’s timeline."
        >
          <textarea
            id={`${uid}-reason`}
            className="input"
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={!!error}
            aria-required
            aria-describedby={describedBy(`${uid}-reason`, 'hint', error)}
          />
        </Field>
        <FormProblem error={abandon.error} shownPaths={['reason']} />
      </div>
    </ConfirmDialog>
  );
}
