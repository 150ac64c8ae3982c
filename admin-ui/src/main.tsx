import '@patternfly/react-core/dist/styles/base.css';
import { Alert, Bullseye } from '@patternfly/react-core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadPage } from './App';
import { signIn } from './auth/keycloak';
import { applyTheme, prefersDark } from './components/theme';

// Before anything renders, so that a dark desktop never flashes a white page.
applyTheme(prefersDark());

const root = createRoot(document.getElementById('root')!);
preloadPage(window.location.pathname);

signIn()
  .then((session) =>
    root.render(
      <StrictMode>
        <App session={session} />
      </StrictMode>,
    ),
  )
  .catch((e: unknown) =>
    root.render(
      <Bullseye>
        <Alert variant="danger" title="Could not sign in">
          {e instanceof Error ? e.message : String(e)}. Is Keycloak running? Reload the page to try again.
        </Alert>
      </Bullseye>,
    ),
  );
