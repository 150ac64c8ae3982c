/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The control plane serves the build at / and the API from the same origin; `npm run dev`
// proxies the API to a control plane on 127.0.0.1:8080 (deploy/quickstart.sh up).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    // Hashed names under /assets: the control plane serves them with a one-year immutable cache.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    // Typing into PatternFly forms in jsdom takes seconds on a busy 2-core build machine (CI saw
    // 5 s): bound each test generously rather than by Vitest's 5 s default.
    testTimeout: 30_000,
  },
});
