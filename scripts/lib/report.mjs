// Counting test results from the runners' JSON reports, and the closing line CI reads.
// Pure functions (scripts/lib/report.test.ts covers them).

/** A layer's tally. `notes` are one-line reasons printed under the layer in the summary. */
export function blankTally() {
  return { passed: 0, failed: 0, skipped: 0, flaky: 0, seconds: null, notes: [] };
}

/**
 * Vitest's JSON reporter (jest-compatible): numPassedTests, numFailedTests, numPendingTests
 * (skipped), numTodoTests, and testResults[] per file. A file that failed to load has status
 * "failed" and no failed test in it: it counts as one failure of its own.
 * `exitCode` non-zero with nothing failed (no test files, an unhandled error) is one failure too.
 */
export function countVitest(report, exitCode, root = '') {
  const t = blankTally();
  t.passed = report.numPassedTests ?? 0;
  t.failed = report.numFailedTests ?? 0;
  t.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      t.failed += 1;
      const first = String(file.message || 'failed to load').split('\n')[0];
      t.notes.push(`${root && file.name?.startsWith(root + '/') ? file.name.slice(root.length + 1) : file.name}: ${first}`);
    }
  }
  if (exitCode !== 0 && t.failed === 0) {
    t.failed = 1;
    t.notes.push(`vitest exited ${exitCode} although no test failed (no test files, an unhandled error, or a config error: see its output)`);
  }
  return t;
}

/**
 * Playwright's JSON reporter: stats.expected (passed), unexpected (failed), flaky (failed, then
 * passed on retry: counted as passed and shown), skipped; errors[] for failures outside any test
 * (global set-up, web server, config), which count as one failure if no test failed.
 */
export function countPlaywright(report, exitCode) {
  const t = blankTally();
  const s = report.stats ?? {};
  t.passed = (s.expected ?? 0) + (s.flaky ?? 0);
  t.flaky = s.flaky ?? 0;
  t.failed = s.unexpected ?? 0;
  t.skipped = s.skipped ?? 0;
  const errors = report.errors ?? [];
  for (const e of errors.slice(0, 3)) t.notes.push(String(e?.message ?? e).split('\n')[0]);
  if (t.failed === 0 && (errors.length > 0 || exitCode !== 0)) {
    t.failed = 1;
    if (!errors.length) t.notes.push(`playwright exited ${exitCode} although no test failed (see its output)`);
  }
  return t;
}

/** Sum of tallies, plus `extraFailed` for failures outside every layer (a crashed set-up). */
export function totals(tallies, extraFailed = 0) {
  const sum = { passed: 0, failed: extraFailed, skipped: 0 };
  for (const t of tallies) {
    sum.passed += t.passed;
    sum.failed += t.failed;
    sum.skipped += t.skipped;
  }
  return sum;
}

/** The plain closing line: `N passed, N failed, N skipped`. */
export function closingLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
