import { useSearchParams } from 'react-router';
import { CostCentresTab } from './cost-centres-tab.tsx';
import { MonthsTab } from './months-tab.tsx';
import { RateCardsTab } from './rate-cards-tab.tsx';
import { RequireRole } from '../session/require-role.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { Tabs } from '../../components/tabs.tsx';

const tabs = [
  { value: 'cost-centres', label: 'Cost centres', to: '/billing' },
  { value: 'months', label: 'Months', to: '/billing?tab=months' },
  { value: 'rate-cards', label: 'Rate cards', to: '/billing?tab=rate-cards' },
];

/** Finance's billing: every cost centre's costs, closing months and their exports, rate cards. */
export function BillingPage() {
  return (
    <RequireRole roles={['finance', 'admin']} title="Billing" who="For finance" page={<Billing />}>
      Billing is where finance closes months and keeps the rate cards. Your own cost centres are under Costs.
    </RequireRole>
  );
}

function Billing() {
  const [params] = useSearchParams();
  const tab = tabs.find((t) => t.value === params.get('tab'))?.value ?? 'cost-centres';
  return (
    <div>
      <PageHeader
        title="Billing"
        subtitle="Every cost centre's month, month close and exports, and the rate cards usage is priced with."
      />
      <Tabs label="Billing" value={tab} items={tabs} />
      {tab === 'cost-centres' && <CostCentresTab />}
      {tab === 'months' && <MonthsTab />}
      {tab === 'rate-cards' && <RateCardsTab />}
    </div>
  );
}
