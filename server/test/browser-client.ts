/**
 * A browser tab's terminal connection for integration tests: the learner cookie, an Origin, the
 * lab.v1 subprotocol, a hello, and acks for what it reads, as components/terminal does.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { decodeServerFrame, encodeClientFrame } from '../../protocol/frames';
import { parseControl, ServerControl, type Ready } from '../../protocol/messages';
import { BROWSER_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/version';
import { COOKIE } from '../identity';

/** A fresh learner cookie value. */
export const newToken = () => randomBytes(32).toString('base64url');

export interface Closed {
  code: number;
  reason: string;
}

export class Browser {
  readonly ws: WebSocket;
  text = '';
  ready: Ready | undefined;
  closed: Closed | undefined;
  httpStatus: number | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    port: number,
    opts: { token?: string | undefined; origin?: string; terminal?: string; hello?: Record<string, unknown> | null } = {},
  ) {
    const headers: Record<string, string> = { Origin: opts.origin ?? `http://127.0.0.1:${port}` };
    if (opts.token !== undefined) headers.Cookie = `theme=dark; ${COOKIE}=${opts.token}`;
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, BROWSER_SUBPROTOCOL, { headers, perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('unexpected-response', (req, res) => {
      this.httpStatus = res.statusCode;
      res.resume();
      req.destroy();
      this.closed = { code: -1, reason: `HTTP ${res.statusCode}` };
      this.wake();
    });
    this.ws.on('error', () => undefined);
    this.ws.on('open', () => {
      if (opts.hello === null) return;
      const hello = { type: 'hello', v: PROTOCOL_VERSION, terminal: opts.terminal ?? '1', cols: 80, rows: 24, resumeFrom: 0, ...opts.hello };
      this.send(encodeClientFrame({ op: 'control', json: JSON.stringify(hello) }));
    });
    this.ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') {
        this.text += Buffer.from(f.data).toString();
        this.send(encodeClientFrame({ op: 'ack', seq: f.seq + f.data.length }));
      } else if (f.op === 'control') {
        const m = parseControl(ServerControl, f.json);
        if (!m.ok) throw new Error(`server sent a bad control message: ${m.error}`);
        if (m.value.type === 'ready') this.ready = m.value;
      }
      this.wake();
    });
    this.ws.on('close', (code, why) => {
      this.closed ??= { code, reason: why.toString() };
      this.wake();
    });
  }

  send(data: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  type(s: string): void {
    this.send(encodeClientFrame({ op: 'input', data: Buffer.from(s) }));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(test: () => boolean, what: string, timeoutMs = 20_000, allowClosed = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (test()) return;
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

  async opened(): Promise<Ready> {
    await this.until(() => this.ready !== undefined, 'ready');
    return this.ready!;
  }

  async closedWith(): Promise<Closed> {
    await this.until(() => this.closed !== undefined, 'close', 20_000, true);
    return this.closed!;
  }

  async waitFor(re: RegExp, from = 0): Promise<void> {
    await this.until(() => re.test(this.text.slice(from)), `${re}`);
  }

  /** Type a command and return what it printed (up to a marker the shell prints afterwards). */
  async command(cmd: string): Promise<string> {
    await this.opened();
    const marker = `__done_${randomBytes(4).toString('hex')}__`;
    const from = this.text.length;
    // The marker is split in the typed text so the terminal's echo of the command never matches.
    this.type(`${cmd}\recho ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    const re = new RegExp(`${marker}\\r?\\n`);
    await this.waitFor(re, from);
    const out = this.text.slice(from);
    return out.slice(0, re.exec(out)!.index).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }

  /** Print a marker that only the running shell can produce (the typed text spells it differently). */
  async mark(): Promise<string> {
    const n = 100_000 + Math.floor(Math.random() * 800_000);
    const marker = `marker-${n + 23}`;
    await this.command(`echo marker-$((${n} + 23))`);
    expect(this.text).toContain(marker);
    return marker;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }
}
