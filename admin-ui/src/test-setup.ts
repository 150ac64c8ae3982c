import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// findBy…/waitFor give up after 1 s by default; on a loaded 2-core build machine a form's answer
// can take longer to render (CI saw it). Waiting longer only slows a test that would fail anyway.
configure({ asyncUtilTimeout: 10_000 });
