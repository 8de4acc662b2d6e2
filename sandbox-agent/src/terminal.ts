/**
 * One pty in a sandbox and everyone watching it. Owns: the node-pty process, the output ring
 * (resume), output coalescing, and flow control. Does not know about sockets or sessions.
 *
 * Output path, in order: pty data → ring (always, so nothing is lost while paused) → pending
 * batch → flushed after COALESCE_MS, at COALESCE_BYTES, or at once when it follows input (so an
 * echo is never delayed) → one OUTPUT frame per viewer → pause the pty if a viewer is too far
 * behind, resume when every viewer's ACKs catch up. Separately, a terminal printing more than
 * its profile's bytes per second is paused for the rest of that second (the output-rate limit),
 * and its viewers are told once.
 */
import { spawn, type IPty } from 'node-pty';
import { COALESCE_BYTES, COALESCE_MS, MAX_COLS, MAX_ROWS, MIN_COLS, MIN_ROWS } from '../../protocol/limits';
import { encodeOutputFrame, encodeServerFrame } from '../../protocol/frames';
import { canResume, FlowWindow, shouldPause } from './flow';
import { formatBytes } from './limit-notices';
import { agentMetrics } from './metrics';
import { OutputRing } from './ring';
import type { ExecCommand } from './isolation/launch';
import type { Viewer } from './viewer';

/** Ring size per terminal: enough for a lesson's worth of scrollback after a reload. */
export const RING_BYTES = 1024 * 1024;
/** A socket this far behind is not reading; it is closed and may reconnect and resume. */
const STUCK_SOCKET_BYTES = 8 * 1024 * 1024;

export interface TerminalExit {
  code: number | null;
  signal: number | null;
}

export class Terminal {
  private readonly pty: IPty;
  private readonly ring = new OutputRing(RING_BYTES);
  private readonly viewers = new Map<Viewer, FlowWindow>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private urgent = false;
  /** Paused because a viewer is too far behind (flow control). */
  private flowPaused = false;
  /** Paused because this second's output budget is spent (rate limit). */
  private throttled = false;
  private ptyPaused = false;
  private rateWindowStart = 0;
  private rateBytes = 0;
  private rateTimer: NodeJS.Timeout | undefined;
  private rateNoticeSent = false;
  private exited = false;
  /** Still counted in lab_agent_terminals_open (until exit or dispose, whichever is first). */
  private counted = true;
  /** When the oldest input not yet followed by output arrived (lab_agent_echo_seconds). */
  private inputAt: number | undefined;
  cols: number;
  rows: number;

  constructor(
    command: ExecCommand,
    size: { cols: number; rows: number },
    private readonly onExit: (exit: TerminalExit) => void,
    private readonly rate: { bytesPerSec: number; onLimit: (message: string) => void },
  ) {
    this.cols = size.cols;
    this.rows = size.rows;
    this.pty = spawn(command.file, command.args, {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: '/',
      env: command.env,
      // Raw bytes: xterm.js decodes UTF-8 across chunk boundaries; we never re-encode.
      encoding: null,
    });
    agentMetrics.terminalsOpen.inc();
    this.pty.onData((d) => this.onData(d as unknown as Buffer));
    this.pty.onExit(({ exitCode, signal }) => {
      this.exited = true;
      this.uncount();
      this.flush();
      this.onExit({ code: signal ? null : exitCode, signal: signal || null });
    });
  }

