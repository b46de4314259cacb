import { randomUUID } from 'node:crypto';
import { ServiceDocument, type ServiceDocumentInput } from '@portico/shared';
import { systemActor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db.ts';
import { saveCategory } from './catalog.service.ts';

export const aCategory = (tx: Tx, slug = `cat-${randomUUID().slice(0, 6)}`, parent: string | null = null) =>
  saveCategory(
    tx,
    systemActor('test'),
    { slug, name: `Category ${slug}`, description: '', icon: '📦', parent },
    0,
  );

/** A published service document with one plan, fulfilled by `team` with a hostname output. */
export function aServiceDocument(
  s: { name: string; category: string; team: string } & Partial<ServiceDocumentInput>,
): ServiceDocument {
  const { name, category, team, ...rest } = s;
  return ServiceDocument.parse({
    slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}`,
    name,
    tagline: `${name}, delivered`,
    kind: 'cloud',
    category,
    ownerTeam: team,
    status: 'published',
    plans: [
      {
        slug: 'small',
        name: 'Small',
        monthlyPrice: '38.00',
        leadTimeDays: 1,
        sla: {
          name: 'Gold',
          availability: '99.9%',
          supportHours: '24×7',
          responseHours: 1,
          resolutionHours: 8,
        },
        fulfilment: {
          steps: [
            {
              type: 'manual',
              name: 'Provision',
              team,
              instructions: 'Provision it and record the hostname.',
              outputs: [
                { key: 'hostname', label: 'Hostname', required: true },
                { key: 'ip', label: 'IP address', required: false },
              ],
            },
          ],
        },
      },
    ],
    ...rest,
  });
}
