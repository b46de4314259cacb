import { useSyncExternalStore } from 'react';
import type { ServiceKind } from '@portico/shared';

/** A service picked for comparison, with what the tray needs to show it. */
export interface ComparePick {
  slug: string;
  name: string;
  icon: string;
  kind: ServiceKind;
}

export const MAX_COMPARE = 4;
const KEY = 'portico.compare';

// Kept for the browser tab's session, so the picks survive moving between search, category
// and service pages (and a reload) without a server round trip.
function load(): ComparePick[] {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as ComparePick[]).slice(0, MAX_COMPARE) : [];
  } catch {
    return [];
  }
}

let picks: ComparePick[] = load();
const listeners = new Set<() => void>();

function set(next: ComparePick[]) {
  picks = next;
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // private mode or full storage: the picks still live for this page
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useComparePicks(): ComparePick[] {
  return useSyncExternalStore(subscribe, () => picks);
}

export const compareStore = {
  toggle(pick: ComparePick) {
    if (picks.some((p) => p.slug === pick.slug)) set(picks.filter((p) => p.slug !== pick.slug));
    else if (picks.length < MAX_COMPARE) set([...picks, pick]);
  },
  remove(slug: string) {
    set(picks.filter((p) => p.slug !== slug));
  },
  clear() {
    set([]);
  },
};

export function compareHref(slugs: string[]): string {
  return `/compare?services=${slugs.map(encodeURIComponent).join(',')}`;
}
