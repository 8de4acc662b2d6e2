/**
 * The explorer panel's WebSocket to the gateway (`/ws`, same subprotocol and close codes as a
 * terminal): one hello naming the explorer channel, then only listening. The server sends a
 * full snapshot, then numbered deltas; a delta that does not follow the snapshot held means
 * something was lost, so the connection starts over to get a full snapshot again. No React here:
 * the hook (use-explorer.ts) hands it callbacks, tests hand it a fake socket.
 */
import { applyExplorerDelta, normalizeSnapshot } from '../../protocol/explorer-delta';
import type { ExplorerDelta, ExplorerFull, ExplorerSnapshot } from '../../protocol/explorer';
import { encodeClientFrame } from '../../protocol/frames';
import { CloseCode, parseControl, ServerControl, type ExplorerHello, type Notice } from '../../protocol/messages';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { reconnectDelay } from '../terminal/backoff';
import { classifyClose } from '../terminal/close-codes';
import { browserSocket, type SocketFactory } from '../terminal/connection';
import { readServerFrame, SocketSlot } from '../terminal/socket-slot';

export type ExplorerState =
  | { kind: 'connecting' }
  /** A snapshot is held and deltas are flowing. */
  | { kind: 'live' }
  | { kind: 'reconnecting'; delayMs: number }
  /** The server refused (4000-4999 or a protocol failure); the reason is a sentence. */
  | { kind: 'failed'; code: number; reason: string }
  /** The sandbox ended (4010). */
  | { kind: 'ended'; reason: string }
  /** Closed normally by the server. */
  | { kind: 'closed'; reason: string };

export interface ExplorerEvents {
  state(state: ExplorerState): void;
  /** The current picture; null once the sandbox it showed has ended. */
  snapshot(snapshot: ExplorerSnapshot | null): void;
  notice(notice: Notice): void;
}

export interface ExplorerConnectionOptions {
  url: string;
  events: ExplorerEvents;
  socketFactory?: SocketFactory;
  random?: () => number;
}

const HELLO: ExplorerHello = { type: 'hello', v: PROTOCOL_VERSION, channel: 'explorer' };

export class ExplorerConnection {
  private readonly slot: SocketSlot;
  private status: ExplorerState = { kind: 'connecting' };
  private snapshot: ExplorerSnapshot | null = null;
  /** Sequence number of the snapshot held; the next delta must carry seq + 1. */
  private seq = -1;
  /** Reconnects since the last full snapshot (transport drops). */
  private attempt = 0;
  /** Gaps since a delta last applied: a server that keeps skipping is backed off, not hammered. */
  private gaps = 0;
  private disposed = false;

  constructor(private readonly opts: ExplorerConnectionOptions) {
    this.slot = new SocketSlot(opts.url, opts.socketFactory ?? browserSocket);
  }

  get state(): ExplorerState {
    return this.status;
  }

  start(): void {
    this.open();
  }

  /** Reconnect now (a person pressed a button). */
  retryNow(): void {
    if (this.disposed) return;
    this.attempt = 0;
    this.gaps = 0;
    this.open();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.slot.cancelRetry();
    this.slot.drop(1000, 'explorer closed');
  }

  private open(): void {
    if (this.disposed) return;
    // Whatever the new socket sends first must be a full snapshot.
    this.seq = -1;
    this.setState({ kind: 'connecting' });
    this.slot.open('reconnecting', {
      open: () => this.slot.send(encodeClientFrame({ op: 'control', json: JSON.stringify(HELLO) })),
      message: (data) => this.onMessage(data),
      close: (code, reason) => this.onClose(code, reason),
    });
  }

  private onMessage(data: ArrayBuffer | string): void {
    const read = readServerFrame(data);
    if (!read.ok) {
      this.protocolError(read.error);
      return;
    }
    const frame = read.frame;
    // Output and stderr belong to terminals and runs; this channel has none to show.
    if (frame.op !== 'control') return;
    const parsed = parseControl(ServerControl, frame.json);
    if (!parsed.ok) {
      this.protocolError(parsed.error);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'explorer':
        this.onFull(message);
        break;
      case 'explorer-delta':
        this.onDelta(message);
        break;
      case 'notice':
        this.opts.events.notice(message);
        break;
      case 'ready':
      case 'exit':
        // A terminal's messages: nothing in them concerns the picture.
        break;
    }
  }

  private onFull(full: ExplorerFull): void {
    this.snapshot = normalizeSnapshot(full.snapshot);
    this.seq = full.seq;
    this.attempt = 0;
    this.setState({ kind: 'live' });
    this.opts.events.snapshot(this.snapshot);
  }

  private onDelta(delta: ExplorerDelta): void {
    if (this.snapshot === null || this.seq < 0 || delta.seq !== this.seq + 1) {
      // Something between the held snapshot and this delta is missing: start over for a full one.
      this.slot.drop(1000, 'resynchronising');
      this.scheduleRetry(reconnectDelay(this.gaps, this.opts.random));
      this.gaps += 1;
      return;
    }
    this.snapshot = applyExplorerDelta(this.snapshot, delta);
    this.seq = delta.seq;
    this.gaps = 0;
    this.opts.events.snapshot(this.snapshot);
  }

  private onClose(code: number, reason: string): void {
    if (this.disposed) return;
    switch (classifyClose(code)) {
      case 'ended':
        // The picture was of a sandbox that no longer exists.
        this.snapshot = null;
        this.opts.events.snapshot(null);
        this.setState({ kind: 'ended', reason });
        break;
      case 'error':
        this.setState({ kind: 'failed', code, reason });
        break;
      case 'normal':
        this.setState({ kind: 'closed', reason });
        break;
      case 'retry':
        this.scheduleRetry(reconnectDelay(this.attempt, this.opts.random));
        this.attempt += 1;
        break;
    }
  }

  private protocolError(detail: string): void {
    this.slot.drop(CloseCode.BAD_FRAME, 'unexpected frame');
    this.setState({ kind: 'failed', code: CloseCode.BAD_FRAME, reason: `The explorer server sent something this page does not understand (${detail}).` });
  }

  private scheduleRetry(delayMs: number): void {
    this.setState({ kind: 'reconnecting', delayMs });
    this.slot.retryIn(delayMs, () => this.open());
  }

  private setState(state: ExplorerState): void {
    this.status = state;
    this.opts.events.state(state);
  }
}
