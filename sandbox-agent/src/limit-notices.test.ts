import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../protocol/profile';
import { formatBytes, LimitNotices } from './limit-notices';

const none = { oomKills: 0, pidsRefused: 0, cgroups: 0 };

describe('LimitNotices', () => {
  it('says nothing while no counter grows', () => {
    const n = new LimitNotices(DEFAULT_PROFILE, 64);
    expect(n.update(none)).toEqual({ notices: [] });
    expect(n.update({ ...none, cgroups: 64 })).toEqual({ notices: [] });
  });

  it('names the memory limit once per new OOM kill batch', () => {
    const n = new LimitNotices(DEFAULT_PROFILE, 64);
    const [msg] = n.update({ ...none, oomKills: 1 }).notices;
    expect(msg).toMatch(/^Your sandbox hit its 256 MiB memory limit: a process was killed/);
    expect(n.update({ ...none, oomKills: 1 }).notices).toEqual([]);
    expect(n.update({ ...none, oomKills: 3 }).notices[0]).toMatch(/2 processes were killed/);
  });

  it('names the process limit when forks were refused', () => {
    const n = new LimitNotices(DEFAULT_PROFILE, 64);
    expect(n.update({ ...none, pidsRefused: 5 }).notices).toEqual([
      'Your sandbox hit its limit of 256 processes: new processes could not be started until some exit.',
    ]);
  });

  it('ends a sandbox whose learner-made cgroups pass the bound, saying why', () => {
    const n = new LimitNotices(DEFAULT_PROFILE, 64);
    expect(n.update({ ...none, cgroups: 65 }).end).toMatch(/^Your sandbox created more than 64 cgroups/);
  });

  it('formats sizes as people write them', () => {
    expect(formatBytes(256 * 1024 * 1024)).toBe('256 MiB');
    expect(formatBytes(2 * 1024 * 1024 * 1024)).toBe('2 GiB');
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
  });
});

describe('LimitNotices hits (for lab_agent_limit_hits_total)', () => {
  it('reports each counter that grew, by how much, and the cgroup bound once', () => {
    const hits: Array<[string, number]> = [];
    const n = new LimitNotices(DEFAULT_PROFILE, 64, (kind, count) => hits.push([kind, count]));
    n.update(none);
    n.update({ oomKills: 2, pidsRefused: 5, cgroups: 3 });
    n.update({ oomKills: 2, pidsRefused: 7, cgroups: 65 });
    n.update({ oomKills: 2, pidsRefused: 7, cgroups: 66 });
    expect(hits).toEqual([
      ['memory', 2],
      ['pids', 5],
      ['pids', 2],
      ['cgroups', 1],
    ]);
  });
});
