import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { vi } from 'vitest';
import { SessionProvider } from '../auth/session';

/** Renders a page at a URL for a user with these roles, as the app would. */
export function renderPage(page: ReactElement, { roles, route = '/', path = '/' }: { roles: string[]; route?: string; path?: string }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <SessionProvider session={{ username: 'tester', roles, logout: vi.fn() }}>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={page} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

/** Answers fetch() by path with JSON bodies (and extra headers by path); anything unlisted is a 404 problem. */
export function stubApi(routes: Record<string, unknown>, headers: Record<string, Record<string, string>> = {}) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    const path = String(input).split('?')[0];
    if (path in routes)
      return new Response(JSON.stringify(routes[path]), { status: 200, headers: { 'Content-Type': 'application/json', ...headers[path] } });
    return new Response(JSON.stringify({ status: 404, title: 'Not Found', detail: `no stub for ${path}` }), {
      status: 404,
      headers: { 'Content-Type': 'application/problem+json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
