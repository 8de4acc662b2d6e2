/**
 * A browser tab's terminal connection for integration tests: the learner cookie, an Origin, the
 * lab.v1 subprotocol, a hello, and acks for what it reads, as components/terminal does.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { encodeClientFrame } from '../../protocol/frames';
import { BROWSER_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/version';
import { COOKIE } from '../identity';
import { TerminalTranscript, type Closed } from '../terminal-driver';

/** A fresh learner cookie value. */
export const newToken = () => randomBytes(32).toString('base64url');

export type { Closed };

/** A browser tab's terminal connection through the gateway: cookie, Origin, lab.v1, a hello. */
export class Browser extends TerminalTranscript {
  httpStatus: number | undefined;

  constructor(
    port: number,
    opts: { token?: string | undefined; origin?: string; terminal?: string; hello?: Record<string, unknown> | null } = {},
  ) {
    const headers: Record<string, string> = { Origin: opts.origin ?? `http://127.0.0.1:${port}` };
    if (opts.token !== undefined) headers.Cookie = `theme=dark; ${COOKIE}=${opts.token}`;
    super(new WebSocket(`ws://127.0.0.1:${port}/ws`, BROWSER_SUBPROTOCOL, { headers, perMessageDeflate: false }));
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
  }

  /** Print a marker that only the running shell can produce (the typed text spells it differently). */
  async mark(): Promise<string> {
    const n = 100_000 + Math.floor(Math.random() * 800_000);
    const marker = `marker-${n + 23}`;
    await this.command(`echo marker-$((${n} + 23))`);
    expect(this.text).toContain(marker);
    return marker;
  }
}
