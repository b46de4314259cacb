import { CreateTicketBody, page, Problem, Ticket, TicketQuery } from '@portico/shared';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import * as service from './support.service.ts';

const tags = ['support'];

export function supportRoutes(app: Http, { database }: Deps): void {
  app.post(
    '/api/tickets',
    {
      schema: {
        tags,
        summary: 'Raise a ticket on something I own',
        body: CreateTicketBody,
        response: { 201: Ticket, 400: Problem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const ticket = await database.transaction((tx) => service.raiseTicket(tx, actor, req.body));
      return reply.code(201).send(ticket);
    },
  );

  app.get(
    '/api/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets I raised, or (fulfillers) my teams’ tickets',
        querystring: TicketQuery,
        response: { 200: page(Ticket), 403: Problem },
      },
    },
    async (req) => service.listTickets(database.db, actorOf(req), req.query),
  );
}
