import { renderMarkdown } from '@portico/shared/markdown';
import type { Draft } from './service-draft.ts';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { formatMoney, plural } from '../../components/format.ts';

const isAmount = (s: string) => /^\d+(\.\d+)?$/.test(s);

/** The top of the service page as a requester will see it, rendered from the draft as it is typed. */
export function ServicePreview({ draft, categoryName }: { draft: Draft; categoryName?: string }) {
  // The same renderer the server uses for descriptionHtml (raw HTML is escaped).
  const html = renderMarkdown(draft.description);
  const tags = draft.tags.map((t) => t.trim()).filter(Boolean);
  return (
    <div className="service-preview" aria-label="Preview of the service page">
      <p className="breadcrumbs">
        Catalogue <span aria-hidden="true">›</span> {categoryName || 'Category'}
      </p>
      <div className="service-preview__head">
        <ServiceIcon icon={draft.icon || '📦'} name={draft.name || '?'} kind={draft.kind} size="lg" />
        <div>
          <p className="service-preview__name">{draft.name || 'Service name'}</p>
          <p className="muted">{draft.tagline || 'A one-line tagline says what it is for.'}</p>
        </div>
      </div>
      <div className="badge-row service-preview__badges">
        <KindBadge kind={draft.kind} />
        {draft.featured && <span className="badge badge--soft">★ Featured</span>}
      </div>
      {tags.length > 0 && (
        <ul className="tag-list" aria-label="Tags">
          {tags.map((t) => (
            <li key={t} className="tag">
              {t}
            </li>
          ))}
        </ul>
      )}
      {draft.description.trim() ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="muted">The description appears here as you write it.</p>
      )}
      {draft.plans.length > 0 && (
        <ul className="service-preview__plans" aria-label="Plans">
          {draft.plans.map((p, i) => (
            <li key={i} className="service-preview__plan">
              <strong>{p.name || `Plan ${i + 1}`}</strong>
              <span>
                {isAmount(p.monthlyPrice) ? `${formatMoney(p.monthlyPrice, p.currency || 'EUR')}/month` : '—'}
              </span>
              <span className="muted small">
                {Number.isFinite(p.leadTimeDays) ? `${plural(p.leadTimeDays, 'business day')}` : ''}
                {p.sla.availability ? ` · ${p.sla.availability}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
