import { defineConfig } from '@playwright/test';

// The browser: Debian's Chromium by default; any Chrome/Chromium through RERANK_BROWSER (and extra flags through
// RERANK_BROWSER_ARGS, space separated) for runs on a machine with a real GPU. See the README.
const executablePath = process.env.RERANK_BROWSER ?? '/usr/bin/chromium';
const extraArgs = (process.env.RERANK_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean);
// RERANK_PORT_BASE moves them all, so that two checkouts can run their suites side by side on one machine.
const base = Number(process.env.RERANK_PORT_BASE ?? 4173);
export const PORTS = { site: base, siteNoIsolation: base + 1, siteCsp: base + 2, staticHost: base + 3, staticHostHeaders: base + 4, hub: base + 7 };

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/support/global-setup.ts',
  // Screenshots and traces; test-results/ itself also holds the unit and parity reports.
  outputDir: 'test-results/e2e-artifacts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORTS.site}`,
    headless: true,
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--enable-unsafe-webgpu',
        // This machine has no network: without these Chromium keeps trying Google's hosts.
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        ...extraArgs,
      ],
    },
  },
  projects: [
    { name: 'chromium', grepInvert: /@gpu/ },
    // Needs a hardware adapter; on SwiftShader its tests skip and say why.
    { name: 'gpu', grep: /@gpu/ },
  ],
  webServer: [
    { command: `npx vite preview --mode test --port ${PORTS.site} --strictPort --host 127.0.0.1`, url: `http://127.0.0.1:${PORTS.site}/e2e/harness.html`, reuseExistingServer: !process.env.CI },
    {
      command: `npx vite preview --mode test --port ${PORTS.siteNoIsolation} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORTS.siteNoIsolation}/e2e/harness.html`,
      env: { RERANK_NO_COI: '1' },
      reuseExistingServer: !process.env.CI,
    },
    {
      command: `npx vite preview --mode test --port ${PORTS.siteCsp} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${PORTS.siteCsp}/e2e/harness.html`,
      env: { RERANK_CSP: `http://127.0.0.1:${PORTS.hub}` },
      reuseExistingServer: !process.env.CI,
    },
    { command: `npx tsx e2e/support/hub-server.ts ${PORTS.hub}`, url: `http://127.0.0.1:${PORTS.hub}/__requests`, reuseExistingServer: !process.env.CI },
  ],
});
