import {
  Meter,
  page,
  Problem,
  PutMeterBody,
  QuarantinedEvent,
  QuarantineQuery,
  ResolveQuarantineBody,
  UsageIngested,
} from '@portico/shared';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { invalid, tooLarge } from '../../platform/errors.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import { BATCH, fromBinary, MAX_BATCH, modeOf, STRUCTURED, type Received } from './metering.cloudevents.ts';
import { mayReportUsage } from './metering.policy.ts';
import { MeterParams, QuarantineParams } from './metering.schemas.ts';
import * as service from './metering.service.ts';

const tags = ['metering'];
/** A full batch of 10,000 events of about 1.5 KB each. */
const USAGE_BODY_LIMIT = 16 * 1024 * 1024;

function received(req: FastifyRequest): Received {
  const mode = modeOf(req.headers);
  if (!mode) {
    throw invalid(
      'content-type',
      `send one event as ${STRUCTURED}, a batch as ${BATCH}, or one event in binary mode (ce-specversion, ce-id, ce-source, ce-type headers, the data as the body)`,
    );
  }
  if (mode === 'structured') return { mode, events: [req.body] };
  if (mode === 'binary') return { mode, events: [fromBinary(req.headers, req.body)] };
  if (!Array.isArray(req.body)) throw invalid('body', 'must be a JSON array of CloudEvents (batch mode)');
  if (req.body.length === 0) throw invalid('body', 'needs at least one event');
  if (req.body.length > MAX_BATCH) {
    throw tooLarge(
      `A batch holds at most ${MAX_BATCH.toLocaleString('en')} events; this one has ${req.body.length.toLocaleString('en')}. Send it in smaller batches.`,
    );
  }
  return { mode, events: req.body };
}

export function meteringRoutes(app: Http, { database }: Deps): void {
  // The CloudEvents content types (and binary mode's any-type body) are parsed for this route only.
  app.register(async (scope: Http) => {
    scope.addContentTypeParser([STRUCTURED, BATCH], { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        done(invalid('body', `is not valid JSON: ${(err as Error).message}`), undefined);
      }
    });
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(
      '/api/usage',
      {
        bodyLimit: USAGE_BODY_LIMIT,
        // Before the body is read: who may post (a usage reporter's token, or an admin).
        onRequest: async (req) => mayReportUsage(req.actor),
        schema: {
          tags,
          summary: 'Report usage (CloudEvents 1.0: structured, batch of up to 10,000, or binary)',
          description:
            'Each event is deduplicated forever by (source, id): a duplicate is accepted with no effect. ' +
            '`type` selects the meter; `subject` names the subscription: its id, `subscriptions/<id>`, ' +
            'or the broker instance id its delivery recorded (`osbInstanceId`). An event whose subject ' +
            'matches no subscription is stored in the quarantine for an admin. Invalid events are listed ' +
            'by index and not stored; the valid ones of the request are (200). If none is valid: 400.',
          response: { 200: UsageIngested, 400: Problem, 401: Problem, 403: Problem, 413: Problem },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const request = received(req);
        return database.transaction((tx) => service.ingestUsage(tx, actor, request));
      },
    );
  });

  app.get(
    '/api/meters',
    { schema: { tags, summary: 'Meters (admin, finance)', response: { 200: page(Meter), 403: Problem } } },
    async (req) => ({ items: await service.listMeters(database.db, actorOf(req)), nextCursor: null }),
  );

  app.get(
    '/api/meters/:key',
    {
      schema: {
        tags,
        summary: 'A meter (admin, finance)',
        params: MeterParams,
        response: { 200: Meter, 403: Problem, 404: Problem },
      },
    },
    async (req) => service.getMeter(database.db, actorOf(req), req.params.key),
  );

  app.put(
    '/api/meters/:key',
    {
      schema: {
        tags,
        summary: 'Create or change a meter (admin)',
        params: MeterParams,
        body: PutMeterBody,
        response: { 200: Meter, 201: Meter, 400: Problem, 403: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { meter, created } = await database.transaction((tx) =>
        service.putMeter(tx, actor, req.params.key, req.body),
      );
      return reply.code(created ? 201 : 200).send(meter);
    },
  );

  app.get(
    '/api/usage/quarantine',
    {
      schema: {
        tags,
        summary: 'Usage events no subscription matched: open, or resolved (admin, finance)',
        querystring: QuarantineQuery,
        response: { 200: page(QuarantinedEvent), 403: Problem },
      },
    },
    async (req) => service.listQuarantine(database.db, actorOf(req), req.query),
  );

  app.post(
    '/api/usage/quarantine/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Assign a quarantined event to a subscription, or discard it with a reason (admin)',
        params: QuarantineParams,
        body: ResolveQuarantineBody,
        response: { 200: QuarantinedEvent, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return database.transaction((tx) => service.resolveQuarantined(tx, actor, req.params.id, req.body));
    },
  );
}
