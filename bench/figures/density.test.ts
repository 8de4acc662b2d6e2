import { describe, expect, it } from 'vitest';
import { costAt, inSessionCgroup, marginalMb, parseSmapsRollup, type Snapshot } from './density';

const MiB = 1024 * 1024;

describe('idle_session_mb parts', () => {
  it('reads Pss and Rss from smaps_rollup', () => {
    const text = [
      '55d0c0000000-7ffd5a5b2000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:                4860 kB',
      'Pss:                2497 kB',
      'Pss_Anon:           1200 kB',
      'Shared_Clean:       2300 kB',
    ].join('\n');
    expect(parseSmapsRollup(text)).toEqual({ pss: 2497 * 1024, rss: 4860 * 1024 });
    expect(parseSmapsRollup('')).toEqual({ pss: 0, rss: 0 });
  });

  it('tells a sandbox process by its memory cgroup (v1) or its unified cgroup (v2)', () => {
    const v1 = ['12:pids:/container-lab-bench/abc', '5:memory:/container-lab-bench/abc/init', '1:name=systemd:/'].join('\n');
    expect(inSessionCgroup(v1, 'container-lab-bench')).toBe(true);
    expect(inSessionCgroup(v1, 'container-lab')).toBe(false);
    const server = ['5:memory:/', '12:pids:/user.slice'].join('\n');
    expect(inSessionCgroup(server, 'container-lab-bench')).toBe(false);
    expect(inSessionCgroup('0::/container-lab-bench/abc/init\n', 'container-lab-bench')).toBe(true);
    // The parent itself is not a session.
    expect(inSessionCgroup('5:memory:/container-lab-bench\n', 'container-lab-bench')).toBe(false);
  });

  const snap = (serverPss: number, sessions: number[], machineUsed: number, sandboxPss = 0): Snapshot => ({
    serverPss,
    serverRss: serverPss,
    serverProcesses: 3,
    serverCpuSec: 0,
    sandboxPss,
    sandboxProcesses: sessions.length * 5,
    sessionUsage: sessions,
    sandboxCpuSec: 0,
    machineUsed,
    clientRss: 50 * MiB,
  });

  it('divides server and sandbox memory by the count, each counted once', () => {
    const base = snap(180 * MiB, [], 1000 * MiB);
    const at10 = snap(200 * MiB, Array.from({ length: 10 }, () => 2 * MiB), 1250 * MiB, 30 * MiB);
    const c = costAt(10, at10, base, { serverSec: 0.5, sandboxSec: 0.1, windowSec: 60 });
    expect(c.mbPerSession).toBeCloseTo(22); // (200 + 20) / 10
    expect(c.pssMbPerSession).toBeCloseTo(23); // (200 + 30) / 10
    expect(c.machineMbPerSession).toBeCloseTo(25);
    expect(c.sessionP50Mb).toBeCloseTo(22); // 2 + 200 / 10
    expect(c.serverMb).toBeCloseTo(200);
    expect(c.sandboxCgroupMb).toBeCloseTo(20);
    expect(c.cpuPctPerSession).toBeCloseTo(0.1); // 0.6 s of 60 s over 10 sessions
  });

  it('reports the growth between counts per added session', () => {
    const base = snap(0, [], 0);
    const costs = [
      costAt(50, snap(200 * MiB, Array.from({ length: 50 }, () => 2 * MiB), 0), base, { serverSec: 0, sandboxSec: 0, windowSec: 1 }),
      costAt(150, snap(220 * MiB, Array.from({ length: 150 }, () => 2 * MiB), 0), base, { serverSec: 0, sandboxSec: 0, windowSec: 1 }),
    ];
    const [m] = marginalMb(costs);
    expect(m).toMatchObject({ from: 50, to: 150 });
    expect(m!.mb).toBeCloseTo(2.2); // (20 MB server + 200 MB sandboxes) / 100
    expect(marginalMb(costs.slice(0, 1))).toEqual([]);
  });
});
