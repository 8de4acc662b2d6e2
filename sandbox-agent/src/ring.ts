/**
 * Output ring: the last `capacity` bytes a terminal printed, numbered by their absolute byte
 * sequence (sshx's model). A reconnecting or reloaded browser asks for "everything from seq N"
 * and gets exactly that, or everything still held plus `gap: true` when N has been dropped.
 *
 * Every pty read is appended, so append must stay cheap once the ring is full, however small
 * the reads: a keystroke's echo is one byte. Two things keep it so (measured in bench, see
 * docs/benchmarks.md): small appends are copied onto the previous chunk while it is small, so
 * a ring holds a few thousand chunks rather than up to a million one-byte Buffers; and chunks
 * are dropped from the front by moving an index, not with Array#shift, which copies the whole
 * array once it is large (1.4 ms per append for a full ring of one-byte chunks, on every
 * keystroke of every learner of the agent).
 */

/** Appends shorter than this are merged into the previous chunk... */
const SMALL_APPEND = 1024;
/** ...while the merged chunk stays within this (bounds the copy per append). */
const MERGE_LIMIT = 8 * 1024;
/** Compact the chunk array once this many dropped slots lead it (and they are most of it). */
const COMPACT_AFTER = 1024;
const EMPTY = Buffer.alloc(0);

export class OutputRing {
  private chunks: Buffer[] = [];
  /** Index in `chunks` of the first chunk still held; slots before it are dropped. */
  private head = 0;
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

  /** Chunks held (for tests: stays small whatever the size of the appends). */
  get chunkCount(): number {
    return this.chunks.length - this.head;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    const lastIndex = this.chunks.length - 1;
    const last = lastIndex >= this.head ? this.chunks[lastIndex]! : undefined;
    // A copy, never a write into `last`: the caller may still hold (and send) both buffers.
    if (last !== undefined && data.length < SMALL_APPEND && last.length + data.length <= MERGE_LIMIT) this.chunks[lastIndex] = Buffer.concat([last, data]);
    else this.chunks.push(data);
    this.held += data.length;
    // Drop whole chunks from the front while over capacity, then trim the first one.
    while (this.held > this.capacity) {
      const first = this.chunks[this.head]!;
      const excess = this.held - this.capacity;
      if (first.length <= excess) {
        this.chunks[this.head] = EMPTY; // let the dropped bytes be collected now
        this.head++;
        this.held -= first.length;
        this.startSeq += first.length;
      } else {
        this.chunks[this.head] = first.subarray(excess);
        this.held -= excess;
        this.startSeq += excess;
      }
    }
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Bytes from `seq` to the end, in pieces of at most `maxPiece` bytes. */
  readFrom(seq: number, maxPiece: number): { from: number; gap: boolean; pieces: Buffer[] } {
    const gap = seq < this.startSeq;
    const from = Math.min(Math.max(seq, this.startSeq), this.end);
    const pieces: Buffer[] = [];
    let skip = from - this.startSeq;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
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
