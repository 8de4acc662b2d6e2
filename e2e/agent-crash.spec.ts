/**
 * `kill -9` of the sandbox agent's worker while a learner works: the page reconnects by itself,
 * says the terminals now run in a new sandbox, and the terminal works again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { waitForText, waitReady } from './lab';

/** The agent worker of this test server (its environment names the e2e cgroup parent). */
function e2eWorkerPid(): number {
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('sandbox-agent/src/worker.ts') &&
          readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes('LAB_CGROUP_PARENT=container-lab-e2e')
        );
      } catch {
        return false;
      }
    });
  expect(pids, 'exactly one e2e agent worker').toHaveLength(1);
  return Number(pids[0]);
}

test('after the agent worker is SIGKILLed, the page reconnects to a fresh sandbox and says so', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  const term = page.getByRole('region', { name: 'Terminal 1' }).locator('.xterm');
  await term.click();
  await page.keyboard.type('echo before-$((40+2))');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^before-42$/m);

  const before = e2eWorkerPid();
  process.kill(before, 'SIGKILL');

  await expect(page.getByText(/now run in a new sandbox/)).toBeVisible({ timeout: 20_000 });
  await waitReady(page, '1', 20_000);
  expect(e2eWorkerPid()).not.toBe(before);
  await term.click();
  await page.keyboard.type('echo after-$((40+3))');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^after-43$/m, 20_000);
});
