// The set-up scripts are plain .mjs (they run before npm ci); their pure parts are tested here.
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM without type declarations
import { closingLine, countPlaywright, countVitest, totals } from './report.mjs';
// @ts-expect-error plain ESM without type declarations
import { readPackageList, rootfsKey } from './rootfs.mjs';

describe('countVitest', () => {
  test('counts passed, failed, and skipped + todo', () => {
    const t = countVitest({ numPassedTests: 5, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, testResults: [] }, 1);
    expect([t.passed, t.failed, t.skipped]).toEqual([5, 1, 3]);
  });

  test('a file that failed to load is one failure with its reason', () => {
    const t = countVitest(
      {
        numPassedTests: 2,
        numFailedTests: 0,
        numPendingTests: 0,
        numTodoTests: 0,
        testResults: [
          { name: '/repo/a.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
          { name: '/repo/b.test.ts', status: 'failed', message: "Cannot find module './x'\n  at …", assertionResults: [] },
        ],
      },
      1,
      '/repo',
    );
    expect(t.failed).toBe(1);
    expect(t.notes).toEqual(["b.test.ts: Cannot find module './x'"]);
  });

  test('a non-zero exit with no failing test still fails the layer', () => {
    const t = countVitest({ numPassedTests: 3, numFailedTests: 0, testResults: [] }, 1);
    expect(t.failed).toBe(1);
    expect(t.notes[0]).toMatch(/exited 1/);
  });

  test('a file with failing tests is not counted twice', () => {
    const t = countVitest(
      { numPassedTests: 0, numFailedTests: 2, testResults: [{ name: 'x', status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'failed' }] }] },
      1,
    );
    expect(t.failed).toBe(2);
  });
});

describe('countPlaywright', () => {
  test('flaky tests count as passed and are shown', () => {
    const t = countPlaywright({ stats: { expected: 3, unexpected: 0, flaky: 1, skipped: 2 }, errors: [] }, 0);
    expect([t.passed, t.failed, t.skipped, t.flaky]).toEqual([4, 0, 2, 1]);
  });

  test('an error outside any test (web server did not start) is one failure', () => {
    const t = countPlaywright({ stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 }, errors: [{ message: 'Timed out waiting 60000ms from config.webServer.\nmore' }] }, 1);
    expect(t.failed).toBe(1);
    expect(t.notes).toEqual(['Timed out waiting 60000ms from config.webServer.']);
  });
});

test('the closing line is the plain total', () => {
  const sum = totals([{ passed: 2, failed: 1, skipped: 0 }, { passed: 3, failed: 0, skipped: 4 }], 1);
  expect(closingLine(sum)).toBe('5 passed, 2 failed, 4 skipped');
  expect(closingLine(sum)).toMatch(/^\d+ passed, \d+ failed, \d+ skipped$/);
});

describe('rootfs inputs', () => {
  test('package list: comments and blank lines are ignored, duplicates dropped', () => {
    expect(readPackageList('# tools\nprocps  # ps\n\npython3\nprocps\n')).toEqual(['procps', 'python3']);
  });

  test('package list: anything but a Debian package name is refused', () => {
    expect(() => readPackageList('procps; rm -rf /\n')).toThrow(/not a Debian package name/);
  });

  test('the checked-in package list parses and includes what lessons rely on', () => {
    const names = readPackageList();
    for (const p of ['util-linux', 'mount', 'cgroup-tools', 'iproute2', 'python3']) expect(names).toContain(p);
  });

  test('the cache key is a stable sha256', () => {
    expect(rootfsKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(rootfsKey()).toBe(rootfsKey());
  });
});
