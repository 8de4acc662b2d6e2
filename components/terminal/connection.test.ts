import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeClientFrame, encodeServerFrame, type ClientFrame } from '../../protocol/frames';
import { ACK_IDLE_MS } from '../../protocol/limits';
import { CloseCode, type ServerControl } from '../../protocol/messages';
import { BROWSER_SUBPROTOCOL } from '../../protocol/version';
import { BACKOFF_MAX_MS } from './backoff';
import { gatewayUrl, TerminalConnection, type ConnectionState, type SocketHandlers, type SocketLike } from './connection';

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
  // Server side of the fake:
  accept(): void {
    this.isOpen = true;
    this.handlers.open();
  }
  control(message: ServerControl): void {
    this.deliver(encodeServerFrame({ op: 'control', json: JSON.stringify(message) }));
  }
  output(seq: number, text: string): void {
    this.deliver(encodeServerFrame({ op: 'output', seq, data: new TextEncoder().encode(text) }));
  }
  deliver(frame: Uint8Array): void {
    this.handlers.message(frame.slice().buffer);
  }
  drop(code: number, reason = ''): void {
    this.isOpen = false;
    this.handlers.close(code, reason);
  }
  hello(): unknown {
    const first = this.sent[0];
    return first?.op === 'control' ? JSON.parse(first.json) : undefined;
  }
}

function ready(from: number, extra: Partial<Extract<ServerControl, { type: 'ready' }>> = {}): ServerControl {
  return { type: 'ready', session: 'session-1234', terminal: '1', from, gap: false, terminals: ['1'], ...extra };
}

function setup(random = () => 0) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const written: string[] = [];
  const pendingParse: Array<() => void> = [];
  const view = {
    resets: 0,
    notes: [] as string[],
    cols: 100,
    rows: 30,
    write(data: Uint8Array, parsed: () => void) {
      written.push(new TextDecoder().decode(data));
      pendingParse.push(parsed);
    },
    reset() {
      view.resets += 1;
    },
    note(text: string) {
      view.notes.push(text);
    },
    size() {
      return { cols: view.cols, rows: view.rows };
    },
  };
  const events = { ready: vi.fn(), notice: vi.fn(), state: (s: ConnectionState) => states.push(s) };
  const conn = new TerminalConnection({
    url: 'ws://lab.test/ws',
    terminal: '1',
    view,
    events,
    exitMessage: '[process exited, press Enter to start a new shell]',
    newSandboxMessage: 'This is a new sandbox.',
    random,
    socketFactory: (url, protocol, handlers) => {
      const s = new FakeSocket(url, protocol, handlers);
      sockets.push(s);
      return s;
    },
  });
  const parseAll = () => pendingParse.splice(0).forEach((cb) => cb());
  const last = () => sockets[sockets.length - 1]!;
  return { conn, sockets, states, written, view, events, parseAll, last };
}

