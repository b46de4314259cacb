import { invalid } from './errors.ts';

/** Keyset cursors: the (timestamp, id) of the last item seen, opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  const [at, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw invalid('query.cursor', 'is not a cursor this API gave out');
  return { at: date, id };
}

/** Fetch `limit + 1` rows, then call this: it drops the extra row and makes the next cursor. */
export function trimPage<R>(rows: R[], limit: number, key: (r: R) => Cursor) {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { rows: kept, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
