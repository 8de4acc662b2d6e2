/**
 * The whole course, as a learner does it, in each language: the language comes from the
 * browser (Accept-Language), every lesson is opened from the course page, every step's Run
 * buttons are clicked top to bottom, and every step must then show "Passed" (auto-check, or the
 * Check button). One browser context per language: one learner, one sandbox for all lessons,
 * so what a lesson leaves behind must not break the next. Finally the course page counts every
 * step as passed, after a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Lesson } from '../protocol/lesson';
import { listLessons } from '../server/lessons';
import { UI } from '../components/ui-text';
import { readTerminal, waitReady } from './lab';

/** Typing at a learner's pace through every step of every lesson takes a few minutes. */
const COURSE_MS = 20 * 60_000;
const PASS_WITHIN_MS = 30_000;

/** Wait until terminal `id` has printed nothing new for `quietMs` (a ping never ends: cap it). */
async function settle(page: Page, id: string, quietMs = 400, maxMs = 8_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = await readTerminal(page, id);
  let since = Date.now();
  while (Date.now() < deadline) {
    await page.waitForTimeout(100);
    const now = await readTerminal(page, id);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
  }
}

async function completeStep(page: Page, lesson: Lesson, index: number, locale: 'en' | 'zh'): Promise<void> {
  const text = UI[locale];
  const step = lesson.steps[index]!;
  const title = step.title[locale];
  await page.getByRole('navigation', { name: text.stepsNav }).getByRole('listitem').nth(index).getByRole('button').click();
  const article = page.getByRole('article');
  await expect(article.getByRole('heading', { level: 2, name: title })).toBeVisible();

  // The step text's Run buttons only (a solution's are not on the page unless asked for).
  const buttons = article.locator('.step-body .run-button');
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    const button = buttons.nth(i);
    const terminal = (await button.getAttribute('data-terminal')) ?? '1';
    // "Run" / "运行", or the variant that sends Ctrl-C first.
    const ctrlC = ((await button.getAttribute('class')) ?? '').includes('run-button-ctrl-c');
    await expect(button).toHaveAccessibleName(ctrlC ? text.ctrlCRun : text.run);
    await button.click();
    // Busy until the keystrokes went out (after opening the terminal if it was not yet open).
    await expect(button).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
    await settle(page, terminal);
  }

  // The auto-check runs every 5 s; a click asks at once. Either way "Passed" must appear.
  const status = article.getByRole('status');
  const deadline = Date.now() + PASS_WITHIN_MS;
  while (!((await status.textContent()) ?? '').includes(text.checkPassed)) {
    if (Date.now() > deadline) {
      const terminals = await Promise.all(['1', '2', '3'].map(async (id) => `--- terminal ${id} ---\n${(await readTerminal(page, id)).slice(-1500)}`));
      throw new Error(`${lesson.slug}/${step.id} (${locale}) did not pass: "${await status.textContent()}"\n${terminals.join('\n')}`);
    }
    await article.getByRole('button', { name: text.check, exact: true }).click();
    await expect(status).toContainText(text.checkPassed, { timeout: 3_000 }).catch(() => undefined);
  }
  await expect(page.getByRole('navigation', { name: text.stepsNav }).getByRole('listitem').nth(index)).toContainText('✓');
}

for (const locale of ['en', 'zh'] as const) {
  test(`the whole course, every step passed by clicking its Run buttons (${locale})`, async ({ browser }) => {
    test.setTimeout(COURSE_MS);
    const text = UI[locale];
    const lessons = await listLessons();
    const context = await browser.newContext({ locale: locale === 'zh' ? 'zh-CN' : 'en-US' });
    const page = await context.newPage();
    try {
      // The browser's language picks the course's: no ?lang= anywhere in this test.
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', locale === 'zh' ? 'zh-CN' : 'en');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text.courseTitle);

      for (const lesson of lessons) {
        const title = lesson.title[locale];
        await page.goto('/');
        await page.getByRole('main').getByRole('link', { name: title, exact: true }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
        await waitReady(page, '1', 30_000);
        for (let i = 0; i < lesson.steps.length; i++) await completeStep(page, lesson, i, locale);
      }

      // Progress is the server's: a fresh load of the course page shows every step passed.
      await page.goto('/');
      for (const lesson of lessons) {
        const title = lesson.title[locale];
        const card = page.locator('.lesson-card').filter({ has: page.getByRole('link', { name: title, exact: true }) });
        await expect(card).toContainText(text.stepsPassed(lesson.steps.length, lesson.steps.length));
      }
    } finally {
      await context.close();
    }
  });
}
