/** The course page, the 404 page and the language switch: plain HTTP, no terminal needed. */
import { expect, test } from '@playwright/test';
import { UI } from '../components/ui-text';
import { getLesson } from '../server/lessons';

test('the course page lists PID namespaces and links to it', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const link = page.getByRole('main').getByRole('link', { name: 'PID namespaces', exact: true });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', '/lessons/pid-namespaces');
  await link.click();
  await expect(page).toHaveURL(/\/lessons\/pid-namespaces$/);
  await expect(page.getByRole('heading', { level: 1, name: 'PID namespaces' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Terminal 1' })).toBeVisible();
});

test('an unknown lesson is a real 404 with a clear message', async ({ page }) => {
  const response = await page.goto('/lessons/no-such-lesson');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('There is no lesson or page at this address.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the course' })).toHaveAttribute('href', '/');
});

test('?lang=zh shows the Chinese course and lesson, with a switch back that is remembered', async ({ page }) => {
  const pid = (await getLesson('pid-namespaces'))!;
  const first = pid.steps[0]!;
  await page.goto('/?lang=zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('main').getByRole('link', { name: pid.title.zh!, exact: true }).click();
  await expect(page).toHaveURL(/\/lessons\/pid-namespaces\?lang=zh$/);
  await expect(page.getByRole('heading', { level: 2, name: first.title.zh! })).toBeVisible();
  await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/lessons\/pid-namespaces\?lang=en$/);
  await expect(page.getByRole('heading', { level: 2, name: first.title.en })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // Remembered: a plain address now opens in English too.
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('the browser language picks Chinese; the choice to switch is remembered over it', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(UI.zh.courseTitle);
    // Every page has the switch: the 404 page too.
    await page.goto('/lessons/no-such-lesson');
    await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(UI.en.courseTitle);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '中文' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(UI.zh.courseTitle);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  } finally {
    await context.close();
  }
});
