import { Alert, AlertActionLink, PageSection } from '@patternfly/react-core';
import { Component, type ReactNode } from 'react';

interface State {
  error?: unknown;
}

/**
 * A page that fails to render, or whose chunk cannot be loaded (an open tab still naming the
 * previous build's file hashes after an upgrade), shows why and offers a reload instead of a
 * blank page. Keyed by the location, so moving to another page starts afresh.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  render() {
    if (this.state.error === undefined) return this.props.children;
    const message = this.state.error instanceof Error ? this.state.error.message : String(this.state.error);
    const outdated = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(message);
    return (
      <PageSection>
        <Alert
          variant="danger"
          title={outdated ? 'The console was updated: reload to get the new version' : 'This page failed'}
          actionLinks={<AlertActionLink onClick={() => window.location.reload()}>Reload</AlertActionLink>}
        >
          {message}
        </Alert>
      </PageSection>
    );
  }
}
