import { describe, expect, it } from 'vitest';
import { OutputSequence } from './output-sequence';

describe('OutputSequence', () => {
  it('accepts contiguous frames', () => {
    const s = new OutputSequence();
    expect(s.begin(0, false, false)).toEqual({ reset: false });
    expect(s.accept(0, 10)).toEqual({ reset: false, skip: 0 });
    expect(s.accept(10, 5)).toEqual({ reset: false, skip: 0 });
    expect(s.written).toBe(15);
  });

  it('resets the screen when a frame skips ahead (gap)', () => {
    const s = new OutputSequence();
    s.accept(0, 10);
    const epoch = s.epoch;
    expect(s.accept(50, 5)).toEqual({ reset: true, skip: 0 });
    expect(s.written).toBe(55);
    expect(s.epoch).toBe(epoch + 1);
  });

  it('drops the part of a replay that was already written', () => {
    const s = new OutputSequence();
    s.accept(0, 10);
    expect(s.accept(6, 10)).toEqual({ reset: false, skip: 4 });
    expect(s.written).toBe(16);
    expect(s.accept(2, 4)).toEqual({ reset: false, skip: 4 });
    expect(s.written).toBe(16);
  });

  it('resumes without a reset when Ready continues where we stopped', () => {
    const s = new OutputSequence();
    s.accept(0, 100);
    const epoch = s.epoch;
    expect(s.begin(100, false, false)).toEqual({ reset: false });
    expect(s.epoch).toBe(epoch);
  });

  it('resets when Ready reports a gap, or numbering that went backwards', () => {
    const s = new OutputSequence();
    s.accept(0, 100);
    expect(s.begin(400, true, false)).toEqual({ reset: true });
    expect(s.written).toBe(400);
    expect(s.begin(0, false, false)).toEqual({ reset: true });
    expect(s.written).toBe(0);
  });

  it('keeps the old screen for a new shell but starts a new epoch', () => {
    const s = new OutputSequence();
    s.accept(0, 100);
    const epoch = s.epoch;
    expect(s.begin(0, false, true)).toEqual({ reset: false });
    expect(s.written).toBe(0);
    expect(s.epoch).toBe(epoch + 1);
  });
});
