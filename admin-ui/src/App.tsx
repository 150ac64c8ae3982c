import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, matchPath, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from './api/http';
import { SessionProvider, type Session } from './auth/session';
import { AppShell, visibleSections } from './components/AppShell';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { Empty, Loading } from './components/PageStates';

// One chunk per page: the first load carries the shell only. Each page's loader is named once
// here, so that preloadPage can start the chunk while keycloak-js is still signing in.
const pages = {
  '/overview': () => import('./pages/overview/OverviewPage'),
  '/products': () => import('./pages/products/ProductsPage'),
  '/products/:product': () => import('./pages/products/ProductPage'),
  '/products/:product/releases/:version': () => import('./pages/releases/ReleasePage'),
  '/rollouts': () => import('./pages/rollouts/RolloutsPage'),
  // Before '/rollouts/:id', as Routes ranks it: the first pattern that matches wins in pageFor.
  '/rollouts/new': () => import('./pages/rollouts/RolloutWizard'),
  '/rollouts/:id': () => import('./pages/rollouts/RolloutPage'),
  '/agents': () => import('./pages/agents/AgentsPage'),
  '/agents/:id': () => import('./pages/agents/AgentPage'),
  '/swarms': () => import('./pages/swarms/SwarmsPage'),
  '/sites': () => import('./pages/sites/SitesPage'),
  '/tokens': () => import('./pages/tokens/TokensPage'),
  '/audit': () => import('./pages/audit/AuditPage'),
  '/webhooks': () => import('./pages/webhooks/WebhooksPage'),
};
const OverviewPage = lazy(pages['/overview']);
const ProductsPage = lazy(pages['/products']);
const ProductPage = lazy(pages['/products/:product']);
const ReleasePage = lazy(pages['/products/:product/releases/:version']);
const RolloutsPage = lazy(pages['/rollouts']);
const RolloutPage = lazy(pages['/rollouts/:id']);
const RolloutWizard = lazy(pages['/rollouts/new']);
const AgentsPage = lazy(pages['/agents']);
const AgentPage = lazy(pages['/agents/:id']);
const SwarmsPage = lazy(pages['/swarms']);
const SitesPage = lazy(pages['/sites']);
const TokensPage = lazy(pages['/tokens']);
const AuditPage = lazy(pages['/audit']);
const WebhooksPage = lazy(pages['/webhooks']);

/** The route pattern of the page at `pathname`, if it is one of the pages. */
export function pageFor(pathname: string): keyof typeof pages | undefined {
  return (Object.keys(pages) as (keyof typeof pages)[]).find((pattern) => matchPath(pattern, pathname));
}

/**
 * Starts loading the chunk of the page at `pathname`: after the login redirect it then arrives
 * while the code is exchanged for a token, instead of after (the module is loaded once either way).
 */
export function preloadPage(pathname: string): void {
  const pattern = pageFor(pathname);
  if (pattern) pages[pattern]().catch(() => undefined); // a failed load shows when the page renders
}

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
          <Route path="/swarms" element={<SwarmsPage />} />
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
