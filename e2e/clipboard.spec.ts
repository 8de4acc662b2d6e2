/** Copy with Ctrl+Shift+C, paste with Ctrl+Shift+V, and the right-click menu. */
import { expect, test } from '@playwright/test';
import { readTerminal, waitForPromptAfter, waitForText, waitReady } from './lab';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('select, Ctrl+Shift+C copies and Ctrl+Shift+V pastes', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  const pane = page.getByRole('region', { name: 'Terminal 1' });
  await pane.locator('.xterm').click();
  await page.keyboard.type('echo hello-clipboard');
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^hello-clipboard$/m);
  await waitForPromptAfter(page, '1', '\nhello-clipboard');

  // Double-click selects the word under the pointer: the output line's first character.
  const row = pane.locator('.xterm-rows > div').filter({ hasText: /^hello-clipboard\s*$/ });
  const box = await row.boundingBox();
  if (!box) throw new Error('the output row is not on screen');
  await page.mouse.dblclick(box.x + 4, box.y + box.height / 2);
  await page.keyboard.press('Control+Shift+KeyC');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('hello-clipboard');

  await page.keyboard.type('echo pasted:');
  await page.keyboard.press('Control+Shift+KeyV');
  // Reading the clipboard is asynchronous: wait for the pasted text before pressing Enter.
  await waitForText(page, '1', /echo pasted:hello-clipboard$/m);
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^pasted:hello-clipboard$/m);
  // The chords themselves never reached the shell (no stray ^C that would cancel the line).
  expect(await readTerminal(page, '1')).not.toContain('^C');
});

test('the right-click menu copies, pastes, selects all and clears', async ({ page }) => {
  await page.goto('/lessons/pid-namespaces');
  await waitReady(page, '1');
  const pane = page.getByRole('region', { name: 'Terminal 1' });
  await page.evaluate(() => navigator.clipboard.writeText('echo from-the-menu'));
  await pane.locator('.xterm').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Terminal menu' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Copy' })).toBeDisabled();
  await menu.getByRole('menuitem', { name: 'Paste' }).click();
  await expect(menu).toBeHidden();
  await page.keyboard.press('Enter');
  await waitForText(page, '1', /^from-the-menu$/m);

  await pane.locator('.xterm').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Select all' }).click();
  await pane.locator('.xterm').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Copy' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('from-the-menu');

  await pane.locator('.xterm').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Clear' }).click();
  await expect.poll(() => readTerminal(page, '1')).not.toContain('from-the-menu');

  await pane.locator('.xterm').click({ button: 'right' });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});
