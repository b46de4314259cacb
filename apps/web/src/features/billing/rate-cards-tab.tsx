import { useState } from 'react';
import { describePrice, type RateCard } from '@portico/shared';
import { useMeters, useRateCards } from './billing.api.ts';
import { RateCardEditor, type EditorStart } from './rate-card-editor.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { formatDate } from '../../components/format.ts';

interface Group {
  key: string;
  service: RateCard['service'];
  plan: RateCard['plan'];
  meter: string;
  /** Newest first. */
  versions: RateCard[];
}

function groupCards(cards: RateCard[]): Group[] {
  const groups = new Map<string, Group>();
  for (const card of cards) {
    const key = `${card.service.slug}/${card.plan.slug}/${card.meter}`;
    const g = groups.get(key) ?? {
      key,
      service: card.service,
      plan: card.plan,
      meter: card.meter,
      versions: [],
    };
    g.versions.push(card);
    groups.set(key, g);
  }
  for (const g of groups.values()) g.versions.sort((a, b) => b.version - a.version);
  return [...groups.values()].sort(
    (a, b) =>
      a.service.name.localeCompare(b.service.name) ||
      a.plan.name.localeCompare(b.plan.name) ||
      a.meter.localeCompare(b.meter),
  );
}

/** Rate cards by service, plan and meter with every version; a new version with a calculator. */
export function RateCardsTab() {
  const cards = useRateCards();
  const meters = useMeters();
  const [editing, setEditing] = useState<EditorStart | null>(null);
  const [saved, setSaved] = useState<RateCard | null>(null);
  const unitOf = (key: string) => meters.data?.find((x) => x.key === key)?.unit ?? 'unit';
  const meterName = (key: string) => {
    const m = meters.data?.find((x) => x.key === key);
    return m ? `${m.name} (${m.unit})` : key;
  };
  const open = (start: EditorStart) => {
    setSaved(null);
    setEditing(start);
    window.scrollTo({ top: 0 });
  };

  return (
    <div className="rate-cards">
      <div aria-live="polite">
        {saved && (
          <p className="alert alert--success">
            Saved version {saved.version} of {saved.service.name} · {saved.plan.name} ·{' '}
            {meterName(saved.meter)}, in force from {formatDate(saved.effectiveFrom)}.
          </p>
        )}
      </div>
      {editing ? (
        <RateCardEditor
          key={`${editing.service?.slug}/${editing.plan?.slug}/${editing.meter}`}
          start={editing}
          onCancel={() => setEditing(null)}
          onSaved={(card) => {
            setEditing(null);
            setSaved(card);
          }}
        />
      ) : (
        <p>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => open({ service: null, plan: null, meter: '', model: null })}
          >
            New rate card
          </button>
        </p>
      )}
      {cards.isPending ? (
        <LoadingState label="Loading rate cards…" />
      ) : cards.isError ? (
        <ErrorState error={cards.error} onRetry={() => void cards.refetch()} />
      ) : cards.data.length === 0 ? (
        <EmptyState icon="🏷️" title="No rate cards yet">
          Metered usage is priced with a rate card per plan and meter. Make the first one above.
        </EmptyState>
      ) : (
        <ul className="stack rate-cards__list" aria-label="Rate cards">
          {groupCards(cards.data).map((g) => (
            <li key={g.key} className="card rate-card" data-testid="rate-card">
              <header className="rate-card__head">
                <h2 className="rate-card__title">
                  {g.service.name} <span className="muted">· {g.plan.name}</span>
                  <span className="block small">{meterName(g.meter)}</span>
                </h2>
                <button
                  type="button"
                  className="btn btn--secondary btn--sm"
                  onClick={() =>
                    open({
                      service: g.service,
                      plan: g.plan,
                      meter: g.meter,
                      model: g.versions[0]!.model,
                    })
                  }
                  aria-label={`New version of ${g.service.name} · ${g.plan.name} · ${g.meter}`}
                >
                  New version
                </button>
              </header>
              <ol className="rate-card__versions">
                {g.versions.map((v, i) => (
                  <li
                    key={v.id}
                    className={
                      i === 0 ? 'rate-card__version rate-card__version--latest' : 'rate-card__version'
                    }
                  >
                    <span className="rate-card__v">v{v.version}</span>
                    <span className="small">from {formatDate(v.effectiveFrom)}</span>
                    <span className="small rate-card__model">
                      {v.currency} {describePrice(v.model, unitOf(v.meter))}
                    </span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
