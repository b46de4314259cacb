import type { Tx } from '../../platform/db.ts';
import { setFulfilmentPlan } from './fulfilment.service.ts';

export const aManualFulfilment = (tx: Tx, planId: string, teamId: string) =>
  setFulfilmentPlan(tx, {
    planId,
    teamId,
    title: 'Provision',
    instructions: 'Provision it and record the hostname.',
    outputFields: [
      { key: 'hostname', label: 'Hostname', required: true },
      { key: 'ip', label: 'IP address', required: false },
    ],
  });
