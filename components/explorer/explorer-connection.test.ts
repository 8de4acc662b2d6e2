import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExplorerDelta, ExplorerSnapshot } from '../../protocol/explorer';
import { decodeClientFrame, encodeServerFrame, type ClientFrame } from '../../protocol/frames';
import { CloseCode, type ServerControl } from '../../protocol/messages';
import { BROWSER_SUBPROTOCOL } from '../../protocol/version';
import type { SocketHandlers, SocketLike } from '../terminal/connection';
import { ExplorerConnection, type ExplorerState } from './explorer-connection';
import { cgroup, proc, snapshot } from './test-fixtures';

class FakeSocket implements SocketLike {
  isOpen = false;
  sent: ClientFrame[] = [];
  closedWith: { code: number; reason: string } | null = null;
  constructor(
    readonly url: string,
    readonly protocol: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: Uint8Array): void {
    this.sent.push(decodeClientFrame(data));
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.isOpen = false;
  }
  accept(): void {
    this.isOpen = true;
    this.handlers.open();
  }
  control(message: ServerControl): void {
    this.handlers.message(encodeServerFrame({ op: 'control', json: JSON.stringify(message) }).slice().buffer);
  }
  drop(code: number, reason = ''): void {
    this.isOpen = false;
    this.handlers.close(code, reason);
  }
}

function delta(seq: number, extra: Partial<ExplorerDelta> = {}): ExplorerDelta {
  return {
    type: 'explorer-delta',
    seq,
    at: 1_700_000_001_000 + seq,
    processes: { set: [], removed: [] },
    cgroups: { set: [], removed: [] },
    denials: [],
    deniedTotal: 0,
    omittedProcesses: 0,
    omittedCgroups: 0,
    ...extra,
  };
}

function setup() {
  const sockets: FakeSocket[] = [];
  const states: ExplorerState[] = [];
  const snapshots: Array<ExplorerSnapshot | null> = [];
  const notice = vi.fn();
  const conn = new ExplorerConnection({
    url: 'ws://lab.test/ws',
    events: { state: (s) => states.push(s), snapshot: (s) => snapshots.push(s), notice },
    random: () => 0,
    socketFactory: (url, protocol, handlers) => {
      const s = new FakeSocket(url, protocol, handlers);
      sockets.push(s);
      return s;
    },
  });
  const last = () => sockets[sockets.length - 1]!;
  const latest = () => snapshots[snapshots.length - 1];
  return { conn, sockets, states, snapshots, notice, last, latest };
}

