import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { ChangePlaced, SubscriptionDetail, Ticket } from '@portico/shared';
import { useSubscription } from './subscriptions.api.ts';
import {
  LeaseBadge,
  PendingChangeNote,
  SubscriptionStatusBadge,
  UpgradeBadge,
} from './subscription-status.tsx';
import { formatCost, pendingText } from './subscription-helpers.ts';
import { ConnectionDetails } from './connection-details.tsx';
import { SubscriptionHistory } from './subscription-history.tsx';
import { ResizePanel, UpgradePanel } from './change-panels.tsx';
import { TransferPanel } from './transfer-panel.tsx';
import { DecommissionDialog, LeaseCard } from './lifecycle-actions.tsx';
import { RaiseTicketForm } from '../tickets/raise-ticket-form.tsx';
import { useCurrentUser } from '../session/current-user.ts';
import { useTickets } from '../tickets/tickets.api.ts';
import { TicketStatusBadge } from '../tickets/ticket-status.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { SlaFacts } from '../../components/sla-facts.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { formatAgo, formatDate, formatDateTime, formatMoney } from '../../components/format.ts';
import { useNow } from '../../components/use-now.ts';

type Panel = 'resize' | 'upgrade' | 'transfer' | 'ticket' | null;

type Notice =
  | { kind: 'placed'; placed: ChangePlaced; what: string; extend: boolean }
  | { kind: 'ticket'; ticket: Ticket }
  | { kind: 'text'; title: string; text: string };

interface ActionItem {
  key: string;
  label: string;
  /** Why it cannot be done now; the button is shown disabled with this reason beside it. */
  blocked?: string;
  tone?: 'danger';
  onClick: () => void;
}

function actionItems(
  s: SubscriptionDetail,
  open: (p: Panel) => void,
  decommission: () => void,
): ActionItem[] {
  if (s.status === 'ended') return [];
  const busy = s.pending
    ? `not until ${s.pending.orderNumber} is through (${pendingText(s.pending)}).`
    : undefined;
  const ending = s.status === 'ending' ? 'It is being decommissioned.' : undefined;
  const notOwner = 'Only its owner can do this.';
  const items: ActionItem[] = [];
  const otherPlans = s.plans.some((p) => !p.current && p.slug !== s.plan.slug);
  if (s.upgrade) {
    items.push({
      key: 'upgrade',
      label: `Upgrade to v${s.upgrade.version}`,
      blocked: s.actions.change ? undefined : (ending ?? busy ?? notOwner),
      onClick: () => open('upgrade'),
    });
  }
  if (otherPlans) {
    items.push({
      key: 'resize',
      label: 'Change plan',
      blocked: s.actions.change ? undefined : (ending ?? busy ?? notOwner),
      onClick: () => open('resize'),
    });
  }
  items.push({
    key: 'transfer',
    label: 'Transfer',
    blocked: s.actions.transfer ? undefined : (ending ?? notOwner),
    onClick: () => open('transfer'),
  });
  items.push({
    key: 'ticket',
    label: 'Raise a ticket',
    blocked: s.actions.ticket ? undefined : (ending ?? 'Only its owner can raise tickets for it.'),
    onClick: () => open('ticket'),
  });
  if (s.status === 'active') {
    items.push({
      key: 'decommission',
      label: 'Decommission…',
      tone: 'danger',
      blocked: s.actions.decommission
        ? undefined
        : (busy ?? 'Only its owner or cost-centre owner can do this.'),
      onClick: decommission,
    });
  }
  return items;
}

/** The first action blocked for the same reason: the id of that reason's line. */
function blockedKey(actions: ActionItem[], a: ActionItem): string {
  return actions.find((b) => b.blocked === a.blocked)!.key;
}

