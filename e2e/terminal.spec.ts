/** Terminal behaviour beyond the lesson: flow control, exit and restart, more terminals. */
import { expect, test } from '@playwright/test';
import { readTerminal, waitForText, waitReady } from './lab';

test.beforeEach(async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  await page.getByRole('region', { name: 'Terminal 1' }).locator('.xterm').click();
});

test('Ctrl-C stops a `yes` flood promptly (flow control end to end)', async ({ page }) => {
  await page.keyboard.type('yes');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^y$/m);
  await page.waitForTimeout(2000); // let the flood fill every buffer on the way
  const started = Date.now();
  await page.keyboard.press('Control+c');
  await page.keyboard.type('echo stopped-$((6*7))');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^stopped-42$/m, 10_000);
  // A pty floods at ~60 MB/s and xterm.js parses under 10 MB/s here, so without flow control the
  // 2 s flood would leave a backlog of many seconds (terminal.md §5.4). With it the backlog is at
  // most HIGH_WATERMARK: typically ~0.1 s; the bound leaves room for a busy 2-vCPU machine.
  expect(Date.now() - started).toBeLessThan(3_000);
});

test('after `exit`, Enter starts a new shell in the same pane', async ({ page }) => {
  const pane = page.getByRole('region', { name: 'Terminal 1' });
  await page.keyboard.type('echo first-shell');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^first-shell$/m);
  await page.keyboard.type('exit');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /\[process exited, press Enter to start a new shell\]/);
  await expect(pane.getByRole('status')).toHaveText('The shell exited. Press Enter in the terminal to start a new one.');
  await page.keyboard.press('Enter');
  await waitReady(page, '1');
  await page.keyboard.type('echo second-shell');
  await page.keyboard.press('Enter');
  const text = await waitForText(page, '1', /^second-shell$/m);
  // The old shell's output stays above the new one.
  expect(text.indexOf('first-shell')).toBeLessThan(text.indexOf('second-shell'));
});

test('New terminal opens the next id, and a refusal from the server is shown', async ({ page }) => {
  const newTerminal = page.getByRole('button', { name: 'New terminal' });
  await newTerminal.click();
  await expect(page.getByRole('region', { name: 'Terminal 2' })).toBeVisible();
  await waitReady(page, '2');
  await page.getByRole('region', { name: 'Terminal 2' }).locator('.xterm').click();
  await page.keyboard.type('echo in-two');
  await page.keyboard.press('Enter');
  await waitForText(page, '2', /^in-two$/m);
  expect(await readTerminal(page, '1')).not.toContain('in-two');

  // Keep opening terminals until the sandbox's limit refuses one (the server closes with 4029).
  for (let id = 3; id <= 9; id++) {
    await newTerminal.click();
    const pane = page.getByRole('region', { name: `Terminal ${id}` });
    await expect(pane).toBeVisible();
    await expect(pane).toHaveAttribute('data-state', /^(ready|failed)$/);
    if ((await pane.getAttribute('data-state')) === 'failed') {
      await expect(pane.getByRole('alert')).toContainText(/terminal/i);
      await pane.getByRole('button', { name: 'Close' }).click();
      await expect(pane).toHaveCount(0);
      return;
    }
  }
  expect(await page.getByRole('region', { name: /^Terminal \d$/ }).count()).toBe(9);
  await expect(newTerminal).toBeDisabled();
});
