import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from './api/http';
import { SessionProvider, type Session } from './auth/session';
import { AppShell, visibleSections } from './components/AppShell';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { Empty, Loading } from './components/PageStates';

// One chunk per page: the first load carries the shell only.
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage'));
const ProductsPage = lazy(() => import('./pages/products/ProductsPage'));
const ProductPage = lazy(() => import('./pages/products/ProductPage'));
const ReleasePage = lazy(() => import('./pages/releases/ReleasePage'));
const RolloutsPage = lazy(() => import('./pages/rollouts/RolloutsPage'));
const RolloutPage = lazy(() => import('./pages/rollouts/RolloutPage'));
const RolloutWizard = lazy(() => import('./pages/rollouts/RolloutWizard'));
const AgentsPage = lazy(() => import('./pages/agents/AgentsPage'));
const AgentPage = lazy(() => import('./pages/agents/AgentPage'));
const SitesPage = lazy(() => import('./pages/sites/SitesPage'));
const TokensPage = lazy(() => import('./pages/tokens/TokensPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const WebhooksPage = lazy(() => import('./pages/webhooks/WebhooksPage'));

export function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal or a missing thing will not change by asking again at once.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App({ session }: { session: Session }) {
  const [client] = useState(newQueryClient);
  const home = visibleSections(session.roles)[0]?.path;
  return (
    <QueryClientProvider client={client}>
      <SessionProvider session={session}>
        <BrowserRouter>
          <AppShell>
            <Pages home={home} />
          </AppShell>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function Pages({ home }: { home: string | undefined }) {
  const location = useLocation();
  return (
    <PageErrorBoundary key={location.pathname}>
      <Suspense fallback={<Loading what="page" />}>
        <Routes>
          <Route path="/" element={home ? <Navigate to={home} replace /> : <NoRoles />} />
          <Route path="/overview" element={<OverviewPage />} />
          <Route path="/products" element={<ProductsPage />} />
          <Route path="/products/:product" element={<ProductPage />} />
          <Route path="/products/:product/releases/:version" element={<ReleasePage />} />
          <Route path="/rollouts" element={<RolloutsPage />} />
          <Route path="/rollouts/new" element={<RolloutWizard />} />
          <Route path="/rollouts/:id" element={<RolloutPage />} />
          <Route path="/agents" element={<AgentsPage />} />
          <Route path="/agents/:id" element={<AgentPage />} />
          <Route path="/sites" element={<SitesPage />} />
          <Route path="/tokens" element={<TokensPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/webhooks" element={<WebhooksPage />} />
          <Route path="*" element={<Empty title="No such page">Pick a section on the left.</Empty>} />
        </Routes>
      </Suspense>
    </PageErrorBoundary>
  );
}

function NoRoles() {
  return <Empty title="No Starling role">Your account has none of the Starling roles; ask an administrator for one.</Empty>;
}