  get pid(): number {
    return this.pty.pid;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Add a viewer and replay from `resumeFrom` (or from the oldest held byte, with gap=true). */
  attach(viewer: Viewer, resumeFrom: number): { from: number; gap: boolean; replay: Buffer[] } {
    this.flush();
    const { from, gap, pieces } = this.ring.readFrom(resumeFrom, COALESCE_BYTES);
    const window = new FlowWindow(from);
    this.viewers.set(viewer, window);
    return {
      from,
      gap,
      replay: pieces.map((p) => {
        const frame = Buffer.from(encodeServerFrame({ op: 'output', seq: window.sent, data: p }));
        window.sent += p.length;
        return frame;
      }),
    };
  }

  detach(viewer: Viewer): void {
    this.viewers.delete(viewer);
    this.updateFlow();
  }

  input(data: Uint8Array): void {
    if (this.exited) return;
    this.urgent = true;
    this.inputAt ??= performance.now();
    this.pty.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    this.cols = Math.min(MAX_COLS, Math.max(MIN_COLS, cols));
    this.rows = Math.min(MAX_ROWS, Math.max(MIN_ROWS, rows));
    this.pty.resize(this.cols, this.rows);
  }

  ack(viewer: Viewer, seq: number): void {
    this.viewers.get(viewer)?.ack(seq);
    this.updateFlow();
  }

  /** SIGHUP like a closed terminal window; the session's cgroup teardown catches the rest. */
  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.rateTimer);
    this.uncount();
    this.viewers.clear();
    if (!this.exited) {
      try {
        this.pty.kill('SIGHUP');
      } catch {
        /* already gone */
      }
    }
  }

  private uncount(): void {
    if (!this.counted) return;
    this.counted = false;
    agentMetrics.terminalsOpen.dec();
  }

  private onData(data: Buffer): void {
    this.meter(data.length);
    if (this.pendingBytes === 0) this.pendingSeq = this.ring.end;
    this.ring.append(data);
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.urgent || this.pendingBytes >= COALESCE_BYTES) {
      this.urgent = false;
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingBytes === 0) return;
    const pieces = this.pending;
    const seq = this.pendingSeq;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.inputAt !== undefined) {
      agentMetrics.echoSeconds.observe((performance.now() - this.inputAt) / 1000);
      this.inputAt = undefined;
    }
    for (const { at, frame } of outputFrames(seq, pieces)) {
      for (const [viewer, window] of this.viewers) {
        if (viewer.bufferedAmount > STUCK_SOCKET_BYTES) {
          this.viewers.delete(viewer);
          viewer.close(1013, 'This connection stopped reading output; reconnect to resume.');
          continue;
        }
        // A viewer attached mid-batch already got these bytes as replay.
        if (window.sent > at) continue;
        viewer.send(frame);
        window.sent = at + frame.length - OUTPUT_HEADER;
      }
    }
    this.updateFlow();
  }

  /** Count output against this second's budget; over it, pause until the second is over. */
  private meter(bytes: number): void {
    const now = Date.now();
    if (now - this.rateWindowStart >= 1000) {
      this.rateWindowStart = now;
      this.rateBytes = 0;
    }
    this.rateBytes += bytes;
    if (this.rateBytes <= this.rate.bytesPerSec || this.throttled) return;
    this.throttled = true;
    this.rateTimer = setTimeout(() => {
      this.throttled = false;
      this.rateWindowStart = Date.now();
      this.rateBytes = 0;
      this.applyPause();
    }, 1000 - (now - this.rateWindowStart));
    this.applyPause();
    agentMetrics.limit('output_rate');
    if (!this.rateNoticeSent) {
      this.rateNoticeSent = true;
      this.rate.onLimit(`This terminal printed more than its limit of ${formatBytes(this.rate.bytesPerSec)} per second; its output is being slowed down.`);
    }
  }

  private updateFlow(): void {
    if (this.exited) return;
    if (!this.flowPaused && shouldPause(this.viewers.values())) this.flowPaused = true;
    else if (this.flowPaused && canResume(this.viewers.values())) this.flowPaused = false;
    this.applyPause();
  }

  /** One pty, two reasons to pause it: read it again only when neither holds. */
  private applyPause(): void {
    if (this.exited) return;
    const want = this.flowPaused || this.throttled;
    if (want === this.ptyPaused) return;
    this.ptyPaused = want;
    if (want) agentMetrics.ptyPauses.inc({ reason: this.flowPaused ? 'flow' : 'rate' });
    if (want) this.pty.pause();
    else this.pty.resume();
  }
}

/** Opcode and sequence number in front of an OUTPUT frame's bytes (protocol/frames.ts). */
const OUTPUT_HEADER = 9;

/**
 * A batch of pty reads as OUTPUT frames of at most COALESCE_BYTES each (a batch may exceed it by
 * one read), every frame assembled with one copy and no zero-filling: a flood moves each byte
 * through here, and every extra copy or allocation shows in its throughput.
 */
export function* outputFrames(seq: number, pieces: readonly Buffer[]): Generator<{ at: number; frame: Buffer }> {
  let at = seq;
  let batch: Buffer[] = [];
  let size = 0;
  const frame = () => encodeOutputFrame(at, batch, (n) => Buffer.allocUnsafe(n));
  for (const whole of pieces) {
    for (let off = 0; off < whole.length; ) {
      const piece = whole.subarray(off, off + (COALESCE_BYTES - size));
      batch.push(piece);
      size += piece.length;
      off += piece.length;
      if (size === COALESCE_BYTES) {
        yield { at, frame: frame() };
        at += size;
        batch = [];
        size = 0;
      }
    }
  }
  if (size > 0) yield { at, frame: frame() };
}
