import type { Delegation, DelegationBody, Delegations } from '@portico/shared';
import type { z } from 'zod';
import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import { forbidden, invalid, notFound, unauthorized } from '../../platform/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { people, personByEmail } from '../identity/index.ts';
import * as repo from './approvals.repo.ts';

const today = () => new Date().toISOString().slice(0, 10);

async function present(ex: Executor, rows: repo.DelegationRow[]): Promise<Delegation[]> {
  const who = await people(
    ex,
    rows.flatMap((r) => [r.fromUserId, r.toUserId]),
  );
  const now = today();
  return rows.map((r) => ({
    id: r.id,
    from: who.get(r.fromUserId)!,
    to: who.get(r.toUserId)!,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    note: r.note,
    active: r.startsOn <= now && now <= r.endsOn,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listDelegations(ex: Executor, actor: Actor): Promise<Delegations> {
  if (!actor.userId) throw unauthorized();
  const all = await present(ex, await repo.delegationsOf(ex, actor.userId, today()));
  return {
    given: all.filter((d) => d.from.id === actor.userId),
    received: all.filter((d) => d.to.id === actor.userId),
  };
}

export async function delegate(tx: Tx, actor: Actor, body: z.output<typeof DelegationBody>) {
  if (!actor.userId) throw unauthorized();
  const to = await personByEmail(tx, body.to);
  if (!to) throw invalid('to', `no active user ${body.to}`);
  if (to.id === actor.userId) throw invalid('to', 'you cannot delegate to yourself');
  if (body.endsOn < today()) throw invalid('endsOn', 'is in the past');
  const row = await repo.insertDelegation(tx, {
    fromUserId: actor.userId,
    toUserId: to.id,
    startsOn: body.startsOn,
    endsOn: body.endsOn,
    note: body.note,
  });
  await recordAudit(tx, actor, {
    action: 'delegation.created',
    entityType: 'delegation',
    entityId: row.id,
    after: { to: to.email, startsOn: body.startsOn, endsOn: body.endsOn },
  });
  return (await present(tx, [row]))[0]!;
}

export async function removeDelegation(tx: Tx, actor: Actor, id: string) {
  const row = await repo.findDelegation(tx, id);
  if (!row || (row.fromUserId !== actor.userId && !hasRole(actor, 'admin'))) {
    if (row && row.toUserId === actor.userId) throw forbidden('Only the person who delegated can end it');
    throw notFound('Delegation');
  }
  await repo.deleteDelegation(tx, id);
  await recordAudit(tx, actor, {
    action: 'delegation.removed',
    entityType: 'delegation',
    entityId: id,
    before: { toUserId: row.toUserId, startsOn: row.startsOn, endsOn: row.endsOn },
  });
}
