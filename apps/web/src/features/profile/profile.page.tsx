import type { Role } from '@portico/shared';
import { useCurrentUser } from '../session/current-user.ts';
import { ApiTokensSection } from './api-tokens-section.tsx';
import { DelegationsSection } from './delegations-section.tsx';
import { PageHeader } from '../../components/page-header.tsx';

const roleLabels: Record<Role, string> = {
  requester: 'Requester',
  approver: 'Approver',
  fulfiller: 'Fulfiller',
  catalog_manager: 'Catalogue manager',
  finance: 'Finance',
  admin: 'Admin',
  usage_reporter: 'Usage reporter',
};

export function ProfilePage() {
  const me = useCurrentUser();
  return (
    <div>
      <PageHeader title="Profile" subtitle={`${me.name} · ${me.email}`} />
      <div className="order-layout">
        <section className="card" aria-labelledby="whoami-title">
          <h2 className="card__title" id="whoami-title">
            Who you are in Portico
          </h2>
          <dl className="facts">
            <div>
              <dt>Name</dt>
              <dd>{me.name}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{me.email}</dd>
            </div>
            <div className="facts__wide">
              <dt>Roles</dt>
              <dd className="badge-row">
                {me.roles.map((r) => (
                  <span key={r} className="badge badge--soft">
                    {roleLabels[r] ?? r}
                  </span>
                ))}
              </dd>
            </div>
            <div>
              <dt>Department</dt>
              <dd>{me.department ? `${me.department.name} (${me.department.code})` : '—'}</dd>
            </div>
            <div>
              <dt>Manager</dt>
              <dd>{me.manager ? me.manager.name : '—'}</dd>
            </div>
            <div>
              <dt>Default cost centre</dt>
              <dd>
                {me.defaultCostCentre ? `${me.defaultCostCentre.code} — ${me.defaultCostCentre.name}` : '—'}
              </dd>
            </div>
            <div>
              <dt>Can charge</dt>
              <dd>
                {me.chargeableCostCentres.length
                  ? me.chargeableCostCentres.map((c) => c.code).join(', ')
                  : 'No cost centres'}
              </dd>
            </div>
            <div className="facts__wide">
              <dt>Teams</dt>
              <dd>{me.teams.length ? me.teams.map((t) => t.name).join(', ') : 'None'}</dd>
            </div>
          </dl>
        </section>
        <div className="stack">
          <DelegationsSection />
          <ApiTokensSection />
        </div>
      </div>
    </div>
  );
}
