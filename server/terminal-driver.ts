/**
 * A terminal channel to an agent driven by a program instead of a person: type, wait for output,
 * acknowledge what was read (as xterm.js does after parsing). Used by `lab lessons verify` to
 * replay lesson solutions, and by the integration tests.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { decodeServerFrame, encodeClientFrame } from '../protocol/frames';
import { parseControl, ServerControl, type Ready } from '../protocol/messages';
import type { AgentClient } from './agent-client';

/** A terminal channel with helpers to type and wait for output, as a browser would. */
export class TermClient {
  readonly ws: WebSocket;
  text = '';
  /** Output bytes received (next expected sequence number). */
  received = 0;
  /** Acknowledge output as it arrives, as xterm.js does after parsing; off to simulate a stalled tab. */
  autoAck = true;
  ready: Ready | undefined;
  /** Notices the agent sent (limits hit, sandbox ending). */
  notices: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  constructor(client: AgentClient, id: string, terminal = '1', resumeFrom?: number) {
    this.ws = client.open({ session: { id, create: true, disposeOnClose: false }, channel: { kind: 'terminal', terminal, cols: 120, rows: 40, resumeFrom } });
    this.ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') {
        // Keep only the tail of a flood: tests match recent output.
        this.text = (this.text + Buffer.from(f.data).toString()).slice(-1_000_000);
        this.received = f.seq + f.data.length;
        if (this.autoAck) this.ack();
      } else if (f.op === 'control') {
        const m = parseControl(ServerControl, f.json);
        if (m.ok && m.value.type === 'ready') this.ready = m.value;
        if (m.ok && m.value.type === 'notice') this.notices.push(m.value.message);
      }
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  ack(): void {
    this.ws.send(encodeClientFrame({ op: 'ack', seq: this.received }));
  }

  type(s: string): void {
    this.ws.send(encodeClientFrame({ op: 'input', data: Buffer.from(s) }));
  }

  /** Resolve with the match once `re` matches the output (after `from`), or reject after a timeout. */
  async waitFor(re: RegExp, timeoutMs = 15_000, from = 0): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    await this.until(() => (m = re.exec(this.text.slice(from))) !== null, `${re}`, timeoutMs);
    return m!;
  }

  /** Resolve once the agent has said ready for this terminal. */
  opened(timeoutMs = 15_000): Promise<void> {
    return this.until(() => this.ready !== undefined, 'ready', timeoutMs);
  }

  /** Resolve once a notice matching `re` has arrived. */
  async waitForNotice(re: RegExp, timeoutMs = 15_000): Promise<string> {
    await this.until(() => this.notices.some((n) => re.test(n)), `notice ${re}`, timeoutMs);
    return this.notices.find((n) => re.test(n))!;
  }

  private async until(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (test()) return;
      if (this.closed) throw new Error(`terminal closed (${this.closed.code} ${this.closed.reason}) before ${what}; output:\n${this.text}`);
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
    this.type(`${cmd}\recho ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    const m = await this.waitFor(new RegExp(`${marker}\\r?\\n`), 15_000, from);
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
    this.ws.close(1000);
  }
}
