/**
 * The explorer panel's connection for integration tests: cookie, Origin, lab.v1, the explorer
 * hello; it keeps the latest snapshot by applying deltas in order, as the page does, and fails
 * loudly on a delta out of order or a message that does not validate.
 */
import { WebSocket } from 'ws';
import type { ExplorerSnapshot } from '../../protocol/explorer';
import { applyExplorerDelta } from '../../protocol/explorer-delta';
import { decodeServerFrame, encodeClientFrame } from '../../protocol/frames';
import { parseControl, ServerControl } from '../../protocol/messages';
import { BROWSER_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/version';
import { COOKIE } from '../identity';
import type { Closed } from '../terminal-driver';

export class ExplorerClient {
  readonly ws: WebSocket;
  snapshot: ExplorerSnapshot | undefined;
  seq = -1;
  fulls = 0;
  deltas = 0;
  closed: Closed | undefined;
  error: string | undefined;

  constructor(port: number, token: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, BROWSER_SUBPROTOCOL, {
      headers: { Origin: `http://127.0.0.1:${port}`, Cookie: `${COOKIE}=${token}` },
      perMessageDeflate: false,
    });
    this.ws.on('error', () => undefined);
    this.ws.on('open', () => this.ws.send(encodeClientFrame({ op: 'control', json: JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, channel: 'explorer' }) })));
    this.ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op !== 'control') return void (this.error = `unexpected ${f.op} frame on an explorer channel`);
      const m = parseControl(ServerControl, f.json);
      if (!m.ok) return void (this.error = m.error);
      if (m.value.type === 'explorer') {
        this.snapshot = m.value.snapshot;
        this.seq = m.value.seq;
        this.fulls++;
      } else if (m.value.type === 'explorer-delta') {
        if (!this.snapshot || m.value.seq !== this.seq + 1) return void (this.error = `delta ${m.value.seq} after ${this.seq}`);
        this.snapshot = applyExplorerDelta(this.snapshot, m.value);
        this.seq = m.value.seq;
        this.deltas++;
      }
    });
    this.ws.on('close', (code, reason) => (this.closed ??= { code, reason: reason.toString() }));
  }

  /** Resolve with the snapshot once `test` holds for it, polling; reject after `timeoutMs`. */
  async until(test: (s: ExplorerSnapshot) => boolean, what: string, timeoutMs = 15_000): Promise<ExplorerSnapshot> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.error) throw new Error(`explorer protocol error: ${this.error}`);
      if (this.snapshot && test(this.snapshot)) return this.snapshot;
      if (this.closed) throw new Error(`explorer closed (${this.closed.code} ${this.closed.reason}) before ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(this.snapshot)?.slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async closedWith(timeoutMs = 10_000): Promise<Closed> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the explorer to close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }
}
