/**
 * Every way a session ends leaves nothing behind on the host: counted before and after for
 * processes running as the sandbox's ids, cgroup directories, mounts and host-side files.
 * Ways: dispose (session end), the dispose channel (the learner's reset), the idle timeout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../server/agent-client';
import { cannotRun, newId, run, startHarness, TermClient, type Harness } from './harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

interface Footprint {
  processes: number;
  cgroupDirs: number;
  mounts: number;
  runFiles: number;
}

/** What one sandbox holds on the host, found from its init's host pid and its session id. */
function footprint(id: string, mapBase: number, parent: string): Footprint {
  let processes = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'))![1]);
      if (uid >= mapBase && uid < mapBase + 65536) processes++;
    } catch {
      /* exited meanwhile */
    }
  }
  const cgroupDirs = ['memory', 'pids', 'cpu', 'freezer'].filter((c) => existsSync(`/sys/fs/cgroup/${c}/${parent}/${id}`)).length;
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(`/${id} `) || l.includes(`/${id}/`)).length;
  const runDir = join('/run/container-lab', parent);
  const runFiles = existsSync(runDir) ? readdirSync(runDir).filter((n) => n === id).length : 0;
  return { processes, cgroupDirs, mounts, runFiles };
}

const NOTHING: Footprint = { processes: 0, cgroupDirs: 0, mounts: 0, runFiles: 0 };

describe.skipIf(reason !== null)('teardown leaves nothing (real sandboxes)', () => {
  let h: Harness;
  let parent: string;
  beforeAll(async () => {
    h = await startHarness({ LAB_IDLE_TIMEOUT_SEC: '10' });
    parent = `container-lab-test-${process.pid}`;
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Start a busy sandbox: a terminal, background processes, a learner cgroup, a tmpfs mount. */
  async function busySandbox(): Promise<{ id: string; mapBase: number; t: TermClient }> {
    const id = newId();
    const t = new TermClient(h.client, id);
    await t.command('sleep 1000 & (while :; do sleep 1; done) & cgcreate -g memory:mine && mkdir -p /mnt/x && mount -t tmpfs t /mnt/x && echo data > /mnt/x/f');
    const s = h.agent.sessions.get(id)!;
    const mapBase = Number(readFileSync(`/proc/${s.initPid}/uid_map`, 'utf8').trim().split(/\s+/)[1]);
    const during = footprint(id, mapBase, parent);
    expect(during.processes).toBeGreaterThanOrEqual(4);
    expect(during.cgroupDirs).toBe(4);
    expect(during.mounts).toBeGreaterThan(0);
    expect(during.runFiles).toBe(1);
    return { id, mapBase, t };
  }

  async function settle(id: string, mapBase: number): Promise<Footprint> {
    // Zombies of the killed launcher chain are reaped by the host's init: give it a moment.
    for (let i = 0; i < 50 && footprint(id, mapBase, parent).processes > 0; i++) await new Promise((r) => setTimeout(r, 100));
    return footprint(id, mapBase, parent);
  }

  it('session end (dispose): no process, cgroup, mount or file left', async () => {
    const { id, mapBase, t } = await busySandbox();
    await h.agent.sessions.get(id)!.dispose('test over');
    expect(await settle(id, mapBase)).toEqual(NOTHING);
    expect(await t.waitForNotice(/test over/)).toBe('test over');
  });

  it("the learner's reset (dispose channel): no process, cgroup, mount or file left", async () => {
    const { id, mapBase, t } = await busySandbox();
    await new AgentClient('test', h.agent.socketPath, h.token).dispose(id, 'You reset your sandbox.');
    expect(await settle(id, mapBase)).toEqual(NOTHING);
    expect(await t.waitForNotice(/You reset your sandbox/)).toBe('You reset your sandbox.');
  });

  it('idle timeout: a sandbox nobody watches is torn down completely', async () => {
    const { id, mapBase, t } = await busySandbox();
    t.close();
    // LAB_IDLE_TIMEOUT_SEC=10 for this agent.
    for (let i = 0; i < 200 && h.agent.sessions.get(id); i++) await new Promise((r) => setTimeout(r, 100));
    expect(h.agent.sessions.get(id)).toBeUndefined();
    expect(await settle(id, mapBase)).toEqual(NOTHING);
  }, 40_000);

  it('a one-off run with disposeOnClose leaves nothing either', async () => {
    const id = newId();
    const r = await run(h.client, id, ['sh', '-c', 'sleep 1000 >/dev/null 2>&1 & echo started'], { disposeOnClose: true });
    expect(r.stdout.trim()).toBe('started');
    for (let i = 0; i < 50 && h.agent.sessions.get(id); i++) await new Promise((r2) => setTimeout(r2, 100));
    expect(footprint(id, 0, parent)).toMatchObject({ cgroupDirs: 0, mounts: 0, runFiles: 0 });
  });
});
