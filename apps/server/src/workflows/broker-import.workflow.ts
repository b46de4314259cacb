// A broker's catalogue as catalogue drafts: what fulfilment read from the broker (GET /v2/catalog)
// goes through the catalogue's own import, so it is checked, diffed and written exactly as a
// YAML file would be (upsert by slug, all or nothing, a dry run changes nothing).
//
// Two rules on top of the file import. The drafts stay drafts: an import from a broker never
// writes over a published or retired service (a re-import would otherwise take it off the
// storefront, or change what requesters see without a catalogue manager's say), so a slug that
// is taken by one is a problem to solve with another slug. And category and owner team are
// chosen once for the whole import, so a problem with them is reported once, at that field.
import {
  BrokerImportBody,
  CatalogDocument,
  type BrokerImportReport,
  type ServiceDocumentInput,
} from '@portico/shared';
import type { z } from 'zod';
import type { Actor } from '../platform/actor.ts';
import type { Tx } from '../platform/db.ts';
import { forbidden } from '../platform/errors.ts';
import { categoryDocuments, findServiceBySlug, seesDrafts } from '../modules/catalog/index.ts';
import { catalogToDrafts, type FetchedCatalog } from '../modules/fulfilment/index.ts';
import { teamByKey } from '../modules/identity/index.ts';
import { importDocument, type DocumentProblem } from './catalog.workflow.ts';

export async function importBrokerCatalog(
  tx: Tx,
  actor: Actor,
  { adapter, catalog }: FetchedCatalog,
  body: z.output<typeof BrokerImportBody>,
): Promise<BrokerImportReport> {
  if (!seesDrafts(actor)) throw forbidden('Only catalogue managers import services');
  const errors: DocumentProblem[] = [];
  const fail = (path: (string | number)[], message: string) => errors.push({ path, message });

  if (!(await categoryDocuments(tx)).some((c) => c.slug === body.category))
    fail(['category'], `no category ${body.category}`);
  if (!(await teamByKey(tx, body.ownerTeam).catch(() => null)))
    fail(['ownerTeam'], `no team ${body.ownerTeam}`);

  // Drafted from the whole catalogue, so a service's proposed slug does not depend on the choice.
  const { drafts, skipped } = catalogToDrafts(catalog, {
    adapterKey: adapter.key,
    ownerTeam: body.ownerTeam,
    category: body.category,
  });
  const chosen: { broker: string; draft: ServiceDocumentInput }[] = [];
  for (const [i, wanted] of body.services.entries()) {
    const at = catalog.services.findIndex((s) => s.name === wanted.name || s.id === wanted.name);
    if (at < 0) {
      fail(['services', i, 'name'], `${adapter.name} offers no service ${wanted.name}`);
      continue;
    }
    const broker = catalog.services[at]!.name;
    if (chosen.some((c) => c.broker === broker)) {
      fail(['services', i, 'name'], `${broker} is chosen twice`);
      continue;
    }
    const draft = { ...drafts[at]!, slug: wanted.slug ?? drafts[at]!.slug };
    const existing = await findServiceBySlug(tx, draft.slug);
    if (existing && existing.status !== 'draft') {
      fail(
        ['services', i, 'slug'],
        `${draft.slug} is the ${existing.status} service “${existing.name}”: an import from a broker ` +
          'only creates and updates drafts, so give this one another slug',
      );
    }
    chosen.push({ broker, draft });
  }

  const report = (changes: BrokerImportReport['changes']): BrokerImportReport => ({
    dryRun: body.dryRun,
    adapter: { key: adapter.key, name: adapter.name },
    services: chosen.map((c) => ({ broker: c.broker, slug: c.draft.slug, name: c.draft.name })),
    errors: errors.map((e) => ({ path: e.path.join('.'), message: e.message })),
    changes: errors.length ? [] : changes,
    skipped: skipped.filter((s) => chosen.some((c) => c.broker === s.service)),
  });

  const parsed = CatalogDocument.safeParse({ services: chosen.map((c) => c.draft) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) fail(issue.path as (string | number)[], issue.message);
    return report([]);
  }
  // Checked (and, with no problem so far and no dry run, written) by the catalogue's import.
  const imported = await importDocument(tx, actor, parsed.data, body.dryRun || errors.length > 0);
  for (const problem of imported.errors) {
    const [, , field] = problem.path;
    // Already reported once, at the import's own field.
    if (problem.path.length === 3 && (field === 'category' || field === 'ownerTeam')) continue;
    errors.push(problem);
  }
  return report(imported.changes);
}
