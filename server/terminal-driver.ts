/**
 * A terminal connection driven by a program instead of a person: type, wait for output,
 * acknowledge what was read (as xterm.js does after parsing). `TerminalTranscript` reads server
 * frames from an open WebSocket whichever hop it is on; `TermClient` opens it on an agent
 * directly. Used by `lab lessons verify` to replay lesson solutions, and by the integration
 * tests (server/test/browser-client.ts puts the same transcript behind the browser gateway).
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { decodeServerFrame, encodeClientFrame } from '../protocol/frames';
import { parseControl, ServerControl, type Ready } from '../protocol/messages';
import type { AgentClient } from './agent-client';

export interface Closed {
  code: number;
  reason: string;
}

const WAIT_MS = 15_000;
/** Keep only the tail of a flood: callers match recent output. */
const MAX_TEXT = 1_000_000;

export class TerminalTranscript {
  text = '';
  /** Output bytes received (next expected sequence number). */
  received = 0;
  /** Acknowledge output as it arrives, as xterm.js does after parsing; off to simulate a stalled tab. */
  autoAck = true;
  ready: Ready | undefined;
  /** When output last arrived (Date.now()). */
  lastOutputAt = 0;
  /** Notices the server sent (limits hit, sandbox ending). */
  notices: string[] = [];
  closed: Closed | undefined;
  /** A control message that did not validate: the server broke the protocol. */
  protocolError: string | undefined;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') {
        this.text = (this.text + Buffer.from(f.data).toString()).slice(-MAX_TEXT);
        this.received = f.seq + f.data.length;
        this.lastOutputAt = Date.now();
        if (this.autoAck) this.ack();
      } else if (f.op === 'control') {
        const m = parseControl(ServerControl, f.json);
        if (!m.ok) this.protocolError = m.error;
        else if (m.value.type === 'ready') this.ready = m.value;
        else if (m.value.type === 'notice') this.notices.push(m.value.message);
      }
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed ??= { code, reason: reason.toString() };
      this.wake();
    });
  }

  protected wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(data: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  ack(): void {
    this.send(encodeClientFrame({ op: 'ack', seq: this.received }));
  }

  type(s: string): void {
    this.send(encodeClientFrame({ op: 'input', data: Buffer.from(s) }));
  }

  /** Resolve with the match once `re` matches the output (after `from`), or reject after a timeout. */
  async waitFor(re: RegExp, timeoutMs = WAIT_MS, from = 0): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    await this.until(() => (m = re.exec(this.text.slice(from))) !== null, `${re}`, timeoutMs);
    return m!;
  }

  /**
   * Resolve once the terminal has printed nothing for `quietMs` (or after `maxMs` anyway), as a
   * person waits for the screen to calm down before typing on. Never fails: a command that keeps
   * printing (a ping) just makes this wait its maximum.
   */
  async settle(quietMs = 300, maxMs = 5_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    const started = Date.now();
    for (;;) {
      const now = Date.now();
      const quietSince = Math.max(this.lastOutputAt, started);
      if (now - quietSince >= quietMs || now >= deadline || this.closed) return;
      await new Promise((r) => setTimeout(r, Math.min(quietMs - (now - quietSince), deadline - now)));
    }
  }

  /** Resolve once the server has said ready for this terminal. */
  async opened(timeoutMs = WAIT_MS): Promise<Ready> {
    await this.until(() => this.ready !== undefined, 'ready', timeoutMs);
    return this.ready!;
  }

  /** Resolve once a notice matching `re` has arrived. */
  async waitForNotice(re: RegExp, timeoutMs = WAIT_MS): Promise<string> {
    await this.until(() => this.notices.some((n) => re.test(n)), `notice ${re}`, timeoutMs);
    return this.notices.find((n) => re.test(n))!;
  }

  /** Resolve with how the connection closed. */
  async closedWith(timeoutMs = 20_000): Promise<Closed> {
    await this.until(() => this.closed !== undefined, 'close', timeoutMs, true);
    return this.closed!;
  }

  protected async until(test: () => boolean, what: string, timeoutMs: number, allowClosed = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (test()) return;
      if (this.protocolError) throw new Error(`the server sent a bad control message (${this.protocolError}) before ${what}`);
      if (this.closed && !allowClosed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before ${what}; output:\n${this.text}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; output:\n${this.text}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Type a command and wait for a marker printed after it, returning what it printed. */
  async command(cmd: string): Promise<string> {
    await this.opened();
    const marker = `__done_${randomBytes(4).toString('hex')}__`;
    const from = this.text.length;
    // The marker is split in the typed text so the terminal's echo of the command never matches.
    this.type(`${cmd}\recho ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    const m = await this.waitFor(new RegExp(`${marker}\\r?\\n`), WAIT_MS, from);
    // Without colours, bracket-paste toggles, carriage returns and the marker's own prompt line.
    return this.text
      .slice(from, from + m.index)
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => !l.includes('echo __done""'))
      .join('\n');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }
}

/** A terminal of session `id` on an agent, opened directly (the agent protocol). */
export class TermClient extends TerminalTranscript {
  constructor(client: AgentClient, id: string, terminal = '1', resumeFrom?: number) {
    super(client.open({ session: { id, create: true, disposeOnClose: false }, channel: { kind: 'terminal', terminal, cols: 120, rows: 40, resumeFrom } }));
  }
}
