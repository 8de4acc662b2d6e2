import { describe, expect, it } from 'vitest';
import { decodeServerFrame } from '../../protocol/frames';
import { COALESCE_BYTES } from '../../protocol/limits';
import { outputFrames } from './terminal';

/** Decode the frames back into (seq, bytes) pairs. */
function decoded(seq: number, pieces: Buffer[]): Array<{ seq: number; data: Buffer }> {
  return [...outputFrames(seq, pieces)].map(({ at, frame }) => {
    const f = decodeServerFrame(frame);
    if (f.op !== 'output') throw new Error('not an output frame');
    expect(f.seq).toBe(at);
    return { seq: f.seq, data: Buffer.from(f.data) };
  });
}

describe('outputFrames', () => {
  it('puts a small batch in one frame', () => {
    expect(decoded(100, [Buffer.from('ab'), Buffer.from('c')])).toEqual([{ seq: 100, data: Buffer.from('abc') }]);
  });

  it('splits a batch larger than COALESCE_BYTES, numbering every frame and losing no byte', () => {
    const a = Buffer.alloc(COALESCE_BYTES - 10, 1);
    const b = Buffer.alloc(30, 2);
    const c = Buffer.alloc(COALESCE_BYTES + 5, 3);
    const frames = decoded(7, [a, b, c]);
    expect(frames.map((f) => f.seq)).toEqual([7, 7 + COALESCE_BYTES, 7 + 2 * COALESCE_BYTES]);
    expect(frames.every((f) => f.data.length <= COALESCE_BYTES)).toBe(true);
    expect(Buffer.concat(frames.map((f) => f.data))).toEqual(Buffer.concat([a, b, c]));
  });

  it('yields nothing for an empty batch', () => {
    expect(decoded(0, [])).toEqual([]);
  });
});
