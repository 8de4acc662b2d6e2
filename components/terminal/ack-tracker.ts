/**
 * Browser half of flow control (DESIGN.md §4, terminal.md §8.4). The agent pauses the pty while
 * more than HIGH_WATERMARK bytes are sent but not acknowledged, so the browser acknowledges what
 * xterm.js has *parsed* (write callbacks), not what arrived: that is what keeps Ctrl-C snappy
 * under a `yes` flood. Acks are cumulative sequence numbers, so a lost one heals itself.
 */
import { ACK_BYTES, ACK_IDLE_MS } from '../../protocol/limits';

export class AckTracker {
  private parsedSeq = 0;
  private ackedSeq = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (seq: number) => void,
    private readonly ackBytes: number = ACK_BYTES,
    private readonly idleMs: number = ACK_IDLE_MS,
  ) {}

  /** A (re)connection starts at `seq`: the server counts nothing before it as outstanding. */
  rebase(seq: number): void {
    this.cancelTimer();
    this.parsedSeq = seq;
    this.ackedSeq = seq;
  }

  /** xterm.js finished parsing everything before `seq`. */
  parsed(seq: number): void {
    if (seq <= this.parsedSeq) return;
    this.parsedSeq = seq;
    if (this.parsedSeq - this.ackedSeq >= this.ackBytes) {
      this.flush();
    } else if (this.idleTimer === null) {
      // The tail of a burst is smaller than ackBytes; acknowledge it soon anyway, or the
      // server would hold those bytes as in flight forever.
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        this.flush();
      }, this.idleMs);
    }
  }

  flush(): void {
    this.cancelTimer();
    if (this.parsedSeq <= this.ackedSeq) return;
    this.ackedSeq = this.parsedSeq;
    this.send(this.ackedSeq);
  }

  get acked(): number {
    return this.ackedSeq;
  }

  dispose(): void {
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
