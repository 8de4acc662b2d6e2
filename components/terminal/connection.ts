/**
 * One terminal's WebSocket to the gateway (`/ws`): hello, output with resume and flow control,
 * control messages, input, resize, and reconnects. The only module that speaks the wire protocol
 * in the browser (DESIGN.md §3). It knows nothing of React or xterm.js: the pane hands it a small
 * TerminalView, and tests hand it a fake socket.
 */
import { CloseCode, parseControl, ServerControl, type Exit, type Notice, type Ready, type TerminalId } from '../../protocol/messages';
import { AckTracker } from './ack-tracker';
import { reconnectDelay } from './backoff';
import { ackFrame, clampSize, helloFrame, inputFrames, resizeFrame, type TermSize } from './client-frames';
import { classifyClose } from './close-codes';
import { OutputSequence } from './output-sequence';
import { readServerFrame, SocketSlot } from './socket-slot';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'ready' }
  | { kind: 'reconnecting'; attempt: number; delayMs: number }
  /** The shell ended; Enter starts a new one. */
  | { kind: 'exited'; code: number | null; signal: number | null }
  /** The server refused (4000-4999 or a protocol failure); the reason is a sentence. */
  | { kind: 'failed'; code: number; reason: string }
  /** The sandbox ended (4010). */
  | { kind: 'ended'; reason: string }
  /** Closed normally by the server, not after an exit. */
  | { kind: 'closed'; reason: string };

/** What the connection needs from the terminal emulator. */
export interface TerminalView {
  /** Queue bytes for parsing; `parsed` runs once the emulator has processed them. */
  write(data: Uint8Array, parsed: () => void): void;
  /** Clear screen and scrollback, in order with what is already queued. */
  reset(): void;
  /** A line from the page itself (not part of the shell's byte stream). */
  note(text: string): void;
  size(): TermSize;
}

export interface ConnectionEvents {
  state(state: ConnectionState): void;
  ready(ready: Ready): void;
  notice(notice: Notice): void;
}

export interface SocketHandlers {
  open(): void;
  message(data: ArrayBuffer | string): void;
  close(code: number, reason: string): void;
}

export interface SocketLike {
  readonly isOpen: boolean;
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

export type SocketFactory = (url: string, protocol: string, handlers: SocketHandlers) => SocketLike;

/** The real thing: a browser WebSocket with binary frames as ArrayBuffers. */
export const browserSocket: SocketFactory = (url, protocol, handlers) => {
  const ws = new WebSocket(url, protocol);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => handlers.open();
  ws.onmessage = (event: MessageEvent<unknown>) => {
    handlers.message(event.data instanceof ArrayBuffer ? event.data : String(event.data));
  };
  ws.onclose = (event) => handlers.close(event.code, event.reason);
  return {
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
  };
};

/** `ws://host/ws` or `wss://host/ws`, same origin as the page (the gateway checks the cookie). */
export function gatewayUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export interface ConnectionOptions {
  url: string;
  terminal: TerminalId;
  view: TerminalView;
  events: ConnectionEvents;
  /** Written into the terminal when the shell exits. */
  exitMessage: string;
  /** Notice shown when a reconnect lands in a different sandbox (the server restarted). */
  newSandboxMessage: string;
  socketFactory?: SocketFactory;
  random?: () => number;
}

export class TerminalConnection {
  private readonly slot: SocketSlot;
  private status: ConnectionState = { kind: 'connecting' };
  private readonly seq = new OutputSequence();
  private readonly acks: AckTracker;
  private attempt = 0;
  /** The socket in flight asked for a fresh shell after an exit. */
  private askedForNewShell = false;
  private helloSize: TermSize = { cols: 0, rows: 0 };
  /** Sandbox session of the last Ready, to notice when a reconnect found a new sandbox. */
  private session: string | null = null;
  private disposed = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.slot = new SocketSlot(opts.url, opts.socketFactory ?? browserSocket);
    this.acks = new AckTracker((seq) => this.slot.send(ackFrame(seq)));
  }

  get state(): ConnectionState {
    return this.status;
  }

  /** Output bytes handed to the emulator so far: where a reconnect resumes. */
  get written(): number {
    return this.seq.written;
  }

  /**
   * First connection of this page. `written` is 0, so the hello asks for resumeFrom 0 and the
   * server replays what it still has: after a reload, screen and scrollback come back.
   */
  start(): void {
    this.open(false);
  }

  /** Reconnect now (a person pressed a button, or the network came back). */
  retryNow(): void {
    if (this.disposed) return;
    this.attempt = 0;
    this.open(this.status.kind === 'exited');
  }

  /** Keystrokes from the emulator. After an exit, Enter asks for a new shell. */
  userInput(data: string): void {
    if (this.status.kind === 'exited') {
      if (/[\r\n]/.test(data)) this.open(true);
      return;
    }
    this.send(data);
  }

