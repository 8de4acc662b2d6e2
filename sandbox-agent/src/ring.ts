/**
 * Output ring: the last `capacity` bytes a terminal printed, numbered by their absolute byte
 * sequence (sshx's model). A reconnecting or reloaded browser asks for "everything from seq N"
 * and gets exactly that, or everything still held plus `gap: true` when N has been dropped.
 */
export class OutputRing {
  private chunks: Buffer[] = [];
  private held = 0;
  /** Sequence number of the first byte still held. */
  private startSeq = 0;

  constructor(private readonly capacity: number) {}

  /** Sequence number the next appended byte will get. */
  get end(): number {
    return this.startSeq + this.held;
  }

  get start(): number {
    return this.startSeq;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.held += data.length;
    // Drop whole chunks from the front while over capacity, then trim the first one.
    while (this.held > this.capacity) {
      const first = this.chunks[0]!;
      const excess = this.held - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.held -= first.length;
        this.startSeq += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.held -= excess;
        this.startSeq += excess;
      }
    }
  }

  /** Bytes from `seq` to the end, in pieces of at most `maxPiece` bytes. */
  readFrom(seq: number, maxPiece: number): { from: number; gap: boolean; pieces: Buffer[] } {
    const gap = seq < this.startSeq;
    const from = Math.min(Math.max(seq, this.startSeq), this.end);
    const pieces: Buffer[] = [];
    let skip = from - this.startSeq;
    for (const c of this.chunks) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      let rest = c.subarray(skip);
      skip = 0;
      while (rest.length > 0) {
        pieces.push(rest.subarray(0, maxPiece));
        rest = rest.subarray(maxPiece);
      }
    }
    return { from, gap, pieces };
  }
}