describe('TerminalConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('derives the gateway URL from the page location', () => {
    expect(gatewayUrl({ protocol: 'http:', host: '10.0.0.5:3000' })).toBe('ws://10.0.0.5:3000/ws');
    expect(gatewayUrl({ protocol: 'https:', host: 'lab.example' })).toBe('wss://lab.example/ws');
  });

  it('says hello with the subprotocol, size and resumeFrom 0 on a fresh page', () => {
    const t = setup();
    t.conn.start();
    expect(t.last().protocol).toBe(BROWSER_SUBPROTOCOL);
    expect(t.last().url).toBe('ws://lab.test/ws');
    t.last().accept();
    expect(t.last().hello()).toEqual({ type: 'hello', v: 1, terminal: '1', cols: 100, rows: 30, resumeFrom: 0 });
    expect(t.states.at(-1)).toEqual({ kind: 'connecting' });
  });

  it('writes output, then acks what xterm parsed on the idle timer', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(0, { terminals: ['1', '2'] }));
    expect(t.states.at(-1)).toEqual({ kind: 'ready' });
    expect(t.events.ready).toHaveBeenCalledWith(expect.objectContaining({ terminals: ['1', '2'] }));
    t.last().output(0, 'hello ');
    t.last().output(6, 'world');
    expect(t.written).toEqual(['hello ', 'world']);
    vi.advanceTimersByTime(ACK_IDLE_MS * 2);
    expect(t.last().sent.filter((f) => f.op === 'ack')).toEqual([]); // nothing parsed yet
    t.parseAll();
    vi.advanceTimersByTime(ACK_IDLE_MS);
    expect(t.last().sent.filter((f) => f.op === 'ack')).toEqual([{ op: 'ack', seq: 11 }]);
  });

  it('sends input in chunks only when ready, and resizes', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    expect(t.conn.send('early')).toBe(false);
    t.last().control(ready(0));
    expect(t.conn.send('x'.repeat(40_000))).toBe(true);
    const inputs = t.last().sent.filter((f) => f.op === 'input');
    expect(inputs.length).toBe(3);
    t.conn.resize({ cols: 1000, rows: 50 });
    expect(t.last().sent.at(-1)).toEqual({ op: 'resize', cols: 500, rows: 50 });
  });

  it('tells the pty about a size change that happened before Ready', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.view.cols = 120;
    t.last().control(ready(0, { cols: 100, rows: 30 }));
    expect(t.last().sent.at(-1)).toEqual({ op: 'resize', cols: 120, rows: 30 });
  });

  it('reconnects after an abnormal close and resumes from the bytes written', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(0));
    t.last().output(0, 'abcdef');
    t.last().drop(1006);
    expect(t.states.at(-1)).toEqual({ kind: 'reconnecting', attempt: 1, delayMs: 250 });
    vi.advanceTimersByTime(249);
    expect(t.sockets.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(t.sockets.length).toBe(2);
    t.last().accept();
    expect(t.last().hello()).toMatchObject({ resumeFrom: 6 });
    t.last().control(ready(6));
    expect(t.view.resets).toBe(0);
    // An overlapping replay is trimmed, not written twice.
    t.last().output(4, 'efgh');
    expect(t.written).toEqual(['abcdef', 'gh']);
  });

  it('backs off exponentially up to 5 s while the server stays away', () => {
    const t = setup();
    t.conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      t.last().drop(1006);
      const s = t.states.at(-1);
      if (s?.kind === 'reconnecting') delays.push(s.delayMs);
      vi.advanceTimersByTime(BACKOFF_MAX_MS);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('resets the screen when output skips ahead or Ready reports a gap', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(500, { gap: true }));
    expect(t.view.resets).toBe(1);
    t.last().output(500, 'a');
    t.last().output(900, 'b');
    expect(t.view.resets).toBe(2);
    expect(t.conn.written).toBe(901);
  });

  it('shows server refusals and does not retry them', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().drop(CloseCode.LIMIT, 'This sandbox already has 4 terminals open.');
    expect(t.states.at(-1)).toEqual({ kind: 'failed', code: CloseCode.LIMIT, reason: 'This sandbox already has 4 terminals open.' });
    vi.advanceTimersByTime(60_000);
    expect(t.sockets.length).toBe(1);
  });

  it('reports an ended sandbox', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().drop(CloseCode.ENDED, 'Your sandbox timed out.');
    expect(t.states.at(-1)).toEqual({ kind: 'ended', reason: 'Your sandbox timed out.' });
  });

  it('after an exit, Enter opens a fresh shell and keeps the old screen', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(0));
    t.last().output(0, 'bye\r\n');
    t.last().control({ type: 'exit', code: 0, signal: null });
    expect(t.view.notes).toEqual(['[process exited, press Enter to start a new shell]']);
    t.last().drop(1000);
    expect(t.states.at(-1)).toMatchObject({ kind: 'exited' });
    t.conn.userInput('x');
    expect(t.sockets.length).toBe(1);
    t.conn.userInput('\r');
    expect(t.sockets.length).toBe(2);
    t.last().accept();
    expect(t.last().hello()).toMatchObject({ resumeFrom: 0 });
    t.last().control(ready(0));
    expect(t.view.resets).toBe(0);
    expect(t.states.at(-1)).toEqual({ kind: 'ready' });
  });

  it('ignores late parse callbacks from before a new shell', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(0));
    t.last().output(0, 'x'.repeat(100));
    t.last().control({ type: 'exit', code: 0, signal: null });
    t.conn.userInput('\r');
    t.last().accept();
    t.last().control(ready(0));
    t.parseAll(); // the old shell's 100 bytes finish parsing now
    vi.advanceTimersByTime(ACK_IDLE_MS);
    expect(t.last().sent.filter((f) => f.op === 'ack')).toEqual([]);
  });

  it('closes with BAD_FRAME on a frame it cannot decode', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().deliver(Uint8Array.of(0x99));
    expect(t.last().closedWith?.code).toBe(CloseCode.BAD_FRAME);
    expect(t.states.at(-1)).toMatchObject({ kind: 'failed', code: CloseCode.BAD_FRAME });
  });

  it('passes notices on', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control({ type: 'notice', level: 'warning', message: 'Memory limit reached.' });
    expect(t.events.notice).toHaveBeenCalledWith({ type: 'notice', level: 'warning', message: 'Memory limit reached.' });
  });

  it('says so when a reconnect lands in a new sandbox', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().control(ready(0));
    t.last().output(0, 'old screen');
    t.last().drop(1006);
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    t.last().accept();
    t.last().control(ready(0, { session: 'another-session' }));
    expect(t.view.resets).toBe(1); // numbering restarted: the old screen is gone
    expect(t.events.notice).toHaveBeenCalledWith({ type: 'notice', level: 'warning', message: 'This is a new sandbox.' });
  });

  it('dispose closes the socket and cancels a pending reconnect', () => {
    const t = setup();
    t.conn.start();
    t.last().accept();
    t.last().drop(1006);
    t.conn.dispose();
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    expect(t.sockets.length).toBe(1);
    const u = setup();
    u.conn.start();
    u.last().accept();
    u.conn.dispose();
    expect(u.last().closedWith).toEqual({ code: 1000, reason: 'terminal closed' });
  });
});
