/** "Reset sandbox": the learner throws the sandbox away and gets a fresh one in the same page. */
import { expect, test } from '@playwright/test';
import { readTerminal, waitForText, waitReady } from './lab';

test('Reset sandbox replaces the sandbox: files gone, new PID namespace, terminal back quickly', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  await page.getByRole('region', { name: 'Terminal 1' }).locator('.xterm').click();
  await page.keyboard.type('echo kept > /root/marker; echo "ns=$(readlink /proc/self/ns/pid)"');
  await page.keyboard.press('Enter');
  const before = (await waitForText(page, '1', /^ns=pid:\[\d+\]$/m)).match(/^ns=(pid:\[\d+\])$/m)![1];

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Reset sandbox' }).click();
  await page.waitForEvent('load');
  const started = Date.now();
  await waitReady(page, '1');
  // A fresh sandbox starts in tens of milliseconds; the bound leaves room for page load on a busy VM.
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(await readTerminal(page, '1')).not.toContain('ns=pid:');

  await page.getByRole('region', { name: 'Terminal 1' }).locator('.xterm').click();
  await page.keyboard.type('cat /root/marker 2>&1; echo "ns=$(readlink /proc/self/ns/pid)"');
  await page.keyboard.press('Enter');
  const text = await waitForText(page, '1', /^ns=pid:\[\d+\]$/m);
  expect(text).toMatch(/No such file or directory/);
  expect(text.match(/^ns=(pid:\[\d+\])$/m)![1]).not.toBe(before);
});

test('Reset sandbox refuses a cross-site request', async ({ page, request }) => {
  await page.goto('/');
  const res = await request.post('/api/sandbox/reset', { headers: { Origin: 'http://evil.example' } });
  expect(res.status()).toBe(403);
});
