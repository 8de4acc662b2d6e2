#!/usr/bin/env node
// npm test: set up whatever is missing, then run every test layer and count the results.
//
//   npm test                          unit, integration, e2e (in that order)
//   npm test -- unit                  one layer (or several: npm test -- unit e2e)
//
// Layers:  unit         vitest --project unit         (no root, no sandbox)
//          integration  vitest --project integration  (root: real sandboxes)
//          e2e          playwright test               (root: server + Debian's chromium)
//
// The runners' own output passes through. Each layer writes a JSON report to test-results/,
// which is what gets counted. A layer that cannot run, or that ends without its report, counts
// as one failure with the reason printed. The last line is always the plain total
//   N passed, N failed, N skipped
// which CI reads. Exit status is non-zero if anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { blankTally, closingLine, countPlaywright, countVitest, totals } from './lib/report.mjs';
import { setup } from './lib/setup.mjs';
import { isRoot } from './lib/system.mjs';
import { bold, dim, green, onOrphaned, red, ROOT, secondsSince, yellow } from './lib/util.mjs';

const LAYERS = ['unit', 'integration', 'e2e'];
const RESULTS = join(ROOT, 'test-results');
const BIN = join(ROOT, 'node_modules', '.bin');

/** Set-up steps each layer needs (see scripts/lib/setup.mjs). */
const NEEDS = {
  unit: ['deps'],
  integration: ['system', 'deps', 'native', 'rootfs', 'token'],
  e2e: ['system', 'deps', 'native', 'rootfs', 'web', 'token'],
};
const NEEDS_ROOT = new Set(['integration', 'e2e']);

// ---------------------------------------------------------------------------------------------
const requested = process.argv.slice(2).filter((a) => a !== '--');
for (const a of requested) {
  if (!LAYERS.includes(a)) {
    console.error(`usage: npm test [-- ${LAYERS.join(' | ')} ...]   (unknown layer: ${a})`);
    process.exit(2);
  }
}
const layers = requested.length ? LAYERS.filter((l) => requested.includes(l)) : LAYERS;

/** Per layer: a tally from scripts/lib/report.mjs. */
const results = new Map();

let interrupted = false;
let current = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    // The runner shares our terminal's process group and got a Ctrl-C itself; a kill(1) sent to
    // us alone is passed on.
    if (current && current.exitCode === null) current.kill(sig);
  });
}

// If npm is killed, its shell dies without telling us: stop the running layer and wrap up.
onOrphaned(() => {
  interrupted = true;
  if (current && current.exitCode === null) current.kill('SIGTERM');
});

