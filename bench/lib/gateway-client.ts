/**
 * A learner's terminal connection for benchmarks: what a browser tab does (learner cookie,
 * Origin, lab.v1, a hello, acks as xterm.js sends them), with nothing in the hot path that a
 * measurement would see. Differences from server/test/browser-client.ts, which is for tests:
 *  - timestamps are taken with performance.now() inside the 'message' handler, so a wait that
 *    resolves later (promise ticks) does not add to the measured time;
 *  - only a short tail of the output is kept as text (latin1, byte for byte), so a 67 MB flood
 *    costs the client almost nothing: "parse time simulated as zero";
 *  - acks come from the browser's own AckTracker (components/terminal/ack-tracker.ts): one per
 *    ACK_BYTES parsed plus one after ACK_IDLE_MS of quiet, exactly the browser's policy.
 * Other figure modules may import it (density, classroom).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { AckTracker } from '../../components/terminal/ack-tracker';
import { decodeServerFrame, encodeClientFrame } from '../../protocol/frames';
import { parseControl, ServerControl, type Ready } from '../../protocol/messages';
import { BROWSER_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/version';

/** Name of the learner cookie (server/identity.ts COOKIE; not imported: that module is server-only Node code with crypto). */
const COOKIE = 'lab_learner';
/** Output kept as text for matching prompts and echoes. */
const TAIL_CHARS = 8192;
const DEFAULT_WAIT_MS = 15_000;

/** A fresh learner cookie value (32 random bytes, base64url: what the server mints). */
export const newLearnerToken = (): string => randomBytes(32).toString('base64url');

export interface Closed {
  code: number;
  reason: string;
}

interface Waiter {
  re: RegExp;
  fromSeq: number;
  resolve: (at: number) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ClientOptions {
  /** ws://host:port/ws; the Origin header is derived from it. */
  url: string;
  /**
   * A socket someone else opened and says hello on (e.g. AgentClient.open, straight to the
   * agent): then `url` and `token` are unused and no browser hello is sent.
   */
  socket?: WebSocket;
  /** Learner cookie; a fresh one (a new learner, hence a new sandbox) by default. */
  token?: string;
  terminal?: string;
  cols?: number;
  rows?: number;
  /** Acknowledge output like xterm.js (default), or never (a stalled tab). */
  ack?: 'xterm' | 'none';
}

export class GatewayClient {
  readonly token: string;
  readonly ws: WebSocket;
  /** performance.now() when the connection was requested: the HTTP upgrade request leaves now. */
  readonly requestedAt: number;
  openedAt: number | undefined;
  readyAt: number | undefined;
  ready: Ready | undefined;
  /** When the first output byte arrived (for a fresh sandbox: the first byte of the prompt). */
  firstOutputAt: number | undefined;
  lastOutputAt = 0;
  /** Next expected output sequence number (= output bytes seen, plus the ready's `from`). */
  received = 0;
  /** Output bytes received on this connection (replay included). */
  bytes = 0;
  notices: string[] = [];
  closed: Closed | undefined;
  httpStatus: number | undefined;
  /** Called for every output frame with its arrival time; keep it cheap. */
  onOutput: ((data: Buffer, at: number) => void) | undefined;
  private tail = '';
  private tailStart = 0;
  private waiters: Waiter[] = [];
  private readonly acks: AckTracker | undefined;
  private openWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(opts: ClientOptions) {
    this.token = opts.token ?? newLearnerToken();
    this.requestedAt = performance.now();
    if (opts.socket) {
      this.ws = opts.socket;
    } else {
      const origin = new URL(opts.url);
      origin.protocol = origin.protocol === 'wss:' ? 'https:' : 'http:';
      this.ws = new WebSocket(opts.url, BROWSER_SUBPROTOCOL, {
        headers: { Origin: origin.origin, Cookie: `${COOKIE}=${this.token}` },
        perMessageDeflate: false,
      });
    }
    this.ws.binaryType = 'nodebuffer';
    this.acks = opts.ack === 'none' ? undefined : new AckTracker((seq) => this.send(encodeClientFrame({ op: 'ack', seq })));
    this.ws.on('unexpected-response', (req, res) => {
      this.httpStatus = res.statusCode;
      res.resume();
      req.destroy();
      this.onClose({ code: -1, reason: `HTTP ${res.statusCode}` });
    });
    this.ws.on('error', () => undefined);
    this.ws.on('open', () => {
      this.openedAt = performance.now();
      if (opts.socket) return;
      const hello = { type: 'hello', v: PROTOCOL_VERSION, terminal: opts.terminal ?? '1', cols: opts.cols ?? 80, rows: opts.rows ?? 24, resumeFrom: 0 };
      this.send(encodeClientFrame({ op: 'control', json: JSON.stringify(hello) }));
    });
    this.ws.on('message', (d: Buffer) => this.onMessage(d));
    this.ws.on('close', (code, reason) => this.onClose({ code, reason: reason.toString() }));
  }

  private onMessage(d: Buffer): void {
    const at = performance.now();
    const f = decodeServerFrame(d);
    if (f.op === 'output') {
      const data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      this.firstOutputAt ??= at;
      this.lastOutputAt = at;
      this.received = f.seq + data.length;
      this.bytes += data.length;
      this.appendTail(data, f.seq);
      this.onOutput?.(data, at);
      this.acks?.parsed(this.received);
      this.checkWaiters(at);
    } else if (f.op === 'control') {
      const m = parseControl(ServerControl, f.json);
      if (!m.ok) return this.fail(new Error(`the server sent a bad control message: ${m.error}`));
      if (m.value.type === 'ready') {
        this.ready = m.value;
        this.readyAt = at;
        this.received = m.value.from;
        this.tailStart = m.value.from;
        this.acks?.rebase(m.value.from);
        for (const w of this.openWaiters.splice(0)) w.resolve();
      } else if (m.value.type === 'notice') {
        this.notices.push(m.value.message);
      }
    }
  }

