/**
 * Helpers for lesson-page tests. Terminals are read through `window.__lab` (the whole buffer as
 * text), the way xterm.js's own end-to-end tests read buffers instead of pixels.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { LabTestApi } from '../components/terminal/lab-context';

type LabWindow = Window & { __lab?: LabTestApi };

export async function readTerminal(page: Page, id: string): Promise<string> {
  return page.evaluate((t) => (window as LabWindow).__lab?.read(t) ?? '', id);
}

export async function waitReady(page: Page, id: string, timeout = 15_000): Promise<void> {
  await expect
    .poll(() => page.evaluate((t) => (window as LabWindow).__lab?.ready(t) ?? false, id), { timeout, message: `terminal ${id} becomes ready` })
    .toBe(true);
}

/** Wait until terminal `id` shows `pattern`; returns the buffer text. */
export async function waitForText(page: Page, id: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  await expect.poll(() => readTerminal(page, id), { timeout, message: `terminal ${id} shows ${pattern}` }).toMatch(pattern);
  return readTerminal(page, id);
}

/** Text printed after the last line that contains `marker` (a command we typed). */
export function after(text: string, marker: string): string {
  const at = text.lastIndexOf(marker);
  return at < 0 ? '' : text.slice(at + marker.length);
}

/** Wait for a shell prompt after the last `marker`: the command finished (or the new shell started). */
export async function waitForPromptAfter(page: Page, id: string, marker: string, timeout = 15_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const rest = after(await readTerminal(page, id), marker);
        return rest.includes('\n') && /[#$]\s*$/.test(rest);
      },
      { timeout, message: `a prompt follows "${marker}" in terminal ${id}` },
    )
    .toBe(true);
}

/** The Run button beside the code block whose text starts with `command`. */
export function runButton(page: Page, command: string): Locator {
  return page
    .locator('.code-block')
    .filter({ has: page.locator('code').filter({ hasText: new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }) })
    .getByRole('button', { name: 'Run' });
}

export async function goToStep(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: title }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

/**
 * One browser tab for a whole `test.describe.serial` block, so its tests walk through a lesson
 * with one learner (one cookie, one sandbox). Call inside the describe; read `.page` in tests.
 */
export function sharedTab(): { readonly page: Page } {
  const tab: { page?: Page } = {};
  let close: (() => Promise<void>) | undefined;
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext();
    close = () => context.close();
    tab.page = await context.newPage();
  });
  test.afterAll(async () => {
    await close?.();
  });
  return {
    get page(): Page {
      if (!tab.page) throw new Error('sharedTab(): the page exists only inside tests');
      return tab.page;
    },
  };
}
