/**
 * The explorer hub with a scripted reader and fake viewers, on fake timers: what each viewer
 * receives and when reads happen (counted, never timed against a real clock).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPLORER_LIMITS, type ExplorerSnapshot } from '../../../protocol/explorer';
import { applyExplorerDelta } from '../../../protocol/explorer-delta';
import { fixtureProcess, fixtureSnapshot } from '../../../protocol/explorer-fixture';
import { decodeServerFrame } from '../../../protocol/frames';
import { parseControl, ServerControl, type ServerControl as Control } from '../../../protocol/messages';
import type { Viewer } from '../viewer';
import { ExplorerHub, MAX_QUEUED_BYTES, POKE_DELAYS_MS } from './hub';
import type { DenialState } from './snapshot';

class FakeViewer implements Viewer {
  bufferedAmount = 0;
  readonly got: Control[] = [];
  send(frame: Uint8Array): void {
    const f = decodeServerFrame(frame);
    if (f.op !== 'control') throw new Error('explorer messages are control frames');
    const m = parseControl(ServerControl, f.json);
    if (!m.ok) throw new Error(m.error);
    this.got.push(m.value);
  }
  close(): void {}
  /** The snapshot a page would hold after applying everything received, checking seq. */
  view(): ExplorerSnapshot | undefined {
    let s: ExplorerSnapshot | undefined;
    let seq = 0;
    for (const m of this.got) {
      if (m.type === 'explorer') s = m.snapshot;
      else if (m.type === 'explorer-delta') s = applyExplorerDelta(s!, m);
      else continue;
      expect(m.seq).toBe(seq + 1);
      seq = m.seq;
    }
    return s;
  }
}

/** A sandbox whose state the test changes; counts reads and when they happened. */
function scripted() {
  const state = { snapshot: fixtureSnapshot(), reads: [] as number[], denials: undefined as DenialState | undefined };
  const hub = new ExplorerHub({
    read: (d) => {
      state.reads.push(Date.now());
      state.denials = d;
      return { ...state.snapshot, at: Date.now(), denials: d.denials, deniedTotal: d.total, denialsAvailable: d.available };
    },
    denialsAvailable: true,
    onError: (e) => {
      throw e;
    },
  });
  return { hub, state };
}

/** Let a read scheduled "now" happen (a 0 ms timer fires after 1 ms, as in Node). */
const settle = () => vi.advanceTimersByTimeAsync(1);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ExplorerHub', () => {
  it('sends a new viewer a full snapshot, then deltas when something changed, nothing when nothing did', async () => {
    const { hub, state } = scripted();
    const v = new FakeViewer();
    hub.attach(v);
    await settle();
    expect(v.got.map((m) => m.type)).toEqual(['explorer']);
    state.snapshot = { ...state.snapshot, processes: [...state.snapshot.processes, fixtureProcess({ pid: 30, comm: 'ps' })] };
    await vi.advanceTimersByTimeAsync(1000);
    expect(v.got.map((m) => m.type)).toEqual(['explorer', 'explorer-delta']);
    await vi.advanceTimersByTimeAsync(3000); // only `at` changes: no message
    expect(v.got).toHaveLength(2);
    expect(v.view()!.processes.map((p) => p.pid)).toEqual([1, 14, 20, 21, 30]);
    hub.dispose();
  });

  it('reads only while someone watches: no timer without viewers', async () => {
    const { hub, state } = scripted();
    await vi.advanceTimersByTimeAsync(5000);
    hub.poke();
    await vi.advanceTimersByTimeAsync(5000);
    expect(state.reads).toHaveLength(0);
    const v = new FakeViewer();
    hub.attach(v);
    await vi.advanceTimersByTimeAsync(3000);
    const whileAttached = state.reads.length;
    expect(whileAttached).toBeGreaterThanOrEqual(3);
    hub.detach(v);
    await settle(); // a read already scheduled still happens
    const afterDetach = state.reads.length;
    expect(afterDetach - whileAttached).toBeLessThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(state.reads).toHaveLength(afterDetach);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('looks again shortly after Enter (poke), and never more than perSecond times a second', async () => {
    const { hub, state } = scripted();
    hub.attach(new FakeViewer());
    await settle();
    const before = state.reads.length;
    hub.poke();
    await vi.advanceTimersByTimeAsync(Math.max(...POKE_DELAYS_MS));
    await settle();
    expect(state.reads.length - before).toBe(POKE_DELAYS_MS.length);
    // Whoever asks, however often: pokes, new viewers, denials.
    for (let i = 0; i < 200; i++) {
      hub.poke();
      hub.attach(new FakeViewer());
      hub.deny({ id: i, at: i, pid: null, comm: 'x', syscall: 'mkdir', nr: 83, action: 'errno' });
      await vi.advanceTimersByTimeAsync(25);
    }
    const reads = state.reads;
    expect(reads.length).toBeGreaterThan(3 * EXPLORER_LIMITS.perSecond); // it did read, often
    for (let i = EXPLORER_LIMITS.perSecond; i < reads.length; i++) expect(reads[i]! - reads[i - EXPLORER_LIMITS.perSecond]!).toBeGreaterThanOrEqual(1000);
    hub.dispose();
  });

  it('gives a check a snapshot read at once, with the denials kept, outside the viewers’ rate', async () => {
    const { hub, state } = scripted();
    const viewer = new FakeViewer();
    hub.attach(viewer);
    await settle();
    for (let i = 1; i <= 60; i++) hub.deny({ id: i, at: i, pid: 3, comm: 'mkdir', syscall: 'mkdir', nr: 83, action: 'errno' });
    await vi.advanceTimersByTimeAsync(2000); // the viewer's refreshes for those denials are done
    const sent = viewer.got.length;
    const asked = Date.now();
    // Ten checks in a row: ten reads now, none of them waits for the rate limit or reaches a viewer.
    const before = state.reads.length;
    const snapshots = Array.from({ length: 10 }, () => hub.readForCheck());
    expect(state.reads.length - before).toBe(10);
    expect(viewer.got.length - sent).toBe(0);
    const s = snapshots.at(-1)!;
    expect(s.at).toBeGreaterThanOrEqual(asked);
    expect(s.deniedTotal).toBe(60);
    expect(s.denials.map((d) => d.id)).toEqual(Array.from({ length: EXPLORER_LIMITS.denials }, (_, i) => 60 - EXPLORER_LIMITS.denials + 1 + i));
    hub.dispose();
  });

  it('skips a backed-up viewer and resynchronises it with a full snapshot once it drained', async () => {
    const { hub, state } = scripted();
    const slow = new FakeViewer();
    const fast = new FakeViewer();
    hub.attach(slow);
    hub.attach(fast);
    await settle();
    slow.bufferedAmount = MAX_QUEUED_BYTES + 1;
    state.snapshot = { ...state.snapshot, processes: state.snapshot.processes.slice(0, 2) };
    await vi.advanceTimersByTimeAsync(1000);
    const slowCount = slow.got.length;
    expect(fast.got.at(-1)!.type).toBe('explorer-delta');
    slow.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(slow.got.length).toBe(slowCount + 1);
    expect(slow.got.at(-1)!.type).toBe('explorer');
    expect(slow.view()!.processes.map((p) => p.pid)).toEqual([1, 14]);
    expect(fast.view()!.processes.map((p) => p.pid)).toEqual([1, 14]);
    hub.dispose();
  });

  it('stops everything when disposed', async () => {
    const { hub, state } = scripted();
    hub.attach(new FakeViewer());
    hub.poke();
    hub.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(state.reads).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
