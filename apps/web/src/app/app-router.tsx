import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found.page.tsx';
import { RouteErrorPage } from './route-error.page.tsx';
import { LoadingState } from '../components/states.tsx';
import { LoginPage } from '../features/session/login.page.tsx';
import { StorefrontPage } from '../features/catalog/storefront.page.tsx';
import { CategoryPage } from '../features/catalog/category.page.tsx';
import { ServicePage } from '../features/catalog/service.page.tsx';
import { SearchPage } from '../features/catalog/search.page.tsx';
import { ComparePage } from '../features/catalog/compare.page.tsx';
import { OrderListPage } from '../features/orders/order-list.page.tsx';
import { OrderPage } from '../features/orders/order.page.tsx';
import { ApprovalsPage } from '../features/approvals/approvals.page.tsx';
import { ApprovalPage } from '../features/approvals/approval.page.tsx';
import { CartPage } from '../features/cart/cart.page.tsx';
import { TasksPage } from '../features/tasks/tasks.page.tsx';
import { SubscriptionListPage } from '../features/subscriptions/subscription-list.page.tsx';
import { SubscriptionPage } from '../features/subscriptions/subscription.page.tsx';
import { TicketsPage } from '../features/tickets/tickets.page.tsx';
import { ProfilePage } from '../features/profile/profile.page.tsx';

const editorPage = () =>
  import('../features/catalog-admin/service-editor.page.tsx').then((m) => ({
    Component: m.ServiceEditorPage,
  }));

const policyEditorPage = () =>
  import('../features/policies/policy-editor.page.tsx').then((m) => ({ Component: m.PolicyEditorPage }));

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    // Shown while a lazily loaded page is fetched on a first load straight into it.
    hydrateFallbackElement: (
      <div className="fullpage-center">
        <LoadingState label="Opening Portico…" />
      </div>
    ),
    children: [
      { index: true, element: <StorefrontPage /> },
      { path: 'c/:slug', element: <CategoryPage /> },
      { path: 's/:slug', element: <ServicePage /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'compare', element: <ComparePage /> },
      // Catalogue managers' pages load on first use: most people never open them.
      {
        path: 'catalogue-admin',
        lazy: () =>
          import('../features/catalog-admin/catalog-admin.page.tsx').then((m) => ({
            Component: m.CatalogAdminPage,
          })),
      },
      { path: 'catalogue-admin/new', lazy: editorPage },
      { path: 'catalogue-admin/services/:slug', lazy: editorPage },
      {
        path: 'catalogue-admin/import',
        lazy: () =>
          import('../features/catalog-admin/catalog-import.page.tsx').then((m) => ({
            Component: m.CatalogImportPage,
          })),
      },
      {
        path: 'catalogue-admin/import/broker',
        lazy: () =>
          import('../features/catalog-admin/broker-import.page.tsx').then((m) => ({
            Component: m.BrokerImportPage,
          })),
      },
      {
        path: 'admin/adapters',
        lazy: () =>
          import('../features/adapters/adapters.page.tsx').then((m) => ({ Component: m.AdaptersPage })),
      },
      // Approval policies, the business calendar and budgets: for a few people, loaded on first use.
      {
        path: 'admin/policies',
        lazy: () =>
          import('../features/policies/policies.page.tsx').then((m) => ({ Component: m.PoliciesPage })),
      },
      { path: 'admin/policies/new', lazy: policyEditorPage },
      { path: 'admin/policies/:id', lazy: policyEditorPage },
      {
        path: 'cost-centres',
        lazy: () =>
          import('../features/budgets/budgets.page.tsx').then((m) => ({ Component: m.BudgetsPage })),
      },
      // Costs for cost-centre owners, billing for finance: loaded on first use.
      {
        path: 'costs',
        lazy: () => import('../features/costs/costs.page.tsx').then((m) => ({ Component: m.CostsPage })),
      },
      {
        path: 'costs/:code',
        lazy: () =>
          import('../features/costs/cost-centre.page.tsx').then((m) => ({ Component: m.CostCentrePage })),
      },
      {
        path: 'billing',
        lazy: () =>
          import('../features/billing/billing.page.tsx').then((m) => ({ Component: m.BillingPage })),
      },
      { path: 'cart', element: <CartPage /> },
      { path: 'orders', element: <OrderListPage /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: 'approvals', element: <ApprovalsPage /> },
      { path: 'approvals/:id', element: <ApprovalPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'services', element: <SubscriptionListPage /> },
      { path: 'services/:id', element: <SubscriptionPage /> },
      { path: 'tickets', element: <TicketsPage /> },
      { path: 'profile', element: <ProfilePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
