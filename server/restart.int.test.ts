/**
 * `npm start`'s process tree for real (scripts/start.mjs --no-setup): the web tier is killed
 * with SIGKILL, start.mjs starts it again, and a learner who reconnects finds the same sandbox,
 * terminal screen included, because the agent and its sandboxes never stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun } from '../sandbox-agent/test/harness';
import { Browser, newToken } from './test/browser-client';

const root = resolve(__dirname, '..');
const reason = cannotRun() ?? (existsSync(join(root, '.next', 'BUILD_ID')) ? null : 'no web build (.next/BUILD_ID); npm test builds it');
if (reason) console.warn(`[integration] skipped: ${reason}`);

/** Children of `pid` whose command line contains `needle`. */
function childrenMatching(pid: number, needle: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(reason !== null)('web tier restart (npm start process tree)', () => {
  let start: ChildProcess;
  let output = '';
  const port = 20000 + (process.pid % 20000);
  const parent = `container-lab-restart-${process.pid}`;

  const waitOutput = async (re: RegExp, count = 1, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((output.match(new RegExp(re.source, 'g')) ?? []).length < count) {
      if (Date.now() > deadline) throw new Error(`start.mjs never printed ${re} (x${count}); output:\n${output}`);
      if (start.exitCode !== null) throw new Error(`start.mjs exited (${start.exitCode}); output:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'lab-restart-'));
    start = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--no-setup'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LAB_DATA_DIR: data,
        LAB_AGENT_TOKEN: randomBytes(24).toString('hex'),
        LAB_CGROUP_PARENT: parent,
        LAB_UID_BASE: String(6_500_000 + (process.pid % 100) * 8),
        LAB_SUBID_BASE: String(2_800_000_000 + (process.pid % 100) * 8 * 65536),
        LAB_MAX_SANDBOXES: '8',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    start.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitOutput(/ready on http:\/\//);
  });

  afterAll(async () => {
    if (start && start.exitCode === null) {
      const exited = new Promise((r) => start.once('exit', r));
      start.kill('SIGTERM');
      await exited;
    }
    // Stopping npm start stopped the agent, which removed every sandbox and its cgroup parent.
    expect(existsSync(`/sys/fs/cgroup/memory/${parent}`)).toBe(false);
  });

  it('keeps the sandbox and the terminal screen across a SIGKILL of the web tier', async () => {
    const cookie = newToken();
    const before = new Browser(port, { token: cookie });
    await before.command('echo "pidns=$(readlink /proc/self/ns/pid)" > /root/before');
    const marker = await before.mark();
    const session = before.ready!.session;
    before.close();

    const webs = childrenMatching(start.pid!, 'server/main.ts');
    expect(webs).toHaveLength(1);
    process.kill(webs[0]!, 'SIGKILL');
    await waitOutput(/restarting it: sandboxes keep running/);
    await waitOutput(/ready on http:\/\//, 2);
    expect(childrenMatching(start.pid!, 'server/main.ts')).not.toEqual(webs);

    const after = new Browser(port, { token: cookie });
    const ready = await after.opened();
    expect(ready.session).toBe(session);
    expect(ready.gap).toBe(false);
    // The screen comes back from the agent's ring, and the files are still there.
    await after.waitFor(new RegExp(marker));
    expect(await after.command('cat /root/before')).toMatch(/pidns=pid:\[\d+\]/);
    after.close();
  });
});
