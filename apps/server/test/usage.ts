// Usage as a broker reports it: one CloudEvent in structured mode, by a usage reporter's token.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from './harness.ts';

/** Posts one event of `type` about the subscription and checks it was taken (200). */
export async function reportUsage(
  t: TestApp,
  token: string,
  event: { type: string; subscriptionId: string; time: string; data?: Record<string, unknown> },
): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/usage',
    headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${token}` },
    payload: JSON.stringify({
      specversion: '1.0',
      id: randomUUID(),
      source: '/brokers/cloud',
      type: event.type,
      subject: `subscriptions/${event.subscriptionId}`,
      time: event.time,
      ...(event.data ? { data: event.data } : {}),
    }),
  });
  expect(res.statusCode, res.body).toBe(200);
}
