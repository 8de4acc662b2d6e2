import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../protocol/profile';
import { formatBytes, LimitNotices } from './limit-notices';

describe('LimitNotices', () => {
  it('says nothing while no counter grows', () => {
    const n = new LimitNotices(DEFAULT_PROFILE);
    expect(n.update({ oomKills: 0, pidsRefused: 0 })).toEqual([]);
    expect(n.update({ oomKills: 0, pidsRefused: 0 })).toEqual([]);
  });

  it('names the memory limit once per new OOM kill batch', () => {
    const n = new LimitNotices(DEFAULT_PROFILE);
    const [msg] = n.update({ oomKills: 1, pidsRefused: 0 });
    expect(msg).toMatch(/^Your sandbox hit its 256 MiB memory limit: a process was killed/);
    expect(n.update({ oomKills: 1, pidsRefused: 0 })).toEqual([]);
    expect(n.update({ oomKills: 3, pidsRefused: 0 })[0]).toMatch(/2 processes were killed/);
  });

  it('names the process limit when forks were refused', () => {
    const n = new LimitNotices(DEFAULT_PROFILE);
    expect(n.update({ oomKills: 0, pidsRefused: 5 })).toEqual([
      'Your sandbox hit its limit of 256 processes: new processes could not be started until some exit.',
    ]);
  });

  it('formats sizes as people write them', () => {
    expect(formatBytes(256 * 1024 * 1024)).toBe('256 MiB');
    expect(formatBytes(2 * 1024 * 1024 * 1024)).toBe('2 GiB');
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
  });
});
