/**
 * `lab loadtest` against a real web tier and agent (server/main.ts with its embedded agent, as
 * playwright.config.ts starts the e2e server): a few learners for a few seconds make no error,
 * drop nothing, and leave no sandbox behind. Not timing-sensitive: no latency is asserted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../sandbox-agent/test/harness';
import { runLoadtest } from './loadtest';
import { countSandboxes } from './loadtest-leftovers';

const root = resolve(__dirname, '..');
const reason = cannotRun() ?? (existsSync(join(root, '.next', 'BUILD_ID')) ? null : 'no web build (.next/BUILD_ID); npm test builds it');
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('lab loadtest (real web tier and agent)', () => {
  let server: ChildProcess;
  let output = '';
  // Own port, data directory, cgroup parent and id ranges (far from the other tests' and servers').
  const port = 40000 + (process.pid % 20000);
  const url = `http://127.0.0.1:${port}`;
  const parent = `container-lab-loadtest-${process.pid}`;

  beforeAll(async () => {
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        LAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'lab-loadtest-')),
        LAB_AGENT_TOKEN: randomBytes(24).toString('hex'),
        LAB_CGROUP_PARENT: parent,
        LAB_UID_BASE: String(6_700_000 + (process.pid % 100) * 8),
        LAB_SUBID_BASE: String(3_000_000_000 + (process.pid % 100) * 8 * 65536),
        LAB_MAX_SANDBOXES: '8',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!/ready on http/.test(output)) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('runs 3 learners through lesson steps with no error, no drop, and nothing left behind', async () => {
    const r = await runLoadtest({ learners: 3, durationSec: 15, rampSec: 2, url, cgroupParent: parent, seed: 11, json: false });
    expect(r.errorMessages).toEqual([]);
    expect(r.droppedMessages).toEqual([]);
    expect(r.errors).toBe(0);
    expect(r.dropped).toBe(0);
    expect(r.leftover).toMatchObject({ checked: true, left: 0 });
    // The learners really worked: they loaded lessons, typed and had their keys echoed.
    expect(r.lessonsStarted).toBeGreaterThanOrEqual(3);
    expect(r.keystrokes).toBeGreaterThan(0);
    expect(r.echoMs.n).toBeGreaterThan(0);
    expect(countSandboxes(parent).count).toBe(0);
  }, 120_000);

  it('is the `lab loadtest` verb: a summary on stdout, status 0 for a clean run', () => {
    const lab = spawnSync(process.execPath, [join(root, 'bin', 'lab'), 'loadtest', '--learners', '1', '--duration', '4', '--ramp', '0', '--url', url, '--cgroup-parent', parent], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(lab.stderr).toContain('[loadtest] 1 learner(s)');
    expect(lab.stdout).toMatch(/^errors +0$/m);
    expect(lab.stdout).toMatch(/^left behind +none/m);
    expect(lab.status).toBe(0);
  }, 120_000);

  it('refuses bad arguments with the usage and status 2', () => {
    const lab = spawnSync(process.execPath, [join(root, 'bin', 'lab'), 'loadtest', '--learners', '0', '--duration', '5'], { encoding: 'utf8', timeout: 30_000 });
    expect(lab.status).toBe(2);
    expect(lab.stderr).toMatch(/--learners must be between 1 and 1000/);
    expect(lab.stderr).toContain('usage: lab loadtest');
  });
});
