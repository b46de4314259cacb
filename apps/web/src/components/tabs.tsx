import { Link } from 'react-router';

interface TabItem {
  value: string;
  label: string;
  to: string;
  count?: number;
}

/** Tabs as links (the selected tab lives in the URL, so it survives reloads and back). */
export function Tabs({ label, items, value }: { label: string; items: TabItem[]; value: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {items.map((t) => (
        <Link
          key={t.value}
          to={t.to}
          replace
          className={`tabs__tab${t.value === value ? ' tabs__tab--active' : ''}`}
          aria-current={t.value === value ? 'page' : undefined}
        >
          {t.label}
          {t.count !== undefined && <span className="tabs__count">{t.count}</span>}
        </Link>
      ))}
    </nav>
  );
}
