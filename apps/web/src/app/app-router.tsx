import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './not-found.page.tsx';
import { RouteErrorPage } from './route-error.page.tsx';
import { LoginPage } from '../features/session/login.page.tsx';
import { StorefrontPage } from '../features/catalog/storefront.page.tsx';
import { CategoryPage } from '../features/catalog/category.page.tsx';
import { ServicePage } from '../features/catalog/service.page.tsx';
import { OrderListPage } from '../features/orders/order-list.page.tsx';
import { OrderPage } from '../features/orders/order.page.tsx';
import { ApprovalsPage } from '../features/approvals/approvals.page.tsx';
import { TasksPage } from '../features/tasks/tasks.page.tsx';
import { SubscriptionListPage } from '../features/subscriptions/subscription-list.page.tsx';
import { SubscriptionPage } from '../features/subscriptions/subscription.page.tsx';
import { TicketsPage } from '../features/tickets/tickets.page.tsx';
import { ProfilePage } from '../features/profile/profile.page.tsx';

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <StorefrontPage /> },
      { path: 'c/:slug', element: <CategoryPage /> },
      { path: 's/:slug', element: <ServicePage /> },
      { path: 'orders', element: <OrderListPage /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: 'approvals', element: <ApprovalsPage /> },
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
