// The client for a configured adapter, by its type.
import type { AdapterRow } from '../fulfilment.repo.ts';
import type { Adapter } from './adapter.ts';
import { osbAdapter } from './osb.adapter.ts';
import { webhookAdapter } from './webhook.adapter.ts';

export function defaultAdapterFor(row: AdapterRow, secret: string): Adapter {
  return row.type === 'osb'
    ? osbAdapter({ url: row.url, username: row.username ?? '', password: secret, timeoutMs: row.timeoutMs })
    : webhookAdapter({ url: row.url, secret, timeoutMs: row.timeoutMs });
}
