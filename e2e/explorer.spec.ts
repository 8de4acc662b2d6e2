/**
 * The explorer panel for real: lesson 2's PID-namespace step in the learner's sandbox, and the
 * panel beside the terminals shows the new namespace (outlined, with the inode `readlink` prints)
 * and the bash in it with both of its PIDs, in the picture and in the table. The screenshot is
 * kept as a test artifact (test-results/e2e-artifacts/…/explorer-pid-namespace.png).
 */
import { expect, test } from '@playwright/test';
import { after, runButton, waitForPromptAfter, waitForText, waitReady } from './lab';

const UNSHARE = 'unshare --fork --pid --mount-proc bash';

test('the PID-namespace step shows the new namespace and both PIDs of its bash', async ({ page }, testInfo) => {
  await page.goto('/lessons/pid-namespaces?step=new-pid-namespace');
  await waitReady(page, '1');
  const explorer = page.getByRole('region', { name: 'Explorer' });
  await expect(explorer).toHaveAttribute('data-state', 'live');
  // Before the step: only the sandbox's own PID namespace.
  await expect(explorer.locator('[data-ns-type="pid"][data-ns-base="false"]')).toHaveCount(0);

  await runButton(page, UNSHARE).click();
  await waitForPromptAfter(page, '1', UNSHARE);
  await runButton(page, 'echo $$').click();
  const text = await waitForText(page, '1', /pid:\[(\d+)\]/);
  const inode = /pid:\[(\d+)\]/.exec(after(text, UNSHARE))?.[1];
  expect(inode).toBeDefined();

  // The new namespace, outlined because the step points at it, named as `ls -l /proc/PID/ns` does.
  const ns = explorer.locator(`[data-ns-type="pid"][data-ns-base="false"][data-ns-inode="${inode}"]`).first();
  await expect(ns).toBeVisible();
  await expect(ns).toHaveAttribute('data-highlighted', 'true');
  await expect(ns).toHaveAccessibleDescription(`pid:[${inode}]`);

  // Its bash: PID 1 inside, an ordinary larger PID in the sandbox.
  const bash = explorer.locator(`li.proc-row[data-nspid="1"][data-ns~="pid:[${inode}]"]`);
  await expect(bash).toHaveCount(1);
  const outer = Number(await bash.getAttribute('data-pid'));
  expect(outer).toBeGreaterThan(1);
  await expect(bash.getByRole('button', { name: `PID ${outer} in the sandbox, PID 1 in its own namespace: bash` })).toBeVisible();

  await explorer.screenshot({ path: testInfo.outputPath('explorer-pid-namespace.png') });
  await testInfo.attach('explorer-pid-namespace', { path: testInfo.outputPath('explorer-pid-namespace.png'), contentType: 'image/png' });

  // The same facts as a text table, reachable from the keyboard.
  const toggle = explorer.getByRole('button', { name: 'Show as table' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const processes = explorer.getByRole('table', { name: 'Processes' });
  const row = processes.locator(`tr[data-pid="${outer}"]`);
  await expect(row).toHaveAttribute('data-nspid', '1');
  await expect(row).toContainText('bash');
  await expect(row).toContainText(`pid:[${inode}]`);
  await expect(explorer.getByRole('table', { name: 'Namespaces' }).locator(`[data-ns-inode="${inode}"]`).first()).toBeVisible();
  // Back to the picture for whoever uses this browser next (the choice is remembered).
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});

test('the panel speaks Chinese on a Chinese page', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces?lang=zh');
  await waitReady(page, '1');
  const explorer = page.getByRole('region', { name: '内核视图' });
  await expect(explorer).toBeVisible();
  await expect(explorer.getByRole('button', { name: '显示为表格' })).toBeVisible();
});