  private appendTail(data: Buffer, seq: number): void {
    const piece = data.length > TAIL_CHARS ? data.subarray(data.length - TAIL_CHARS).toString('latin1') : data.toString('latin1');
    const pieceStart = seq + data.length - piece.length;
    const joined = this.tail + piece;
    const drop = Math.max(0, joined.length - TAIL_CHARS);
    // A piece cut from a large frame leaves a hole; the tail then starts at the piece.
    if (pieceStart !== this.tailStart + this.tail.length) {
      this.tail = piece;
      this.tailStart = pieceStart;
    } else {
      this.tail = joined.slice(drop);
      this.tailStart += drop;
    }
  }

  private checkWaiters(at: number): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      const text = this.tail.slice(Math.max(0, w.fromSeq - this.tailStart));
      if (!w.re.test(text)) return true;
      clearTimeout(w.timer);
      w.resolve(at);
      return false;
    });
  }

  private onClose(c: Closed): void {
    this.closed ??= c;
    this.acks?.dispose();
    this.fail(new Error(`connection closed (${c.code} ${c.reason})`));
  }

  private fail(e: Error): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    for (const w of this.openWaiters.splice(0)) w.reject(e);
  }

  /** Output text since sequence number `fromSeq` (as far as the tail still holds it). */
  textSince(fromSeq: number): string {
    return this.tail.slice(Math.max(0, fromSeq - this.tailStart));
  }

  /** The last output, as latin1 text. */
  get text(): string {
    return this.tail;
  }

  /** Resolve once the server said ready. */
  opened(timeoutMs = DEFAULT_WAIT_MS): Promise<Ready> {
    if (this.ready) return Promise.resolve(this.ready);
    if (this.closed) return Promise.reject(new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before ready`));
    return new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for ready')), timeoutMs);
      this.openWaiters.push({
        resolve: () => {
          clearTimeout(timer);
          resolve(this.ready!);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /**
   * Resolve with the arrival time (performance.now()) of the output frame that made `re` match
   * the output received since `fromSeq` (default: from now on).
   */
  waitFor(re: RegExp, opts: { fromSeq?: number; timeoutMs?: number } = {}): Promise<number> {
    const fromSeq = opts.fromSeq ?? this.received;
    if (re.test(this.textSince(fromSeq))) return Promise.resolve(this.lastOutputAt);
    if (this.closed) return Promise.reject(new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before ${re}`));
    return new Promise<number>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re}; last output: ${JSON.stringify(this.tail.slice(-200))}`));
      }, timeoutMs);
      this.waiters.push({ re, fromSeq, resolve, reject, timer });
    });
  }

  /** Resolve with the arrival time of the first output byte (the prompt of a fresh shell). */
  async firstOutput(timeoutMs = DEFAULT_WAIT_MS): Promise<number> {
    if (this.firstOutputAt !== undefined) return this.firstOutputAt;
    await this.waitFor(/[^]/, { fromSeq: 0, timeoutMs });
    return this.firstOutputAt!;
  }

  send(data: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** Send keystrokes; returns performance.now() just before the frame is handed to the socket. */
  type(s: string | Uint8Array): number {
    const frame = encodeClientFrame({ op: 'input', data: typeof s === 'string' ? Buffer.from(s) : s });
    const at = performance.now();
    this.send(frame);
    return at;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }

  /** Resolve once the connection is closed (closing it first if asked). */
  async closeAndWait(timeoutMs = 5000): Promise<void> {
    this.close();
    if (this.closed || this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** ws://… /ws URL of a bench server's gateway from its http:// base URL. */
export function gatewayUrl(baseUrl: string): string {
  const u = new URL('/ws', baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/**
 * POST /api/sandbox/reset as this learner (same-origin, with the cookie): the web tier ends the
 * session and waits until the agent has disposed the sandbox. Resolves with the HTTP status.
 */
export function resetSandbox(baseUrl: string, token: string, timeoutMs = 30_000): Promise<number> {
  const url = new URL('/api/sandbox/reset', baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { Origin: url.origin, Cookie: `${COOKIE}=${token}`, 'content-length': '0' }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`reset timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A learner with a running shell: connect, wait for the prompt, set a prompt the benchmark can
 * recognise (`PS1`), and return the client. `prompt` must not occur in the output it waits past.
 */
export async function openShell(baseUrl: string, opts: Partial<ClientOptions> & { prompt?: string } = {}): Promise<GatewayClient> {
  const c = new GatewayClient({ url: gatewayUrl(baseUrl), ...opts });
  try {
    await c.opened(30_000);
    await c.firstOutput(30_000);
    if (opts.prompt !== undefined) await setPrompt(c, opts.prompt);
    return c;
  } catch (e) {
    c.close();
    throw e;
  }
}

/** Set PS1 to `prompt` and wait until it shows (the typed line spells it differently). */
export async function setPrompt(c: GatewayClient, prompt: string): Promise<void> {
  const from = c.received;
  // printf %s builds the prompt from two halves, so the echo of the typed line never matches it.
  const half = Math.ceil(prompt.length / 2);
  c.type(`PS1="$(printf %s '${prompt.slice(0, half)}' '${prompt.slice(half)}')"\r`);
  await c.waitFor(new RegExp(`${escapeRegExp(prompt)}$`), { fromSeq: from, timeoutMs: 15_000 });
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