  /** Send text to the shell; false when not connected (keystrokes are not queued across drops). */
  send(text: string): boolean {
    if (this.status.kind !== 'ready' || !this.slot.isOpen) return false;
    for (const frame of inputFrames(text)) this.slot.send(frame);
    return true;
  }

  resize(size: TermSize): void {
    // Before Ready the next hello carries the size; after it, tell the pty.
    if (this.status.kind === 'ready') this.slot.send(resizeFrame(size));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.slot.cancelRetry();
    this.acks.dispose();
    this.slot.drop(1000, 'terminal closed');
  }

  private open(newShell: boolean): void {
    if (this.disposed) return;
    this.askedForNewShell = newShell;
    // A new shell numbers its output from 0; otherwise continue after what is on screen.
    const resumeFrom = newShell ? 0 : this.seq.written;
    this.setState({ kind: 'connecting' });
    this.slot.open(newShell ? 'starting a new shell' : 'reconnecting', {
      open: () => this.onOpen(resumeFrom),
      message: (data) => this.onMessage(data),
      close: (code, reason) => this.onClose(code, reason),
    });
  }

  private onOpen(resumeFrom: number): void {
    this.helloSize = clampSize(this.opts.view.size());
    this.slot.send(helloFrame(this.opts.terminal, this.helloSize, resumeFrom));
  }

  private onMessage(data: ArrayBuffer | string): void {
    const read = readServerFrame(data);
    if (!read.ok) {
      this.protocolError(read.error);
      return;
    }
    const frame = read.frame;
    switch (frame.op) {
      case 'output':
        this.onOutput(frame.seq, frame.data);
        break;
      case 'control':
        this.onControl(frame.json);
        break;
      case 'stderr':
        // Only `run` channels have a separate stderr; a terminal's pty merges it into output.
        break;
    }
  }

  private onControl(json: string): void {
    const parsed = parseControl(ServerControl, json);
    if (!parsed.ok) {
      this.protocolError(parsed.error);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'ready':
        this.onReady(message);
        break;
      case 'exit':
        this.onExit(message);
        break;
      case 'notice':
        this.opts.events.notice(message);
        break;
    }
  }

  private onReady(ready: Ready): void {
    const { reset } = this.seq.begin(ready.from, ready.gap, this.askedForNewShell);
    this.askedForNewShell = false;
    if (reset) this.opts.view.reset();
    this.acks.rebase(ready.from);
    this.attempt = 0;
    this.setState({ kind: 'ready' });
    // The pane may have changed size while the hello was in flight.
    const size = clampSize(this.opts.view.size());
    const ptyCols = ready.cols ?? this.helloSize.cols;
    const ptyRows = ready.rows ?? this.helloSize.rows;
    if (size.cols !== ptyCols || size.rows !== ptyRows) this.slot.send(resizeFrame(size));
    if (this.session !== null && ready.session !== this.session) {
      this.opts.events.notice({ type: 'notice', level: 'warning', message: this.opts.newSandboxMessage });
    }
    this.session = ready.session;
    this.opts.events.ready(ready);
  }

  private onOutput(seq: number, data: Uint8Array): void {
    const { reset, skip } = this.seq.accept(seq, data.byteLength);
    if (reset) this.opts.view.reset();
    if (skip >= data.byteLength) return;
    const end = seq + data.byteLength;
    const epoch = this.seq.epoch;
    this.opts.view.write(skip > 0 ? data.subarray(skip) : data, () => {
      if (!this.disposed && epoch === this.seq.epoch) this.acks.parsed(end);
    });
  }

  private onExit(exit: Exit): void {
    this.acks.flush();
    this.setState({ kind: 'exited', code: exit.code, signal: exit.signal });
    this.opts.view.note(this.opts.exitMessage);
  }

  private onClose(code: number, reason: string): void {
    if (this.disposed || this.status.kind === 'exited') return; // after an exit, wait for Enter
    switch (classifyClose(code)) {
      case 'ended':
        this.setState({ kind: 'ended', reason });
        break;
      case 'error':
        this.setState({ kind: 'failed', code, reason });
        break;
      case 'normal':
        this.setState({ kind: 'closed', reason });
        break;
      case 'retry':
        this.scheduleRetry();
        break;
    }
  }

  private protocolError(detail: string): void {
    this.slot.drop(CloseCode.BAD_FRAME, 'unexpected frame');
    this.setState({ kind: 'failed', code: CloseCode.BAD_FRAME, reason: `The terminal server sent something this page does not understand (${detail}).` });
  }

  private scheduleRetry(): void {
    const delayMs = reconnectDelay(this.attempt, this.opts.random);
    this.attempt += 1;
    this.setState({ kind: 'reconnecting', attempt: this.attempt, delayMs });
    this.slot.retryIn(delayMs, () => this.open(false));
  }

  private setState(state: ConnectionState): void {
    this.status = state;
    this.opts.events.state(state);
  }
}
