import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACK_BYTES, ACK_IDLE_MS, HIGH_WATERMARK, LOW_WATERMARK } from '../../protocol/limits';
import { AckTracker } from './ack-tracker';

describe('AckTracker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('acks at once when ACK_BYTES have been parsed since the last ack', () => {
    const sent: number[] = [];
    const t = new AckTracker((s) => sent.push(s));
    t.parsed(ACK_BYTES - 1);
    expect(sent).toEqual([]);
    t.parsed(ACK_BYTES + 10);
    expect(sent).toEqual([ACK_BYTES + 10]);
    t.parsed(2 * ACK_BYTES + 10);
    expect(sent).toEqual([ACK_BYTES + 10, 2 * ACK_BYTES + 10]);
  });

  it('acks the tail after the idle delay', () => {
    const sent: number[] = [];
    const t = new AckTracker((s) => sent.push(s));
    t.parsed(100);
    t.parsed(250);
    vi.advanceTimersByTime(ACK_IDLE_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([250]);
    vi.advanceTimersByTime(10 * ACK_IDLE_MS);
    expect(sent).toEqual([250]);
  });

  it('ignores callbacks that go backwards and never re-sends the same seq', () => {
    const sent: number[] = [];
    const t = new AckTracker((s) => sent.push(s));
    t.parsed(ACK_BYTES);
    t.parsed(10);
    t.flush();
    expect(sent).toEqual([ACK_BYTES]);
  });

  it('rebases on reconnect: nothing before the new start is outstanding', () => {
    const sent: number[] = [];
    const t = new AckTracker((s) => sent.push(s));
    t.parsed(500);
    t.rebase(10_000);
    vi.advanceTimersByTime(ACK_IDLE_MS);
    expect(sent).toEqual([]);
    t.parsed(9_000); // late callback from before the reconnect
    t.parsed(10_100);
    vi.advanceTimersByTime(ACK_IDLE_MS);
    expect(sent).toEqual([10_100]);
  });

  it('dispose cancels a pending idle ack', () => {
    const sent: number[] = [];
    const t = new AckTracker((s) => sent.push(s));
    t.parsed(1);
    t.dispose();
    vi.advanceTimersByTime(ACK_IDLE_MS * 2);
    expect(sent).toEqual([]);
  });

  it('never stalls a server that pauses above HIGH and resumes below LOW', () => {
    // Simulate the agent: it sends while unpaused; the browser parses in random slices.
    expect(ACK_BYTES).toBeLessThanOrEqual(LOW_WATERMARK);
    for (let trial = 0; trial < 50; trial++) {
      let sentSeq = 0;
      let ackedSeq = 0;
      let paused = false;
      let parsed = 0;
      const t = new AckTracker((s) => {
        ackedSeq = s;
        if (paused && sentSeq - ackedSeq < LOW_WATERMARK) paused = false;
      });
      for (let tick = 0; tick < 2_000; tick++) {
        if (!paused) {
          sentSeq += 1 + Math.floor(Math.random() * 16_384);
          if (sentSeq - ackedSeq > HIGH_WATERMARK) paused = true;
        }
        parsed = Math.min(sentSeq, parsed + Math.floor(Math.random() * 20_000));
        t.parsed(parsed);
        vi.advanceTimersByTime(ACK_IDLE_MS);
      }
      // A deadlock freezes sentSeq just above HIGH_WATERMARK; a live stream moves megabytes.
      expect(sentSeq).toBeGreaterThan(20 * HIGH_WATERMARK);
      expect(sentSeq - ackedSeq).toBeLessThanOrEqual(HIGH_WATERMARK + 16_384);
    }
  });
});
