import { describe, expect, it } from 'vitest';
import { OutputRing } from './ring';
// The load generator's seeded generator (mulberry32): every run checks the same sequences.
import { seededRandom as rng } from '../../cli/loadtest-scenario';


const b = (s: string) => Buffer.from(s);
const joined = (r: { pieces: Buffer[] }) => Buffer.concat(r.pieces).toString();

describe('OutputRing', () => {
  it('replays exactly what was appended, from any held position', () => {
    const ring = new OutputRing(100);
    ring.append(b('hello '));
    ring.append(b(''));
    ring.append(b('world'));
    expect(ring.start).toBe(0);
    expect(ring.end).toBe(11);
    const all = ring.readFrom(0, 1024);
    expect(all.from).toBe(0);
    expect(all.gap).toBe(false);
    expect(joined(all)).toBe('hello world');
    expect(joined(ring.readFrom(3, 1024))).toBe('lo world');
    expect(ring.readFrom(3, 1024).from).toBe(3);
    expect(joined(ring.readFrom(6, 1024))).toBe('world');
    expect(joined(ring.readFrom(8, 1024))).toBe('rld');
  });

  it('trims to the last `capacity` bytes, moving start and end', () => {
    const ring = new OutputRing(10);
    ring.append(b('0123456'));
    ring.append(b('789ab'));
    expect(ring.start).toBe(2);
    expect(ring.end).toBe(12);
    expect(joined(ring.readFrom(2, 1024))).toBe('23456789ab');
    ring.append(b('cdefghijklmnop')); // one chunk larger than the capacity
    expect(ring.start).toBe(16);
    expect(ring.end).toBe(26);
    expect(joined(ring.readFrom(16, 1024))).toBe('ghijklmnop');
  });

  it('reading from below start reports a gap and replays from start', () => {
    const ring = new OutputRing(4);
    ring.append(b('abcdefgh'));
    const r = ring.readFrom(1, 1024);
    expect(r.gap).toBe(true);
    expect(r.from).toBe(4);
    expect(joined(r)).toBe('efgh');
    expect(ring.readFrom(4, 1024).gap).toBe(false);
  });

  it('reading at (or past) the end returns nothing', () => {
    const ring = new OutputRing(8);
    ring.append(b('abc'));
    expect(ring.readFrom(3, 1024)).toEqual({ from: 3, gap: false, pieces: [] });
    // A client claiming more than was ever sent is clamped to the end, never ahead of it.
    expect(ring.readFrom(99, 1024)).toEqual({ from: 3, gap: false, pieces: [] });
    expect(new OutputRing(8).readFrom(0, 1024)).toEqual({ from: 0, gap: false, pieces: [] });
  });

  it('splits into pieces of at most maxPiece bytes', () => {
    const ring = new OutputRing(100);
    ring.append(b('abcdefg'));
    ring.append(b('hij'));
    const r = ring.readFrom(1, 3);
    expect(r.pieces.map(String)).toEqual(['bcd', 'efg', 'hij']);
    // Small appends share a chunk, so pieces may span what were separate appends.
    expect(ring.readFrom(0, 2).pieces.map(String)).toEqual(['ab', 'cd', 'ef', 'gh', 'ij']);
    expect(ring.readFrom(0, 1).pieces.every((p) => p.length === 1)).toBe(true);
  });

  it('holds few chunks however small the appends, also once full (a keystroke echo is one byte)', () => {
    const ring = new OutputRing(64 * 1024);
    const one = b('x');
    for (let i = 0; i < 200_000; i++) ring.append(one);
    expect(ring.end).toBe(200_000);
    expect(ring.start).toBe(200_000 - 64 * 1024);
    expect(ring.chunkCount).toBeLessThanOrEqual(9);
    expect(joined(ring.readFrom(ring.start, 65536))).toBe('x'.repeat(64 * 1024));
    // Large reads interleaved with one-byte echoes: still bounded, still exact.
    const big = Buffer.alloc(4000, 0x61);
    for (let i = 0; i < 1000; i++) {
      ring.append(big);
      ring.append(one);
    }
    expect(ring.chunkCount).toBeLessThanOrEqual(20);
    expect(ring.readFrom(ring.start, 65536).pieces.reduce((n, p) => n + p.length, 0)).toBe(64 * 1024);
  });

  it('does not change a buffer it was given when it merges', () => {
    const ring = new OutputRing(100);
    const first = b('abc');
    ring.append(first);
    ring.append(b('def'));
    expect(first.toString()).toBe('abc');
    expect(joined(ring.readFrom(0, 100))).toBe('abcdef');
  });

  it('property: readFrom(start) is always the last min(total, capacity) bytes (1000 random appends)', () => {
    for (const [seed, capacity] of [
      [1, 64],
      [2, 1000],
      [3, 1],
      [4, 4096],
    ] as const) {
      const rand = rng(seed);
      const ring = new OutputRing(capacity);
      let all = Buffer.alloc(0);
      for (let i = 0; i < 1000; i++) {
        const size = rand() < 0.1 ? 0 : Math.floor(rand() * (rand() < 0.05 ? capacity * 3 : 80));
        const chunk = Buffer.alloc(size);
        for (let j = 0; j < size; j++) chunk[j] = (all.length + j) & 0xff;
        ring.append(chunk);
        all = Buffer.concat([all, chunk]);
        const keep = Math.min(all.length, capacity);
        expect(ring.end).toBe(all.length);
        expect(ring.start).toBe(all.length - keep);
        const maxPiece = 1 + Math.floor(rand() * 50);
        const r = ring.readFrom(ring.start, maxPiece);
        expect(r.gap).toBe(false);
        expect(r.pieces.every((p) => p.length > 0 && p.length <= maxPiece)).toBe(true);
        expect(Buffer.concat(r.pieces).equals(all.subarray(all.length - keep))).toBe(true);
        // And from a random seq in the held window.
        const seq = ring.start + Math.floor(rand() * (keep + 1));
        expect(Buffer.concat(ring.readFrom(seq, maxPiece).pieces).equals(all.subarray(seq))).toBe(true);
      }
    }
  });
});
