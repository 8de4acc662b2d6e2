import { describe, expect, it } from 'vitest';
import { BASE, proc, snapshot } from './test-fixtures';
import { highlightTarget, namespaceGroups, namespaceId, NO_NUMBERS, numberNamespaces, ownPid } from './namespaces';

describe('namespaces', () => {
  it('prints a namespace as ls -l /proc/PID/ns does', () => {
    expect(namespaceId('pid', 4026532123)).toBe('pid:[4026532123]');
  });

  it('groups processes by namespace, the sandbox’s own as 1 and the learner’s from 2', () => {
    const s = snapshot();
    const groups = namespaceGroups(s, numberNamespaces(s, NO_NUMBERS));
    const pid = groups.filter((g) => g.type === 'pid');
    expect(pid.map((g) => [g.id, g.base, g.number, g.colour, g.members.map((m) => m.pid)])).toEqual([
      [`pid:[${BASE.pid}]`, true, 1, null, [1, 5, 13]],
      ['pid:[4026532900]', false, 2, 0, [14]],
    ]);
    // Types in the order of NAMESPACE_TYPES; no time namespace in this snapshot.
    expect([...new Set(groups.map((g) => g.type))]).toEqual(['pid', 'net', 'mnt', 'uts', 'ipc', 'user', 'cgroup']);
  });

  it('keeps a namespace’s number when others come and go, and never reuses one', () => {
    const s1 = snapshot();
    const n1 = numberNamespaces(s1, NO_NUMBERS);
    // A second PID namespace appears, then the first one goes away.
    const s2 = snapshot({ processes: [...s1.processes, proc(20, { ns: { ...BASE, pid: 4026532950 } })] });
    const n2 = numberNamespaces(s2, n1);
    expect(n2.numbers.get('pid:[4026532950]')).toBe(3);
    const s3 = snapshot({ processes: [proc(1), proc(20, { ns: { ...BASE, pid: 4026532950 } })] });
    const n3 = numberNamespaces(s3, n2);
    expect(n3.numbers.get('pid:[4026532950]')).toBe(3);
    expect(n3.numbers.has('pid:[4026532900]')).toBe(false);
    const s4 = snapshot({ processes: [proc(1), proc(30, { ns: { ...BASE, pid: 4026532990 } })] });
    expect(numberNamespaces(s4, n3).numbers.get('pid:[4026532990]')).toBe(4);
  });

  it('numbers namespaces first seen together by their lowest PID', () => {
    const s = snapshot({
      processes: [proc(1), proc(40, { ns: { ...BASE, net: 4026533001 } }), proc(30, { ns: { ...BASE, net: 4026533002 } })],
    });
    const n = numberNamespaces(s, NO_NUMBERS);
    expect(n.numbers.get('net:[4026533002]')).toBe(2);
    expect(n.numbers.get('net:[4026533001]')).toBe(3);
  });

  it('reads the PID a process sees for itself from the end of NSpid', () => {
    expect(ownPid(proc(14, { nspid: [14, 3] }))).toBe(3);
    expect(ownPid(proc(5))).toBe(5);
  });

  describe('highlightTarget', () => {
    const s = snapshot({
      processes: [...snapshot().processes, proc(20, { ns: { ...BASE, pid: 4026532950 } })],
    });
    const groups = namespaceGroups(s, numberNamespaces(s, NO_NUMBERS));

    it('points at the newest namespace of the type that the learner made, never the sandbox’s own', () => {
      expect(highlightTarget('pid-namespace', groups)).toEqual({ kind: 'namespace', type: 'pid', id: 'pid:[4026532950]' });
      expect(highlightTarget('mnt-namespace', groups)).toEqual({ kind: 'namespace', type: 'mnt', id: 'mnt:[4026532901]' });
    });

    it('has no namespace to point at before the learner made one', () => {
      expect(highlightTarget('net-namespace', groups)).toEqual({ kind: 'namespace', type: 'net', id: null });
    });

    it('points at whole sections, or at nothing', () => {
      expect(highlightTarget('cgroups', groups)).toEqual({ kind: 'section', section: 'cgroups' });
      expect(highlightTarget('capabilities', groups)).toEqual({ kind: 'section', section: 'capabilities' });
      expect(highlightTarget(null, groups)).toBeNull();
    });
  });
});
