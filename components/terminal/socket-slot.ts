/**
 * The one WebSocket a browser connection (a terminal, the explorer) holds at a time, and its
 * retry timer. Every socket opened or dropped bumps a generation, and a socket's events reach
 * the connection only while it is the current one: a late `close` of a socket we already left
 * can never tear down its successor.
 */
import { decodeServerFrame, type ServerFrame } from '../../protocol/frames';
import { BROWSER_SUBPROTOCOL } from '../../protocol/version';
import type { SocketFactory, SocketHandlers, SocketLike } from './connection';

export class SocketSlot {
  private socket: SocketLike | null = null;
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly factory: SocketFactory,
  ) {}

  get isOpen(): boolean {
    return this.socket?.isOpen ?? false;
  }

  /**
   * Drop the current socket (closing it with `reason`) and open a new one whose events reach
   * `handlers` while it is current. A socket that cannot even be constructed is reported as a
   * dropped connection (1006), synchronously.
   */
  open(reason: string, handlers: SocketHandlers): void {
    this.cancelRetry();
    this.drop(1000, reason);
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    const guarded: SocketHandlers = {
      open: () => {
        if (current()) handlers.open();
      },
      message: (data) => {
        if (current()) handlers.message(data);
      },
      close: (code, why) => {
        if (!current()) return;
        this.socket = null;
        handlers.close(code, why);
      },
    };
    try {
      this.socket = this.factory(this.url, BROWSER_SUBPROTOCOL, guarded);
    } catch (err) {
      this.socket = null;
      handlers.close(1006, err instanceof Error ? err.message : String(err));
    }
  }

  send(frame: Uint8Array): void {
    if (this.socket?.isOpen) this.socket.send(frame);
  }

  /** Close the current socket and forget it: its late events are ignored. */
  drop(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    if (!socket) return;
    try {
      socket.close(code, reason);
    } catch {
      // Already closing; nothing to do.
    }
  }

  /** Call `retry` after `delayMs`, replacing any retry already waiting. */
  retryIn(delayMs: number, retry: () => void): void {
    this.cancelRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      retry();
    }, delayMs);
  }

  cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** What arrived on a browser socket as a server frame, or the sentence saying why it is none. */
export function readServerFrame(data: ArrayBuffer | string): { ok: true; frame: ServerFrame } | { ok: false; error: string } {
  if (typeof data === 'string') return { ok: false, error: 'the server sent a text frame' };
  try {
    return { ok: true, frame: decodeServerFrame(new Uint8Array(data)) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
