import { describe, expect, it } from 'vitest';
import { descendants, parseRss, parseStat, treeMemory, type ProcInfo } from './proc';

describe('parseStat', () => {
  it('finds ppid and cpu time after a comm with spaces and parentheses', () => {
    const line = '4242 (my (odd) proc) S 17 4242 4242 0 -1 4194304 99 0 0 0 250 50 0 0 20 0 1 0 1068039 3133440 361';
    expect(parseStat(line)).toEqual({ pid: 4242, comm: 'my (odd) proc', ppid: 17, cpuTicks: 300 });
  });

  it('returns null for garbage', () => {
    expect(parseStat('nonsense')).toBeNull();
  });
});

describe('parseRss', () => {
  it('reads VmRSS in bytes, 0 when absent (kernel threads)', () => {
    expect(parseRss('Name:\tcat\nVmRSS:\t    2168 kB\nRssAnon:\t 156 kB\n')).toBe(2168 * 1024);
    expect(parseRss('Name:\tkthreadd\n')).toBe(0);
  });
});

describe('process trees', () => {
  const p = (pid: number, ppid: number, comm: string, rssKiB: number): ProcInfo => ({ pid, ppid, comm, rss: rssKiB * 1024, cpuTicks: 1 });
  const all = new Map<number, ProcInfo>(
    [p(1, 0, 'init', 1), p(10, 1, 'node', 100), p(11, 10, 'node', 50), p(12, 11, 'node', 70), p(13, 12, 'labsbx', 2), p(14, 13, 'bash', 3), p(20, 1, 'other', 999)].map(
      (x) => [x.pid, x],
    ),
  );

  it('lists a root and everything below it', () => {
    expect(descendants(all, 10).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14]);
    expect(descendants(all, 99)).toEqual([]);
  });

  it("splits the server's Node processes from the sandbox processes", () => {
    const m = treeMemory(10, all);
    expect(m.serverRss).toBe(220 * 1024);
    expect(m.sandboxRss).toBe(5 * 1024);
    expect(m.serverProcesses).toBe(3);
    expect(m.sandboxProcesses).toBe(2);
  });
});