/** "Upgrade to v3, Change plan: wait for …" — one line per reason, not per button. */
function blockedReasons(actions: ActionItem[]) {
  const byReason = new Map<string, ActionItem[]>();
  for (const a of actions) if (a.blocked) byReason.set(a.blocked, [...(byReason.get(a.blocked) ?? []), a]);
  return [...byReason].map(([reason, items]) => ({
    reason,
    key: items[0]!.key,
    labels: items.map((i) => i.label.replace(/…$/, '')).join(', '),
  }));
}

export function SubscriptionPage() {
  const { id = '' } = useParams();
  const sub = useSubscription(id);
  const me = useCurrentUser();
  const tickets = useTickets('mine');
  const now = useNow();
  const [panel, setPanel] = useState<Panel>(null);
  const [decommissioning, setDecommissioning] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [handedOver, setHandedOver] = useState<string | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  // An opened panel takes the focus (its heading), so keyboard and screen-reader users land in it.
  useEffect(() => {
    if (!panel) return;
    const target = panelRef.current?.querySelector<HTMLElement>('[data-autofocus]');
    target?.focus();
    panelRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [panel]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (handedOver && sub.isError) {
    return (
      <div className="state state--empty" role="status">
        <span className="state__icon" aria-hidden="true">
          🤝
        </span>
        <h2 className="state__title">Transferred</h2>
        <p className="state__text">{handedOver}</p>
        <Link to="/services" className="btn btn--primary">
          Back to My services
        </Link>
      </div>
    );
  }
  if (sub.isPending) return <LoadingState label="Loading service…" />;
  if (sub.isError) return <ErrorState error={sub.error} onRetry={() => void sub.refetch()} />;

  const s = sub.data;
  const owned = s.owner.id === me.id;
  const mine = (tickets.data ?? [])
    .filter((t) => t.subscription.id === s.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const open = (p: Panel) => {
    setNotice(null);
    setPanel(p);
  };
  const closePanel = () => {
    setPanel(null);
    window.setTimeout(
      () => actionsRef.current?.querySelector<HTMLElement>('button:not(:disabled)')?.focus(),
      0,
    );
  };
  const placed = (p: ChangePlaced, what: string, extend = false) => {
    setPanel(null);
    setNotice({ kind: 'placed', placed: p, what, extend });
  };
  const actions = actionItems(s, open, () => {
    setNotice(null);
    setDecommissioning(true);
  });

  return (
    <div>
      <PageHeader
        breadcrumbs={
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            {owned ? (
              <Link to="/services">My services</Link>
            ) : (
              <Link to="/services?scope=team">Team services</Link>
            )}
            <span aria-hidden="true">›</span>
            <span aria-current="page">{s.name}</span>
          </nav>
        }
        title={
          <span className="title-with-icon">
            <ServiceIcon icon={s.service.icon} name={s.service.name} kind={s.service.kind} size="lg" />
            <span className="sub-title">{s.name}</span>
          </span>
        }
        docTitle={s.name}
        subtitle={
          <span className="sub-header__meta">
            <SubscriptionStatusBadge status={s.status} />
            {s.lease && s.status === 'active' && <LeaseBadge lease={s.lease} now={now} />}
            {s.upgrade && s.status === 'active' && <UpgradeBadge />}
            <span>
              {s.service.name} · {s.plan.name}
              {s.quantity > 1 && ` × ${s.quantity}`} · since {formatDate(s.startedAt)}
            </span>
          </span>
        }
      />

      {!owned && actions.every((a) => a.blocked) && s.status !== 'ended' ? (
        <p className="muted small sub-actions">
          Owned by {s.owner.name}: only they can change, transfer or decommission it.
        </p>
      ) : (
        actions.length > 0 && (
          <div className="sub-actions" ref={actionsRef} role="group" aria-label="What you can do">
            <div className="btn-row">
              {actions.map((a) => (
                <button
                  key={a.key}
                  type="button"
                  className={`btn btn--sm ${a.tone === 'danger' ? 'btn--danger-outline' : panel === a.key ? 'btn--primary' : 'btn--secondary'}`}
                  disabled={!!a.blocked}
                  aria-expanded={a.key === 'decommission' ? undefined : panel === a.key}
                  aria-describedby={a.blocked ? `sub-blocked-${blockedKey(actions, a)}` : undefined}
                  onClick={a.onClick}
                >
                  {a.label}
                </button>
              ))}
            </div>
            {actions.some((a) => a.blocked) && (
              <ul className="sub-actions__reasons small muted">
                {blockedReasons(actions).map(({ reason, labels, key }) => (
                  <li key={key} id={`sub-blocked-${key}`}>
                    {labels}: {reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )
      )}

      {s.pending && <PendingChangeNote pending={s.pending} />}
      {s.status === 'ending' && (
        <div className="alert alert--info" role="status">
          <p className="alert__title">Being decommissioned</p>
          <p>Billing stopped. The provider is removing it; this page updates when it confirms.</p>
        </div>
      )}

      <div ref={noticeRef} tabIndex={-1} className="sub-notice">
        {notice && <NoticeAlert notice={notice} onDismiss={() => setNotice(null)} />}
      </div>

      <div ref={panelRef}>
        {panel === 'resize' && <ResizePanel sub={s} onPlaced={placed} onCancel={closePanel} />}
        {panel === 'upgrade' && <UpgradePanel sub={s} onPlaced={placed} onCancel={closePanel} />}
        {panel === 'transfer' && (
          <TransferPanel
            sub={s}
            onCancel={closePanel}
            onDone={(after, body) => {
              setPanel(null);
              const to = [
                body.owner && `to ${body.owner}`,
                body.costCentre && `charged to ${body.costCentre}`,
              ]
                .filter(Boolean)
                .join(', ');
              setHandedOver(`${s.name} is now ${to}.`);
              setNotice({
                kind: 'text',
                title: 'Transferred',
                text: `${after.name} is now ${to}. This was recorded.`,
              });
            }}
          />
        )}
        {panel === 'ticket' && (
          <div data-autofocus tabIndex={-1}>
            <RaiseTicketForm
              subscriptionId={s.id}
              onRaised={(t) => {
                setPanel(null);
                setNotice({ kind: 'ticket', ticket: t });
              }}
              onCancel={closePanel}
            />
          </div>
        )}
      </div>

      <DecommissionDialog
        sub={s}
        open={decommissioning}
        onClose={() => setDecommissioning(false)}
        onDone={() => {
          // The "Being decommissioned" status above says what happens next.
          setDecommissioning(false);
          setNotice(null);
        }}
      />

      <div className="sub-layout">
        <div className="stack">
          <ConnectionDetails sub={s} />
          <SubscriptionHistory sub={s} now={now} />
          {owned && (
            <section className="card sub-o7" aria-labelledby="sub-tickets-title">
              <h2 className="card__title" id="sub-tickets-title">
                Your tickets for this service
              </h2>
              {tickets.isPending ? (
                <LoadingState />
              ) : mine.length === 0 ? (
                <p className="muted">No tickets — all quiet.</p>
              ) : (
                <ul className="plain-list">
                  {mine.map((t) => (
                    <li key={t.id} className="plain-list__row">
                      <span>
                        <strong>{t.number}</strong> {t.summary}
                        <span className="muted small"> · {formatAgo(t.createdAt)}</span>
                      </span>
                      <TicketStatusBadge status={t.status} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
        <div className="stack">
          <section className="card sub-o1" aria-labelledby="sub-cost-title">
            <h2 className="card__title" id="sub-cost-title">
              Cost
            </h2>
            <dl className="facts facts--compact">
              <div>
                <dt>This month so far</dt>
                <dd className="sub-cost__figure" data-testid="cost-this-month">
                  {formatCost(s.costThisMonth, s.currency)}
                  {Number(s.usageThisMonth) > 0 && (
                    <span className="small muted" data-testid="usage-this-month">
                      {' '}
                      incl. {formatCost(s.usageThisMonth, s.currency)} metered use
                    </span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Monthly price</dt>
                <dd className="sub-cost__figure">
                  {s.status === 'active' ? formatMoney(s.monthlyPrice, s.currency) : '—'}
                </dd>
              </div>
            </dl>
            <p className="small muted sub-cost__note">
              Charged to {s.costCentre.code} — {s.costCentre.name}, from the exact moment of each change.
            </p>
          </section>
          <LeaseCard sub={s} now={now} onPlaced={(p, what) => placed(p, what, true)} />
          <section className="card sub-o4" aria-labelledby="sub-details-title">
            <h2 className="card__title" id="sub-details-title">
              Overview
            </h2>
            <dl className="facts facts--compact">
              <div>
                <dt>Owner</dt>
                <dd>
                  {s.owner.name}
                  <span className="small muted sub-block">{s.owner.email}</span>
                </dd>
              </div>
              <div>
                <dt>Cost centre</dt>
                <dd>
                  {s.costCentre.code}
                  <span className="small muted sub-block">{s.costCentre.name}</span>
                </dd>
              </div>
              <div>
                <dt>Service</dt>
                <dd>
                  <Link to={`/s/${encodeURIComponent(s.service.slug)}`}>{s.service.name}</Link>
                  <span className="small muted sub-block">version {s.service.version}</span>
                </dd>
              </div>
              <div>
                <dt>Plan</dt>
                <dd>
                  {s.plan.name}
                  {s.quantity > 1 && ` × ${s.quantity}`}
                </dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatDateTime(s.startedAt)}</dd>
              </div>
              <div>
                <dt>{s.endedAt ? 'Ended' : 'Ordered in'}</dt>
                <dd>
                  {s.endedAt ? (
                    formatDateTime(s.endedAt)
                  ) : (
                    <Link to={`/orders/${s.orderId}`}>the original request</Link>
                  )}
                </dd>
              </div>
              {s.optionsShown.length > 0 && (
                <div className="facts__wide">
                  <dt>Options</dt>
                  <dd>
                    <ul className="sub-options">
                      {s.optionsShown.map((o) => (
                        <li key={o.key}>
                          <span className="muted">{o.label}:</span> {o.value}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </div>
              )}
            </dl>
          </section>
          <section className="card sub-o6" aria-labelledby="sub-sla-title">
            <h2 className="card__title" id="sub-sla-title">
              Service level: {s.sla.name}
            </h2>
            <p className="sla-summary">{s.sla.summary}</p>
            <SlaFacts sla={s.sla} />
          </section>
        </div>
      </div>
    </div>
  );
}

function NoticeAlert({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  let title: string;
  let body: ReactNode;
  if (notice.kind === 'placed') {
    const { placed, what, extend } = notice;
    title = placed.done ? `${what}: done` : `${what} requested`;
    body = placed.done ? (
      <>
        No approval was needed; it took effect at once (
        <Link to={`/orders/${placed.orderId}`}>{placed.orderNumber}</Link>).
      </>
    ) : (
      <>
        Request <Link to={`/orders/${placed.orderId}`}>{placed.orderNumber}</Link> goes through approval
        {extend
          ? '; the lease is extended once it is approved. Until then the current end date stands.'
          : ', then delivery. Follow it there; the current plan keeps running until the switch.'}
      </>
    );
  } else if (notice.kind === 'ticket') {
    title = `Ticket ${notice.ticket.number} raised`;
    body = (
      <>
        {notice.ticket.team.name} has it. We will keep you posted — see{' '}
        <Link to="/tickets">your tickets</Link>.
      </>
    );
  } else {
    title = notice.title;
    body = notice.text;
  }
  return (
    <div className="alert alert--success alert--dismissible" role="status" data-testid="subscription-notice">
      <div>
        <p className="alert__title">{title}</p>
        <p>{body}</p>
      </div>
      <button type="button" className="btn btn--ghost btn--sm" onClick={onDismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
