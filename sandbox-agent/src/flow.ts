/**
 * Flow control for one pty with several viewers (terminal.md §8.4): each viewer acknowledges the
 * bytes xterm.js has parsed; the pty is paused while any live viewer is more than HIGH bytes
 * behind and resumed once all are under LOW. Pure bookkeeping, unit-tested; terminal.ts acts.
 */
import { HIGH_WATERMARK, LOW_WATERMARK } from '../../protocol/limits';

export class FlowWindow {
  sent = 0;
  acked = 0;

  constructor(start: number) {
    this.sent = start;
    this.acked = start;
  }

  get inflight(): number {
    return this.sent - this.acked;
  }

  /** Acks are cumulative; a stale or impossible one is ignored rather than trusted. */
  ack(seq: number): void {
    if (seq > this.acked && seq <= this.sent) this.acked = seq;
  }
}

export function shouldPause(windows: Iterable<FlowWindow>, high = HIGH_WATERMARK): boolean {
  for (const w of windows) if (w.inflight > high) return true;
  return false;
}

export function canResume(windows: Iterable<FlowWindow>, low = LOW_WATERMARK): boolean {
  for (const w of windows) if (w.inflight >= low) return false;
  return true;
}
