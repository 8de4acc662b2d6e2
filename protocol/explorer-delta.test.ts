import { describe, expect, it } from 'vitest';
import { EXPLORER_LIMITS, ExplorerDelta, ExplorerSnapshot, type ExplorerSnapshot as Snapshot } from './explorer';
import { applyExplorerDelta, diffExplorer, normalizeSnapshot } from './explorer-delta';
import { fixtureProcess, fixtureSnapshot } from './explorer-fixture';

function roundTrip(prev: Snapshot, next: Snapshot): Snapshot {
  const d = diffExplorer(prev, next, 2);
  if (d === null) return prev;
  if (d === 'full') throw new Error('expected a delta');
  expect(ExplorerDelta.safeParse(d).success).toBe(true);
  return applyExplorerDelta(prev, d);
}

describe('diffExplorer / applyExplorerDelta', () => {
  it('the fixture is a valid snapshot', () => {
    expect(ExplorerSnapshot.safeParse(fixtureSnapshot()).success).toBe(true);
  });

  it('asks for a full snapshot when whether denials can be read changes', () => {
    expect(diffExplorer(fixtureSnapshot(), { ...fixtureSnapshot(), denialsAvailable: false }, 2)).toBe('full');
  });

  it('says nothing changed when nothing did', () => {
    expect(diffExplorer(fixtureSnapshot(), fixtureSnapshot(), 2)).toBeNull();
  });

  it('carries new, changed and gone processes, and applying it gives the newer snapshot', () => {
    const prev = fixtureSnapshot();
    const next = fixtureSnapshot();
    next.at += 1000;
    next.processes = next.processes.filter((p) => p.pid !== 21); // the sleep ended
    next.processes.push(fixtureProcess({ pid: 30, comm: 'ps', cmdline: 'ps -ef' }));
    next.processes[1] = { ...next.processes[1]!, state: 'R' };
    const d = diffExplorer(prev, next, 7);
    expect(d).not.toBeNull();
    expect(d).not.toBe('full');
    const delta = d as ExplorerDelta;
    expect(delta.seq).toBe(7);
    expect(delta.processes.removed).toEqual([21]);
    expect(delta.processes.set.map((p) => p.pid).sort()).toEqual([14, 30]);
    expect(applyExplorerDelta(prev, delta)).toEqual(normalizeSnapshot(next));
  });

  it('carries cgroup changes keyed by path', () => {
    const prev = fixtureSnapshot();
    const next = fixtureSnapshot();
    next.cgroups.push({ path: '/mycoolgroup', procs: 1, memory: { usage: 9_000_000, limit: 10_485_760, peak: 10_485_760, failcnt: 3, oomKills: 1 }, pids: null });
    next.cgroups[0] = { ...next.cgroups[0]!, procs: 3 };
    expect(roundTrip(prev, next)).toEqual(normalizeSnapshot(next));
    expect(roundTrip(next, prev)).toEqual(normalizeSnapshot(prev));
  });

  it('sends only denials newer than the last one held, and keeps the newest few', () => {
    const prev = fixtureSnapshot();
    const denial = (id: number) => ({ id, at: prev.at + id, pid: 14, comm: 'mkdir', syscall: 'mkdir', nr: 83, action: 'errno' as const });
    prev.denials = [denial(1)];
    prev.deniedTotal = 1;
    const next = { ...fixtureSnapshot(), denials: [denial(1), denial(2), denial(3)], deniedTotal: 3 };
    const d = diffExplorer(prev, next, 2) as ExplorerDelta;
    expect(d.denials.map((x) => x.id)).toEqual([2, 3]);
    const many = { ...fixtureSnapshot(), denials: Array.from({ length: EXPLORER_LIMITS.denials }, (_, i) => denial(i + 10)), deniedTotal: 60 };
    const applied = roundTrip(next, many);
    expect(applied.denials).toHaveLength(EXPLORER_LIMITS.denials);
    expect(applied.denials.at(-1)!.id).toBe(EXPLORER_LIMITS.denials + 9);
    expect(applied.deniedTotal).toBe(60);
  });

  it('asks for a full snapshot when the sandbox’s own namespaces differ', () => {
    const next = fixtureSnapshot();
    next.baseNs = { ...next.baseNs, pid: 1 };
    expect(diffExplorer(fixtureSnapshot(), next, 2)).toBe('full');
  });

  it('counts omitted processes as a change (a fork bomb grows while the list is full)', () => {
    const next = { ...fixtureSnapshot(), omittedProcesses: 4000 };
    const d = diffExplorer(fixtureSnapshot(), next, 2) as ExplorerDelta;
    expect(d.omittedProcesses).toBe(4000);
    expect(d.processes.set).toEqual([]);
  });
});
