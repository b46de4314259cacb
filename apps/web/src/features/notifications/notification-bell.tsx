import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Notification } from '@portico/shared';
import { useMarkAllRead, useMarkRead, useNotifications } from './notifications.api.ts';
import { ErrorState } from '../../components/states.tsx';
import { formatAgo, formatDateTime } from '../../components/format.ts';
import { useNow } from '../../components/use-now.ts';

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Zm4 4h4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The bell in the top bar: unread count, and a panel with the latest notifications. */
export function NotificationBell() {
  const location = useLocation();
  const notifications = useNotifications();
  const markAll = useMarkAllRead();
  const panelId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // Open for the page it was opened on, so following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.pathname;
  const unread = notifications.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpenOn(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpenOn(null);
      button.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="bell" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="topbar__icon-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        onClick={() => setOpenOn(open ? null : location.pathname)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="nav-badge topbar__icon-badge" data-testid="notifications-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <div className="bell__panel" id={panelId} hidden={!open} role="region" aria-label="Notifications">
        {open && (
          <>
            <div className="bell__head">
              <h2 className="bell__title">Notifications</h2>
              <button
                type="button"
                className="btn btn--ghost btn--sm"
                onClick={() => markAll.mutate(undefined)}
                disabled={!unread || markAll.isPending}
              >
                Mark all read
              </button>
            </div>
            {notifications.isPending ? (
              <p className="bell__empty muted">Loading…</p>
            ) : notifications.isError ? (
              <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} />
            ) : notifications.data.items.length === 0 ? (
              <p className="bell__empty muted">
                Nothing new. Approvals, decisions and deliveries show up here.
              </p>
            ) : (
              <ul className="bell__list">
                {notifications.data.items.map((n) => (
                  <NotificationRow key={n.id} n={n} onFollow={() => setOpenOn(null)} />
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function NotificationRow({ n, onFollow }: { n: Notification; onFollow: () => void }) {
  const markRead = useMarkRead();
  const now = useNow();
  const unread = !n.readAt;
  const title = n.link ? (
    <Link
      to={n.link}
      className="bell__link"
      onClick={() => {
        if (unread) markRead.mutate(n.id);
        onFollow();
      }}
    >
      {n.title}
    </Link>
  ) : (
    n.title
  );
  return (
    <li className={`bell__item${unread ? ' bell__item--unread' : ''}`} data-testid="notification">
      <p className="bell__item-title">
        {unread && <span className="visually-hidden">Unread: </span>}
        {title}
      </p>
      {n.body && <p className="bell__item-body">{n.body}</p>}
      <p className="bell__item-meta">
        <time dateTime={n.createdAt} title={formatDateTime(n.createdAt)}>
          {formatAgo(n.createdAt, now)}
        </time>
        {unread && (
          <button
            type="button"
            className="link-button"
            onClick={() => markRead.mutate(n.id)}
            disabled={markRead.isPending}
          >
            Mark read
          </button>
        )}
      </p>
    </li>
  );
}