function runner(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    current = child;
    child.on('error', (err) => resolve({ code: 127, error: err.message }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 1, signal }));
  }).finally(() => {
    current = null;
  });
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
async function runVitest(project, env) {
  const out = join(RESULTS, `${project}.json`);
  rmSync(out, { force: true });
  const res = await runner(
    join(BIN, 'vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    env,
  );
  const report = readJson(out);
  if (!report) return crashed(res, 'vitest', out);
  return countVitest(report, res.signal ? 128 : res.code, ROOT);
}

async function runPlaywright(env) {
  const out = join(RESULTS, 'e2e.json');
  rmSync(out, { force: true });
  if (!existsSync(join(ROOT, 'playwright.config.ts'))) {
    const t = blankTally();
    t.failed = 1;
    t.notes.push('playwright.config.ts does not exist');
    return t;
  }
  // The config names its JSON reporter's file; this variable is the fallback if it does not.
  // The test server's agent gets its own cgroup parent and id ranges (playwright passes our
  // environment on to its webServer): an agent sweeps every sandbox under its cgroup parent at
  // start, which must never hit the sandboxes of an `npm start` running on the same machine.
  const res = await runner(join(BIN, 'playwright'), ['test'], {
    ...env,
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    LAB_CGROUP_PARENT: process.env.LAB_CGROUP_PARENT ?? 'container-lab-e2e',
    LAB_UID_BASE: process.env.LAB_UID_BASE ?? '6000000',
    LAB_SUBID_BASE: process.env.LAB_SUBID_BASE ?? '3000000000',
  });
  const report = readJson(out);
  if (!report?.stats) return crashed(res, 'playwright', out, ' (is the json reporter in playwright.config.ts?)');
  return countPlaywright(report, res.signal ? 128 : res.code);
}

/** A runner that ended without its report: one failure, with the reason. */
function crashed(res, name, out, hint = '') {
  const t = blankTally();
  t.failed = 1;
  t.notes.push(
    res.error
      ? `could not start ${name}: ${res.error}`
      : `${name} exited ${res.signal ?? res.code} without writing ${relative(ROOT, out)}${hint} (see its output above)`,
  );
  return t;
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const t0 = performance.now();
  if (process.platform !== 'linux') {
    console.error(red(`error: npm test needs Linux (Debian 12); this is ${process.platform}.`));
    return { setupFailed: true };
  }

  const root = isRoot();
  const runnable = layers.filter((l) => root || !NEEDS_ROOT.has(l));
  for (const l of layers) {
    if (!runnable.includes(l)) {
      const r = blankTally();
      r.skipped = 1;
      r.notes.push('needs root (real sandboxes): run npm test as root');
      results.set(l, r);
      console.log(yellow(`note: skipping the ${l} layer: it needs root (it runs real sandboxes). Run npm test as root to include it.`));
    }
  }

  const steps = [...new Set(runnable.flatMap((l) => NEEDS[l]))];
  if (steps.includes('native') || steps.includes('rootfs')) steps.push('system');
  const { env: setupEnv, failed } = await setup({ steps, forTests: runnable.includes('e2e'), keepGoing: true });
  console.log(dim(`set-up: ${secondsSince(t0)} s`));
  mkdirSync(RESULTS, { recursive: true });

  const env = { ...process.env, ...setupEnv, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  for (const layer of runnable) {
    const r = blankTally();
    results.set(layer, r);
    const missing = NEEDS[layer].filter((s) => failed.has(s));
    if (missing.length) {
      r.failed = 1;
      for (const s of missing) r.notes.push(`set-up step "${s}" failed: ${failed.get(s)}`);
      console.log(red(`==> ${layer}: not run, set-up failed (${missing.join(', ')})`));
      continue;
    }
    if (interrupted) {
      r.skipped = 1;
      r.notes.push('interrupted');
      continue;
    }
    console.log(bold(`==> Tests: ${layer}`));
    const lt = performance.now();
    const t = layer === 'e2e' ? await runPlaywright(env) : await runVitest(layer, env);
    t.seconds = secondsSince(lt);
    results.set(layer, t);
  }
  return { setupFailed: false };
}

let setupFailed = false;
try {
  ({ setupFailed } = await main());
} catch (err) {
  // A bug in this script, not in a test: still end with the line CI reads.
  console.error(red(`error: ${err?.stack ?? err}`));
  setupFailed = true;
}

console.log('');
console.log(bold('==> Test summary'));
for (const layer of LAYERS) {
  const r = results.get(layer);
  if (!r) continue;
  const line = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.flaky ? ` (${r.flaky} flaky)` : ''}`;
  const time = r.seconds ? dim(`  ${r.seconds} s`) : '';
  console.log(`    ${layer.padEnd(12)} ${r.failed ? red(line) : green(line)}${time}`);
  for (const n of r.notes) console.log(`    ${''.padEnd(12)} ${dim('- ' + n)}`);
  if (r.passed + r.failed + r.skipped === 0) console.log(yellow(`    ${''.padEnd(12)} - ran no tests`));
}
if (interrupted) console.log(yellow('    interrupted'));
const total = totals(results.values(), setupFailed ? 1 : 0);
// The closing line, alone and plain (no colour): CI parses it.
console.log(closingLine(total));
process.exitCode = total.failed > 0 || interrupted ? 1 : 0;
