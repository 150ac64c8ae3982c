import { Bullseye, EmptyState, EmptyStateBody, EmptyStateFooter, Spinner } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { ProblemAlert } from './ProblemAlert';

export function Loading({ what }: { what: string }) {
  return (
    <Bullseye>
      <Spinner aria-label={`Loading ${what}`} />
    </Bullseye>
  );
}

export function Empty({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState titleText={title} headingLevel="h2">
      {children && <EmptyStateBody>{children}</EmptyStateBody>}
      {action && <EmptyStateFooter>{action}</EmptyStateFooter>}
    </EmptyState>
  );
}

interface QueryLike<T> {
  isPending: boolean;
  error: unknown;
  data: T | undefined;
}

/** Loading, error or the content of one query: every page shows these the same way. */
export function QueryView<T>({ query, what, children }: { query: QueryLike<T>; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error || query.data === undefined) return <ProblemAlert error={query.error} title={`Could not load ${what}`} />;
  return <>{children(query.data)}</>;
}
