import { randomUUID } from 'node:crypto';
import type { Tx } from '../../platform/db.ts';
import { createCategory, createPlan, createService } from './catalog.service.ts';

export async function aServiceWithPlan(
  tx: Tx,
  s: { name: string; ownerTeamId: string; status?: 'draft' | 'published' | 'retired'; monthly?: string },
) {
  const tag = randomUUID().slice(0, 6);
  const category = await createCategory(tx, { slug: `cat-${tag}`, name: `Category ${tag}` });
  const service = await createService(tx, {
    slug: `${s.name.toLowerCase().replace(/\W+/g, '-')}-${tag}`,
    name: s.name,
    tagline: `${s.name}, delivered`,
    kind: 'cloud',
    categoryId: category.id,
    ownerTeamId: s.ownerTeamId,
    status: s.status ?? 'published',
  });
  const plan = await createPlan(tx, {
    serviceId: service.id,
    slug: 'small',
    name: 'Small',
    monthlyPrice: s.monthly ?? '38.00',
    leadTimeDays: 1,
    slaName: 'Gold',
    availability: '99.9%',
    supportHours: '24×7',
    responseHours: 1,
    resolutionHours: 8,
  });
  return { category, service, plan };
}
