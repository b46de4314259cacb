import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { Problem } from '@portico/shared';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf, type Http } from '../../platform/http.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db.ts';
import { exportFocus, exportJournal, exportLines, type Export } from './billing.exports.ts';
import { MonthParams } from './billing.schemas.ts';

const tags = ['billing'];

const exports: Record<
  string,
  { summary: string; build: (ex: Executor, a: Actor, m: string) => Promise<Export> }
> = {
  lines: { summary: 'A closed month’s statement lines as CSV (finance, admin)', build: exportLines },
  focus: { summary: 'A closed month as a FOCUS 1.1 cost-and-usage CSV (finance, admin)', build: exportFocus },
  journal: {
    summary: 'A closed month’s general ledger journal, one row per statement, as CSV (finance, admin)',
    build: exportJournal,
  },
};

/** GET /api/billing/periods/:month/export/{lines,focus,journal}.csv: downloads of a closed period. */
export function billingExportRoutes(app: Http, { database }: Deps): void {
  for (const [name, { summary, build }] of Object.entries(exports)) {
    app.get(
      `/api/billing/periods/:month/export/${name}.csv`,
      {
        schema: {
          tags,
          summary,
          description: '404: the month was never closed; 409: its close has not finished.',
          produces: ['text/csv'],
          params: MonthParams,
          response: {
            200: z.unknown().describe('The CSV file, streamed (text/csv; charset=utf-8)'),
            400: Problem,
            403: Problem,
            404: Problem,
            409: Problem,
          },
        },
      },
      async (req, reply) => {
        const { month } = req.params;
        // Built before the first byte is sent, so a refusal is still a problem+json response.
        const { columns, rows } = await build(database.db, actorOf(req), month);
        // RFC 4180: CRLF between records; quoting is the library's.
        const csv = Readable.from(rows).pipe(
          stringify({ header: true, columns: [...columns], record_delimiter: 'windows' }),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="portico-${month}-${name}.csv"`)
          .send(csv);
      },
    );
  }
}
