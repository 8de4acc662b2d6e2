/**
 * Step checks from the browser: a check that fails with a reason, passes once the learner runs
 * the command (picked up by the auto-check, not a click), and progress that survives a reload
 * and shows on the course page. One browser context: one learner, one sandbox.
 */
import { expect, test } from '@playwright/test';
import { goToStep, runButton, sharedTab, waitForPromptAfter, waitReady } from './lab';

const STEP = 'A world where bash is PID 1';
const UNSHARE = 'unshare --fork --pid --mount-proc bash';

test.describe.serial('step checks', () => {
  const tab = sharedTab();

  test('Check gives a reason before the step is done, then Passed once it is', async () => {
    const page = tab.page;
    await page.goto('/lessons/pid-namespaces');
    // The sandbox exists once terminal 1 has connected; before that a check answers 409.
    await waitReady(page, '1', 10_000);
    await goToStep(page, STEP);

    const status = page.getByRole('article').getByRole('status');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(status).not.toBeEmpty();
    await expect(status).not.toContainText('Passed');

    await runButton(page, UNSHARE).click();
    await waitForPromptAfter(page, '1', UNSHARE);
    // No click: the auto-check (every 5 s) must notice on its own.
    await expect(status).toContainText('Passed', { timeout: 15_000 });
    const listed = page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: STEP });
    await expect(listed).toHaveAccessibleName(/\(passed\)/);
  });

  test('hint and solution open on request; the solution has Run buttons', async () => {
    const page = tab.page;
    const step = page.getByRole('article');
    // The step text's own three Run buttons; the solution's are not in the page until asked for.
    await expect(step.getByRole('button', { name: 'Run' })).toHaveCount(3);
    await page.getByRole('button', { name: 'Show hint', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Hint' })).toContainText('--mount-proc');
    await page.getByRole('button', { name: 'Show solution', exact: true }).click();
    const solution = page.getByRole('region', { name: 'Solution' });
    await expect(solution.getByRole('button', { name: 'Run' })).toHaveCount(2);
    await expect(step.getByRole('button', { name: 'Run' })).toHaveCount(5);
    await expect(solution.locator('code').first()).toHaveText(UNSHARE);
  });

  test('after a reload the step list still shows the step as passed', async () => {
    const page = tab.page;
    await page.reload();
    const listed = page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: STEP });
    await expect(listed).toHaveAccessibleName(/\(passed\)/);
    // Other steps are not marked.
    await expect(page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'Look around' })).not.toHaveAccessibleName(/\(passed\)/);
  });

  test('the course page counts the passed step', async () => {
    const page = tab.page;
    await page.goto('/');
    const card = page.locator('.lesson-card').filter({ has: page.getByRole('link', { name: 'PID namespaces', exact: true }) });
    await expect(card).toContainText(/\b1 of \d+ steps passed/);
  });

  test('in Chinese: 检查, 显示提示, 显示答案, and the same progress', async () => {
    const page = tab.page;
    await page.goto('/?lang=zh');
    const card = page.locator('.lesson-card').filter({ has: page.getByRole('link', { name: 'PID 命名空间', exact: true }) });
    await expect(card).toContainText(/已通过 1 \/ \d+ 步/);
    await page.goto('/lessons/pid-namespaces?lang=zh&step=new-pid-namespace');
    await expect(page.getByRole('navigation', { name: '步骤' }).getByRole('button', { name: 'bash 当上了 1 号进程' })).toHaveAccessibleName(/（已通过）/);
    await expect(page.getByRole('button', { name: '检查', exact: true })).toBeVisible();
    await expect(page.getByRole('article').getByRole('status')).toContainText('已通过');
    await expect(page.getByRole('button', { name: '显示提示', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: '显示答案', exact: true })).toBeVisible();
  });
});
