/** The course page, the 404 page and the language switch: plain HTTP, no terminal needed. */
import { expect, test } from '@playwright/test';

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

test('?lang=zh shows the Chinese course and lesson, with a switch back', async ({ page }) => {
  await page.goto('/?lang=zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('main').getByRole('link', { name: 'PID 命名空间', exact: true }).click();
  await expect(page).toHaveURL(/\/lessons\/pid-namespaces\?lang=zh$/);
  await expect(page.getByRole('heading', { level: 2, name: '先四处看看' })).toBeVisible();
  await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/lessons\/pid-namespaces$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Look around' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
