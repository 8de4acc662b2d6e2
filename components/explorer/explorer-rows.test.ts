import { describe, expect, it } from 'vitest';
import { cgroupDepth, denialRows, namespaceList, processRows, seccompGroups } from './explorer-rows';
import { namespaceGroups, NO_NUMBERS, numberNamespaces } from './namespaces';
import { BASE, proc, snapshot } from './test-fixtures';

describe('explorer rows', () => {
  const s = snapshot();
  const rows = processRows(s, namespaceGroups(s, numberNamespaces(s, NO_NUMBERS)));

  it('lists processes in tree order with both PIDs', () => {
    expect(rows.map((r) => [r.pid, r.ownPid, r.depth])).toEqual([
      [1, 1, 0],
      [5, 5, 1],
      [13, 13, 2],
      [14, 1, 3],
    ]);
  });

  it('gives each process its namespace groups and decoded capabilities', () => {
    const inner = rows[3]!;
    expect(inner.namespaces.map((g) => `${g.id}${g.base ? '' : '*'}`)).toEqual([
      'pid:[4026532900]*',
      `net:[${BASE.net}]`,
      'mnt:[4026532901]*',
      `uts:[${BASE.uts}]`,
      `ipc:[${BASE.ipc}]`,
      `user:[${BASE.user}]`,
      `cgroup:[${BASE.cgroup}]`,
    ]);
    expect(namespaceList(inner).split(' ')).toContain('pid:[4026532900]');
    expect(inner.capabilities).toHaveLength(41);
  });

  it('measures cgroup depth from the sandbox’s own group', () => {
    expect(cgroupDepth('/')).toBe(0);
    expect(cgroupDepth('/mycoolgroup')).toBe(1);
    expect(cgroupDepth('/a/b')).toBe(2);
  });

  it('groups processes by seccomp mode, filtered first', () => {
    const groups = seccompGroups([proc(3, { seccomp: { mode: 0, filters: 0 } }), proc(1), proc(9, { seccomp: { mode: 2, filters: 2 } }), proc(2)]);
    expect(groups).toEqual([
      { mode: 2, filters: 2, pids: [9] },
      { mode: 2, filters: 1, pids: [1, 2] },
      { mode: 0, filters: 0, pids: [3] },
    ]);
  });

  it('lists denials newest first', () => {
    const d = (id: number) => ({ id, at: id, pid: 14, comm: 'mkdir', syscall: 'mkdir', nr: 83, action: 'errno' as const });
    expect(denialRows(snapshot({ denials: [d(1), d(2), d(3)] })).map((x) => x.id)).toEqual([3, 2, 1]);
  });
});
