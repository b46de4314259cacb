import { randomUUID } from 'node:crypto';
import type { Role } from '@portico/shared';
import type { Tx } from '../../platform/db.ts';
import { createTeam, createUser } from './identity.service.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export function aPerson(tx: Tx, p: { name: string; roles?: Role[]; managerId?: string }) {
  const email = `${p.name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@test.example`;
  return createUser(tx, {
    email,
    name: p.name,
    password: TEST_PASSWORD,
    roles: p.roles ?? ['requester'],
    managerId: p.managerId ?? null,
  });
}

export const aTeam = (tx: Tx, members: string[], key = `team-${randomUUID().slice(0, 8)}`) =>
  createTeam(tx, { key, name: `Team ${key}`, members });
