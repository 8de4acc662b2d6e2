/**
 * Lesson 2 for real: a PID namespace in the learner's sandbox, seen from inside (terminal 1) and
 * from outside (terminal 2), surviving a page reload. One browser context (one learner, one
 * sandbox) shared by the steps, in order.
 */
import { expect, test } from '@playwright/test';
import { after, goToStep, readTerminal, runButton, sharedTab, waitForPromptAfter, waitForText, waitReady } from './lab';

const UNSHARE = 'unshare --fork --pid --mount-proc bash';

test.describe.serial('lesson 2: PID namespaces', () => {
  const tab = sharedTab();

  test('in a new PID namespace, bash is PID 1 and ps is PID 2', async () => {
    const page = tab.page;
    await page.goto('/lessons/pid-namespaces');
    await waitReady(page, '1', 10_000);
    await goToStep(page, 'A world where bash is PID 1');

    const run = runButton(page, UNSHARE);
    await expect(run).toHaveAccessibleName('Run');
    await expect(run).toHaveAccessibleDescription(UNSHARE);
    await run.click();
    await waitForPromptAfter(page, '1', UNSHARE);

    await runButton(page, 'ps aux').click();
    const text = await waitForText(page, '1', /ps aux[\s\S]*^\s*root\s+2\s.*ps aux/m);
    const inside = after(text, UNSHARE);
    expect(inside).toMatch(/^\s*root\s+1\s.*bash/m);
    expect(inside).toMatch(/^\s*root\s+2\s.*ps aux/m);
  });

  test('terminal 2 sees the same bash under another PID', async () => {
    const page = tab.page;
    await goToStep(page, 'One bash, two numbers');
    // This step types into terminal 2: its first Run button opens it.
    await runButton(page, 'ps -ef --forest').click();
    await expect(page.getByRole('region', { name: 'Terminal 2' })).toBeVisible();
    await waitReady(page, '2');
    await waitForText(page, '2', /unshare --fork --pid --mount-proc bash/);

    await runButton(page, 'INNER=$(pgrep').click();
    const shown = await waitForText(page, '2', /^terminal 1's PID 1 is PID (\d+) out here$/m);
    const outsidePid = Number(/^terminal 1's PID 1 is PID (\d+) out here$/m.exec(shown)?.[1]);
    expect(outsidePid).toBeGreaterThan(1);

    await runButton(page, 'grep NSpid /proc/$INNER/status').click();
    const nspid = await waitForText(page, '2', /^NSpid:\s+\d+\s+1\s*$/m);
    expect(nspid).toMatch(new RegExp(`^NSpid:\\s+${outsidePid}\\s+1\\s*$`, 'm'));
  });

  test('after a reload both terminals come back with their output', async () => {
    const page = tab.page;
    const before1 = await readTerminal(page, '1');
    expect(before1).toMatch(/^\s*root\s+2\s.*ps aux/m);
    await page.reload();
    await waitReady(page, '1');
    await expect(page.getByRole('region', { name: 'Terminal 2' })).toBeVisible();
    await waitReady(page, '2');
    await waitForText(page, '1', /^\s*root\s+2\s.*ps aux/m);
    await waitForText(page, '2', /^NSpid:\s+\d+\s+1\s*$/m);
    // The reload kept the step, too.
    await expect(page.getByRole('heading', { level: 2, name: 'One bash, two numbers' })).toBeVisible();
  });

  test('the screen reader toggle turns on xterm.js accessibility and is remembered', async () => {
    const page = tab.page;
    const toggle = page.getByRole('button', { name: 'Screen reader mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('.xterm-accessibility')).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.xterm-accessibility').first()).toBeAttached();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Screen reader mode' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.xterm-accessibility').first()).toBeAttached();
    await page.getByRole('button', { name: 'Screen reader mode' }).click();
    await expect(page.locator('.xterm-accessibility')).toHaveCount(0);
  });
});
