/**
 * One simulated browser terminal for `lab loadtest`: the transcript of server/terminal-driver.ts
 * behind the real gateway (cookie, Origin, lab.v1, a BrowserHello, as server/test/browser-client.ts
 * opens it), plus what a load run needs on top:
 *  - acks paced like xterm.js's (components/terminal/ack-tracker.ts: every ACK_BYTES parsed and
 *    on an idle timer), not one per frame;
 *  - the time from each printable key sent to its echo coming back;
 *  - how the connection ended, sorted into dropped (the shell or the sandbox ended) and error.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { AckTracker } from '../components/terminal/ack-tracker';
import { ackFrame, helloFrame, inputFrames } from '../components/terminal/client-frames';
import { decodeServerFrame } from '../protocol/frames';
import { CloseCode, parseControl, ServerControl, type Exit, type TerminalId } from '../protocol/messages';
import { BROWSER_SUBPROTOCOL } from '../protocol/version';
import { COOKIE } from '../server/identity';
import { TerminalTranscript, type Closed } from '../server/terminal-driver';
import { isTimedKey } from './loadtest-scenario';

/** A key whose echo has not come back after this long is given up on (counted, never timed). */
export const ECHO_GIVE_UP_MS = 30_000;
/** The size a browser pane of a lesson page has, roughly. */
export const TERMINAL_SIZE = { cols: 120, rows: 32 } as const;

export type TerminalEnd = { kind: 'dropped'; why: string } | { kind: 'error'; why: string };

/**
 * How a terminal connection that we did not close ended. The shell exiting or the sandbox ending
 * (4010, with the agent's notice) is a dropped session; anything else (the server refusing the
 * handshake, a limit, the gateway losing its agent, a reset connection) is an error.
 */
export function classifyEnd(closed: Closed, exit: Exit | undefined, notices: readonly string[]): TerminalEnd {
  if (exit) return { kind: 'dropped', why: `the shell ended (${exit.signal !== null ? `signal ${exit.signal}` : `exit ${exit.code}`})` };
  const said = notices.length ? `: ${notices.at(-1)}` : closed.reason ? `: ${closed.reason}` : '';
  if (closed.code === CloseCode.ENDED) return { kind: 'dropped', why: `the sandbox ended (4010${said})` };
  if (closed.code === -1) return { kind: 'error', why: `the WebSocket handshake failed (${closed.reason})` };
  return { kind: 'error', why: `the terminal closed unexpectedly (${closed.code}${said})` };
}

export interface TerminalHooks {
  /** A printable key's echo came back after `ms`. */
  echo(ms: number): void;
  /** Keys whose echo never came. */
  unechoed(count: number): void;
  /** The connection ended without us closing it. */
  ended(end: TerminalEnd): void;
}

export class GatewayTerminal extends TerminalTranscript {
  exit: Exit | undefined;
  /** Set when the server refused the handshake with an HTTP status. */
  httpStatus: number | undefined;
  private closing = false;
  private readonly pending: Array<{ key: string; at: number }> = [];
  private readonly acks: AckTracker;

  constructor(
    base: string,
    cookie: string,
    readonly id: TerminalId,
    resumeFrom: number,
    private readonly hooks: TerminalHooks,
  ) {
    const origin = new URL(base);
    const wsUrl = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}/ws`;
    super(new WebSocket(wsUrl, BROWSER_SUBPROTOCOL, { headers: { Origin: origin.origin, Cookie: `${COOKIE}=${cookie}` }, perMessageDeflate: false }));
    // Acks as xterm.js sends them once it has parsed: we "parse" on arrival.
    this.autoAck = false;
    this.acks = new AckTracker((seq) => this.send(ackFrame(seq)));
    this.ws.on('unexpected-response', (req, res) => {
      this.httpStatus = res.statusCode;
      res.resume();
      req.destroy();
      this.closed = { code: -1, reason: `HTTP ${res.statusCode}` };
      this.wake();
    });
    let opened = false;
    let lastError = '';
    this.ws.on('error', (e) => {
      // 'close' follows with 1006; keep the cause for the reason. Before the open, the
      // handshake itself failed (refused connection, reset, bad answer).
      lastError = e.message;
      if (!opened) this.closed ??= { code: -1, reason: e.message };
    });
    this.ws.on('open', () => {
      opened = true;
      this.send(helloFrame(id, TERMINAL_SIZE, resumeFrom));
    });
    // The transcript's own listener (registered first) has updated `received` and `ready`.
    this.ws.on('message', (d: Buffer) => this.onFrame(d));
    this.ws.on('close', () => {
      this.acks.dispose();
      this.giveUpOnEchoes(0);
      if (this.closing) return;
      const closed = this.closed ?? { code: 1006, reason: '' };
      this.hooks.ended(classifyEnd(closed.reason === '' && lastError ? { ...closed, reason: lastError } : closed, this.exit, this.notices));
    });
  }

  private onFrame(d: Buffer): void {
    const f = decodeServerFrame(d);
    if (f.op === 'output') {
      this.matchEchoes(f.data);
      this.acks.parsed(this.received);
    } else if (f.op === 'control') {
      const m = parseControl(ServerControl, f.json);
      if (m.ok && m.value.type === 'exit') this.exit = m.value;
      // Output continues from `from` (replay included): nothing before it is outstanding.
      if (m.ok && m.value.type === 'ready') this.acks.rebase(m.value.from);
    }
  }

  /**
   * Output that contains the oldest pending keys, in order, is their echo. A terminal echoes
   * what it is typed in order and before the command's output, so matching in order is right;
   * a key with no echo (a program that turned echo off) is given up on after ECHO_GIVE_UP_MS.
   */
  private matchEchoes(data: Uint8Array): void {
    if (this.pending.length === 0) return;
    const now = performance.now();
    for (const byte of data) {
      const next = this.pending[0];
      if (!next) break;
      if (byte === next.key.charCodeAt(0)) {
        this.pending.shift();
        this.hooks.echo(now - next.at);
      }
    }
    this.giveUpOnEchoes(ECHO_GIVE_UP_MS);
  }

  private giveUpOnEchoes(olderThanMs: number): void {
    const limit = performance.now() - olderThanMs;
    let n = 0;
    while (this.pending.length > 0 && this.pending[0]!.at <= limit) {
      this.pending.shift();
      n++;
    }
    if (n > 0) this.hooks.unechoed(n);
  }

  /** Send one key as a browser does (one INPUT frame per keypress); time its echo if printable. */
  typeKey(key: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (isTimedKey(key)) this.pending.push({ key, at: performance.now() });
    this.giveUpOnEchoes(ECHO_GIVE_UP_MS);
    for (const frame of inputFrames(key)) this.send(frame);
  }

  /** Close as the page does when it goes away; not a drop. */
  override close(): void {
    this.closing = true;
    this.pending.length = 0;
    super.close();
  }

  /** Close and wait until the server has seen it (bounded). */
  async closeAndWait(timeoutMs = 5_000): Promise<void> {
    this.close();
    await this.closedWith(timeoutMs).catch(() => undefined);
  }
}
