/** Hitting a sandbox limit is never silent: the page says which limit and what happened. */
import { expect, test } from '@playwright/test';
import { waitForText, waitReady } from './lab';

test('a memory hog at the sandbox limit shows a message naming the limit', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  await page.getByRole('region', { name: 'Terminal 1' }).locator('.xterm').click();
  await page.keyboard.type(`python3 -c 'b = b"x" * (400 << 20)'; echo "status=$?"`);
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^status=137$/m, 20_000);
  await expect(page.getByRole('alert').filter({ hasText: 'Your sandbox hit its 256 MiB memory limit: a process was killed' })).toBeVisible({
    timeout: 10_000,
  });
});