describe('ExplorerConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says one hello naming the explorer channel, then sends nothing', () => {
    const t = setup();
    t.conn.start();
    expect(t.last().protocol).toBe(BROWSER_SUBPROTOCOL);
    expect(t.last().url).toBe('ws://lab.test/ws');
    t.last().accept();
    t.last().control({ type: 'explorer', seq: 0, snapshot: snapshot() });
    t.last().control(delta(1));
    expect(t.last().sent).toHaveLength(1);
    const hello = t.last().sent[0]!;
    expect(hello.op).toBe('control');
    expect(hello.op === 'control' && JSON.parse(hello.json)).toEqual({ type: 'hello', v: 1, channel: 'explorer' });
  });

  it('takes a full snapshot, then applies deltas that follow it', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    expect(t.states.at(-1)).toEqual({ kind: 'connecting' });
    t.last().control({ type: 'explorer', seq: 7, snapshot: snapshot() });
    expect(t.states.at(-1)).toEqual({ kind: 'live' });
    expect(t.latest()?.processes.map((p) => p.pid)).toEqual([1, 5, 13, 14]);

    t.last().control(delta(8, { processes: { set: [proc(20, { ppid: 14 })], removed: [13] }, cgroups: { set: [cgroup('/hog', 5, 10)], removed: [] } }));
    expect(t.latest()?.processes.map((p) => p.pid)).toEqual([1, 5, 14, 20]);
    expect(t.latest()?.cgroups.map((c) => c.path)).toEqual(['/', '/hog']);
    t.last().control(delta(9, { processes: { set: [], removed: [20] } }));
    expect(t.latest()?.processes.map((p) => p.pid)).toEqual([1, 5, 14]);
    expect(t.sockets).toHaveLength(1);
  });

  it('on a gap in the deltas, closes and reconnects for a new full snapshot, keeping the old picture meanwhile', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control({ type: 'explorer', seq: 3, snapshot: snapshot() });
    const shown = t.snapshots.length;
    t.last().control(delta(5)); // 4 is missing
    expect(t.sockets[0]!.closedWith?.code).toBe(1000);
    expect(t.snapshots).toHaveLength(shown); // nothing applied, nothing cleared
    expect(t.states.at(-1)).toEqual({ kind: 'reconnecting', delayMs: 250 });
    vi.advanceTimersByTime(250);
    expect(t.sockets).toHaveLength(2);
    t.last().accept();
    t.last().control({ type: 'explorer', seq: 40, snapshot: snapshot({ processes: [proc(1)] }) });
    expect(t.latest()?.processes.map((p) => p.pid)).toEqual([1]);
    t.last().control(delta(41, { processes: { set: [proc(2)], removed: [] } }));
    expect(t.latest()?.processes.map((p) => p.pid)).toEqual([1, 2]);
  });

  it('treats a delta before any snapshot as a gap', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(delta(0));
    expect(t.snapshots).toEqual([]);
    expect(t.states.at(-1)?.kind).toBe('reconnecting');
  });

  it('backs off when the server keeps skipping deltas', () => {
    const t = setup();
    t.conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      t.last().accept();
      t.last().control({ type: 'explorer', seq: 0, snapshot: snapshot() });
      t.last().control(delta(2));
      const s = t.states.at(-1);
      if (s?.kind === 'reconnecting') delays.push(s.delayMs);
      vi.advanceTimersByTime(5_000);
    }
    expect(delays).toEqual([250, 500, 1000, 2000]);
  });

  it('reconnects with backoff after the connection broke, and starts over from a full snapshot', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control({ type: 'explorer', seq: 0, snapshot: snapshot() });
    t.last().drop(1006);
    expect(t.states.at(-1)).toEqual({ kind: 'reconnecting', delayMs: 250 });
    vi.advanceTimersByTime(250);
    t.last().accept();
    // The new socket's numbering is its own: a delta numbered after the old one is a gap.
    t.last().control(delta(1));
    expect(t.states.at(-1)?.kind).toBe('reconnecting');
  });

  it('forgets the picture when the sandbox ended and waits for a person or a new sandbox', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control({ type: 'explorer', seq: 0, snapshot: snapshot() });
    t.last().control({ type: 'notice', level: 'warning', message: 'Your sandbox was idle for 30 minutes.' });
    expect(t.notice).toHaveBeenCalledWith(expect.objectContaining({ message: 'Your sandbox was idle for 30 minutes.' }));
    t.last().drop(CloseCode.ENDED, 'idle');
    expect(t.latest()).toBeNull();
    expect(t.states.at(-1)).toEqual({ kind: 'ended', reason: 'idle' });
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
    t.conn.retryNow();
    expect(t.sockets).toHaveLength(2);
  });

  it('stops at a refusal, and on anything it cannot read', () => {
    const t = setup();
    t.conn.start();
    t.last().drop(CloseCode.LIMIT, 'all 8 sandbox slots are in use');
    expect(t.states.at(-1)).toEqual({ kind: 'failed', code: 4029, reason: 'all 8 sandbox slots are in use' });

    t.conn.retryNow();
    t.last().accept();
    t.last().handlers.message(encodeServerFrame({ op: 'control', json: '{"type":"explorer"}' }).slice().buffer);
    expect(t.states.at(-1)).toMatchObject({ kind: 'failed', code: CloseCode.BAD_FRAME });
    expect(t.last().closedWith?.code).toBe(CloseCode.BAD_FRAME);
  });

  it('ignores everything from a socket it has left, and after dispose', () => {
    const t = setup();
    t.conn.start();
    const first = t.last();
    first.accept();
    t.conn.retryNow();
    first.control({ type: 'explorer', seq: 0, snapshot: snapshot() });
    expect(t.snapshots).toEqual([]);
    t.conn.dispose();
    expect(t.last().closedWith).toEqual({ code: 1000, reason: 'explorer closed' });
    t.last().drop(1006);
    vi.advanceTimersByTime(10_000);
    expect(t.sockets).toHaveLength(2);
  });
});
