import { useState } from 'react';
import { Link, NavLink, Navigate, Outlet, ScrollRestoration, useLocation } from 'react-router';
import type { Me } from '@portico/shared';
import { hasRole, useLogout, useMe, wasSignedOutOnPurpose } from '../features/session/session.api.ts';
import { useApprovals } from '../features/approvals/approvals.api.ts';
import { useCartCount } from '../features/cart/cart.api.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { CurrentUserContext } from '../features/session/current-user.ts';
import { ErrorState, LoadingState } from '../components/states.tsx';
import { BrandMark } from '../components/brand-mark.tsx';

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** `pending`: approvals waiting for this person (group members and delegates get them too). */
  show: (me: Me, pending: number) => boolean;
  /** Other pages that belong to this item (the catalogue's search, categories, services). */
  alsoActiveOn?: RegExp;
}

const isFinance = (me: Me) => hasRole(me, 'finance') || hasRole(me, 'admin');

const navItems: NavItem[] = [
  {
    to: '/',
    label: 'Catalogue',
    end: true,
    show: () => true,
    alsoActiveOn: /^\/(search|compare|c\/|s\/)/,
  },
  { to: '/orders', label: 'My requests', show: () => true },
  { to: '/services', label: 'My services', show: () => true },
  { to: '/tickets', label: 'Tickets', show: () => true },
  {
    to: '/approvals',
    label: 'Approvals',
    show: (me, pending) => hasRole(me, 'approver') || pending > 0,
  },
  { to: '/tasks', label: 'Work queue', show: (me) => hasRole(me, 'fulfiller') },
  { to: '/catalogue-admin', label: 'Catalogue admin', show: (me) => hasRole(me, 'catalog_manager') },
  {
    to: '/cost-centres',
    label: 'Budgets',
    show: (me) => hasRole(me, 'finance') || hasRole(me, 'admin') || hasRole(me, 'approver'),
  },
  // Owners see their cost centres' costs; finance reach every cost centre's from Billing, so
  // they get that one entry, not both.
  { to: '/costs', label: 'Costs', show: (me) => me.ownedCostCentres.length > 0 && !isFinance(me) },
  { to: '/billing', label: 'Billing', show: isFinance, alsoActiveOn: /^\/costs(\/|$)/ },
  { to: '/admin/policies', label: 'Policies', show: (me) => hasRole(me, 'admin') },
  { to: '/admin/adapters', label: 'Adapters', show: (me) => hasRole(me, 'admin') },
];

function CartLink() {
  const count = useCartCount() ?? 0;
  return (
    <NavLink
      to="/cart"
      className={({ isActive }) => `topbar__icon-button${isActive ? ' topbar__icon-button--active' : ''}`}
      aria-label={count ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart, empty'}
    >
      <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.7L20.5 8H6.2M9 20h.01M17 20h.01"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="topbar__icon-label" aria-hidden="true">
        Cart
      </span>
      {count > 0 && (
        <span className="nav-badge topbar__icon-badge" data-testid="cart-badge" aria-hidden="true">
          {count}
        </span>
      )}
    </NavLink>
  );
}

/** The pending-approvals count; `testId` only on the nav link's copy so the test id is unique. */
function ApprovalsBadge({ count, testId }: { count: number; testId?: string }) {
  if (!count) return null;
  return (
    <span className="nav-badge" data-testid={testId} aria-label={`${count} pending`}>
      {count}
    </span>
  );
}

function TopBar({ me }: { me: Me }) {
  const location = useLocation();
  const logout = useLogout();
  // The phone menu is open for the page it was opened on, so navigating closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === location.pathname;
  const pending = useApprovals('pending').data?.length ?? 0;

  return (
    <header className="topbar">
      <div className="topbar__inner">
        <Link to="/" className="brand" aria-label="Portico home">
          <BrandMark />
          <span className="brand__name">Portico</span>
        </Link>
        <button
          type="button"
          className="topbar__menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpenOn(menuOpen ? null : location.pathname)}
        >
          <span className="hamburger" aria-hidden="true" />
          Menu
          <ApprovalsBadge count={pending} />
        </button>
        <div className={`topbar__panel${menuOpen ? ' topbar__panel--open' : ''}`} id="main-nav">
          <nav className="mainnav" aria-label="Main">
            {navItems
              .filter((item) => item.show(me, pending))
              .map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  end={item.end}
                  className={({ isActive }) =>
                    `mainnav__link${isActive || item.alsoActiveOn?.test(location.pathname) ? ' mainnav__link--active' : ''}`
                  }
                >
                  {item.label}
                  {item.to === '/approvals' && <ApprovalsBadge count={pending} testId="approvals-badge" />}
                </NavLink>
              ))}
          </nav>
          <div className="usermenu">
            <NavLink
              to="/profile"
              className={({ isActive }) => `usermenu__name${isActive ? ' usermenu__name--active' : ''}`}
              title="Your profile and API tokens"
            >
              <span className="avatar" aria-hidden="true">
                {initials(me.name)}
              </span>
              <span>{me.name}</span>
            </NavLink>
            <button
              type="button"
              className="btn btn--ghost btn--sm"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              Sign out
            </button>
          </div>
        </div>
        <div className="topbar__quick">
          <CartLink />
          <NotificationBell />
        </div>
      </div>
    </header>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/** The signed-in shell: redirects to /login when there is no session. */
export function AppLayout() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <div className="fullpage-center">
        <LoadingState label="Opening Portico…" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="fullpage-center">
        <ErrorState error={me.error} title="Portico is not answering" onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    const plain = next === '/' || wasSignedOutOnPurpose();
    return <Navigate to={plain ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar me={me.data} />
      <main id="main" className="main" tabIndex={-1}>
        <CurrentUserContext value={me.data}>
          <Outlet />
        </CurrentUserContext>
      </main>
      <footer className="footer">
        <span>Portico · IT services, delivered like a web shop</span>
      </footer>
      <ScrollRestoration />
    </>
  );
}
