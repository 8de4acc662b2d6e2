/**
 * `kill -9` of the agent worker: the supervisor starts a new one on the same socket, which sweeps
 * the dead worker's sandboxes (processes and cgroups) and serves new ones.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../server/agent-client';
import { cannotRun, newId, run } from './harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

type Listening = { type: 'listening'; socketPath: string; pid: number };

describe.skipIf(reason !== null)('agent supervisor (real processes)', () => {
  it('restarts a SIGKILLed worker, which sweeps the dead sandboxes and serves new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-sup-'));
    const token = randomBytes(24).toString('hex');
    const parent = `container-lab-sup-${process.pid}`;
    const sup = fork(resolve(__dirname, '../src/main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        LAB_DATA_DIR: dir,
        LAB_AGENT_TOKEN: token,
        LAB_CGROUP_PARENT: parent,
        LAB_UID_BASE: String(6_000_000 + (process.pid % 100) * 4),
        LAB_SUBID_BASE: String(2_500_000_000 + (process.pid % 100) * 4 * 65536),
        LAB_MAX_SANDBOXES: '4',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const listening: Listening[] = [];
    const waiters: Array<() => void> = [];
    sup.on('message', (m) => {
      listening.push(m as Listening);
      waiters.splice(0).forEach((w) => w());
    });
    const nth = async (n: number) => {
      const deadline = Date.now() + 30_000;
      while (listening.length < n) {
        if (Date.now() > deadline) throw new Error(`supervisor did not report worker #${n}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 500);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return listening[n - 1]!;
    };
    try {
      const first = await nth(1);
      const client = new AgentClient('sup', first.socketPath, token);
      const id = newId();
      const before = await run(client, id, ['sh', '-c', 'sleep 600 >/dev/null 2>&1 & echo started']);
      expect(before.stdout).toContain('started');
      const memcg = `/sys/fs/cgroup/memory/${parent}/${id}`;
      expect(existsSync(memcg)).toBe(true);
      const sandboxPids = readFileSync(join(memcg, 'cgroup.procs'), 'utf8').trim().split('\n').map(Number);
      expect(sandboxPids.length).toBeGreaterThan(0);

      process.kill(first.pid, 'SIGKILL');
      const second = await nth(2);
      expect(second.pid).not.toBe(first.pid);
      expect(second.socketPath).toBe(first.socketPath);
      // The new worker swept the old sandbox before listening: no cgroup, no process left.
      expect(existsSync(memcg)).toBe(false);
      for (const pid of sandboxPids) {
        const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
        expect(['gone', 'Z']).toContain(state);
      }
      // The old session is gone; a new one works on the same socket and token.
      const again = await run(client, newId(), ['echo', 'after-restart'], { disposeOnClose: true });
      expect(again.stdout.trim()).toBe('after-restart');
    } finally {
      const exited = new Promise((r) => sup.once('exit', r));
      sup.disconnect();
      await exited;
    }
    expect(existsSync(`/sys/fs/cgroup/memory/${parent}`)).toBe(false);
  });
});
