/**
 * End-to-end tests: the real custom server (Next + /ws gateway + embedded sandbox agent) and
 * Debian's Chromium. Tests read terminal buffers through window.__lab, never pixels. The web
 * build must exist (`next build`); npm test runs the set-up that makes it.
 */
import { defineConfig } from '@playwright/test';
import { randomBytes } from 'node:crypto';

const PORT = 3100;

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium: never `npx playwright install` (the classroom VM is offline).
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --import tsx server/main.ts',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    // Its own data dir, cgroup parent and id ranges: the test server's start-up sweep must never
    // touch the sandboxes of a server already running on this machine.
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LAB_DATA_DIR: '.lab/e2e',
      LAB_AGENT_TOKEN: process.env.LAB_AGENT_TOKEN ?? randomBytes(24).toString('hex'),
      LAB_CGROUP_PARENT: 'container-lab-e2e',
      LAB_UID_BASE: '3500000',
      LAB_SUBID_BASE: '1700000000',
    },
    timeout: 120_000,
    // SIGTERM, not the default SIGKILL: the server then stops its agent, which tears down every
    // sandbox the tests made (processes, cgroups, mounts) instead of leaving them to a later sweep.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
