import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ServiceSummary } from '@portico/shared';
import { useSuggestions } from './catalog.api.ts';
import { ServiceIcon } from '../../components/service-icon.tsx';
import { KindBadge } from '../../components/kind-badge.tsx';
import { formatMoney, isZeroMoney } from '../../components/format.ts';
import { useDebouncedValue } from '../../components/use-debounced-value.ts';

const MAX_SUGGESTIONS = 7;

export function searchHref(q: string): string {
  const t = q.trim();
  return t ? `/search?q=${encodeURIComponent(t)}` : '/search';
}

/**
 * The storefront's search box: answers as you type with a dropdown of the best matches
 * (the ARIA combobox pattern). Arrow keys move through the list, Enter opens the highlighted
 * service (or the search page when none is), Escape closes the list and then clears the box.
 */
export function SearchBox({ autoFocus }: { autoFocus?: boolean }) {
  const navigate = useNavigate();
  const uid = useId();
  const listId = `${uid}-list`;
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = useDebouncedValue(text.trim(), 150);
  const suggestions = useSuggestions(q);

  const typed = text.trim();
  // Only what answers the current words: stale results from an older query are not offered.
  const results: ServiceSummary[] =
    typed && suggestions.data && q === typed ? suggestions.data.items.slice(0, MAX_SUGGESTIONS) : [];
  const total = q === typed ? (suggestions.data?.total ?? 0) : 0;
  const waiting = typed.length > 0 && (q !== typed || suggestions.isFetching);
  const showList = open && typed.length > 0;
  // The options: the services, then "See all results".
  const count = results.length + 1;
  const optionId = (i: number) => `${uid}-opt-${i}`;

  function go(index: number) {
    setOpen(false);
    setActive(-1);
    const service = results[index];
    if (service) void navigate(`/s/${encodeURIComponent(service.slug)}`);
    else void navigate(searchHref(text));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
        if (!typed) return;
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a + 1) % count);
        break;
      case 'ArrowUp':
        if (!typed) return;
        e.preventDefault();
        setOpen(true);
        setActive((a) => (a <= 0 ? count - 1 : a - 1));
        break;
      case 'Enter':
        e.preventDefault();
        go(showList && active >= 0 ? active : results.length);
        break;
      case 'Escape':
        if (showList) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          e.preventDefault();
          setText('');
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  }

  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        go(results.length);
      }}
      onBlur={(e) => {
        // Closing when focus leaves the whole widget, not when it moves to the list.
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <label htmlFor={`${uid}-input`} className="visually-hidden">
        Search the catalogue
      </label>
      {waiting ? (
        <span className="spinner spinner--sm search__icon" aria-hidden="true" />
      ) : (
        <svg className="search__icon" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="11" cy="11" r="7" fill="none" stroke="currentColor" strokeWidth="2.2" />
          <path d="m20 20-4-4" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
      )}
      <input
        ref={inputRef}
        id={`${uid}-input`}
        className="search__input"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? optionId(active) : undefined}
        placeholder="Search services, e.g. “virtual machine”, “laptop”, “database”"
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      <div className={`search__dropdown${showList ? ' search__dropdown--open' : ''}`}>
        {showList && !waiting && results.length === 0 && (
          <p className="search__none">No service matches “{typed}” yet — try another word.</p>
        )}
        <ul id={listId} role="listbox" aria-label="Matching services" className="suggestions">
          {showList &&
            results.map((s, i) => (
              <li
                key={s.slug}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={`suggestion${i === active ? ' suggestion--active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => go(i)}
              >
                <ServiceIcon icon={s.icon} name={s.name} kind={s.kind} size="sm" />
                <span className="suggestion__text">
                  <span className="suggestion__name">{s.name}</span>
                  <span className="suggestion__meta">
                    {s.category.name}
                    {s.fromMonthlyPrice !== null && !isZeroMoney(s.fromMonthlyPrice) && (
                      <> · from {formatMoney(s.fromMonthlyPrice, s.currency)}/month</>
                    )}
                  </span>
                </span>
                <KindBadge kind={s.kind} />
              </li>
            ))}
          {showList && (
            <li
              id={optionId(results.length)}
              role="option"
              aria-selected={active === results.length}
              className={`suggestion suggestion--all${active === results.length ? ' suggestion--active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => setActive(results.length)}
              onClick={() => go(results.length)}
            >
              <span className="suggestion__all-icon" aria-hidden="true">
                ⌕
              </span>
              <span className="suggestion__text">
                <span className="suggestion__name">See all results for “{typed}”</span>
                {total > results.length && <span className="suggestion__meta">{total} services match</span>}
              </span>
              <span aria-hidden="true" className="suggestion__arrow">
                →
              </span>
            </li>
          )}
        </ul>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {showList && !waiting
          ? results.length
            ? `${results.length} suggestions. Use the arrow keys to choose.`
            : 'No suggestions.'
          : ''}
      </p>
    </form>
  );
}
