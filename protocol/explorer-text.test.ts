import { describe, expect, it } from 'vitest';
import { explorerText } from './explorer-text';
import { fixtureProcess, fixtureSnapshot } from './explorer-fixture';

const records = (text: string, kind: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[0] === kind);

describe('explorerText', () => {
  it('lists processes with both PIDs, and each namespace as base or new', () => {
    const text = explorerText(fixtureSnapshot());
    expect(records(text, 'process').find((f) => f[1] === '21')).toEqual(['process', '21', '21,1', '20', 'S', '2', '1', '/', 'sleep', 'sleep 600']);
    expect(records(text, 'ns').filter((f) => f[1] === '21' && f[2] === 'pid')).toEqual([['ns', '21', 'pid', '4026532900', 'new']]);
    expect(records(text, 'namespace').filter((f) => f[1] === 'pid')).toEqual([
      ['namespace', 'pid', '4026532801', 'base', '3'],
      ['namespace', 'pid', '4026532900', 'new', '1'],
    ]);
  });

  it('writes cgroups with "max" for no limit and "-" for a controller it has no numbers of', () => {
    const s = fixtureSnapshot();
    s.cgroups.push({ path: '/hog', procs: 1, memory: { usage: 5, limit: null, peak: null, failcnt: 0, oomKills: 2 }, pids: null });
    expect(records(explorerText(s), 'cgroup')).toEqual([
      ['cgroup', '/', '4', '3000000', '268435456', '0', '4', '256', '0'],
      ['cgroup', '/hog', '1', '5', 'max', '2', '-', '-', '-'],
    ]);
  });

  it('never lets a learner-chosen name break the format', () => {
    const s = fixtureSnapshot();
    s.processes = [fixtureProcess({ pid: 5, comm: 'a\tb', cmdline: 'x\ny\tz' })];
    s.denials = [{ id: 1, at: 1, pid: null, comm: 'evil\nprocess', syscall: 'mkdir', nr: 83, action: 'errno' }];
    const text = explorerText(s);
    expect(records(text, 'process')[0]).toEqual(['process', '5', '5', '1', 'S', '2', '1', '/', 'a b', 'x y z']);
    expect(records(text, 'denial')).toEqual([['denial', '-', 'evil process', 'mkdir', 'errno']]);
    expect(records(text, 'omitted')).toEqual([['omitted', '0', '0']]);
  });
});
