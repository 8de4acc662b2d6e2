import { describe, expect, it } from 'vitest';
import { canResume, FlowWindow, shouldPause } from './flow';
// The load generator's seeded generator (mulberry32): every run checks the same sequences.
import { seededRandom as rng } from '../../cli/loadtest-scenario';

const int = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

describe('FlowWindow', () => {
  it('starts with nothing in flight at the resume point', () => {
    const w = new FlowWindow(500);
    expect(w.sent).toBe(500);
    expect(w.acked).toBe(500);
    expect(w.inflight).toBe(0);
  });

  it('takes cumulative acks and ignores stale or future ones', () => {
    const w = new FlowWindow(100);
    w.sent = 200;
    w.ack(150);
    expect(w.acked).toBe(150);
    w.ack(120); // stale
    expect(w.acked).toBe(150);
    w.ack(150); // duplicate
    expect(w.acked).toBe(150);
    w.ack(201); // future: more than was sent
    expect(w.acked).toBe(150);
    w.ack(50); // before the window began
    expect(w.acked).toBe(150);
    w.ack(200);
    expect(w.acked).toBe(200);
    expect(w.inflight).toBe(0);
  });
});

describe('shouldPause / canResume', () => {
  const win = (inflight: number) => {
    const w = new FlowWindow(0);
    w.sent = inflight;
    return w;
  };

  it('pause only above HIGH', () => {
    expect(shouldPause([win(100)], 100)).toBe(false);
    expect(shouldPause([win(101)], 100)).toBe(true);
    expect(shouldPause([], 100)).toBe(false);
  });

  it('resume only when every viewer is under LOW', () => {
    expect(canResume([win(9)], 10)).toBe(true);
    expect(canResume([win(10)], 10)).toBe(false);
    expect(canResume([win(0), win(10)], 10)).toBe(false);
    expect(canResume([], 10)).toBe(true);
  });

  it('any one lagging viewer pauses the pty', () => {
    expect(shouldPause([win(0), win(0), win(101)], 100)).toBe(true);
  });

  it('uses the protocol watermarks by default', () => {
    expect(shouldPause([win(256 * 1024)])).toBe(false);
    expect(shouldPause([win(256 * 1024 + 1)])).toBe(true);
    expect(canResume([win(64 * 1024 - 1)])).toBe(true);
    expect(canResume([win(64 * 1024)])).toBe(false);
  });
});

interface SimParams {
  high: number;
  low: number;
  ack: number;
  total: number;
  /** Producer chunk sizes (pty reads / output frames). */
  chunk: () => number;
  /** Bytes the consumer parses per write callback (xterm.js parses frame by frame, maybe partially). */
  parse: () => number;
  /** Which side moves next. */
  coin: () => boolean;
  /** Acknowledge the tail when idle at any time (AckTracker's timer), not only once the stream ended. */
  idleAckAlways: boolean;
}

/**
 * A producer (terminal.ts: send, then pause when too far ahead, resume on acks) and a consumer
 * (AckTracker: ack the parsed count once ACK bytes have accumulated). The final idle ack
 * acknowledges the tail after the stream ended. Returns how it ended.
 */
function simulate(p: SimParams): { done: boolean; produced: number; acked: number; paused: boolean } {
  const w = new FlowWindow(0);
  let produced = 0;
  let parsed = 0;
  let lastAck = 0;
  let paused = false;
  const sendAck = (seq: number) => {
    lastAck = seq;
    w.ack(seq);
    if (paused && canResume([w], p.low)) paused = false;
  };
  for (let steps = 0; steps < 1_000_000; steps++) {
    const canProduce = !paused && produced < p.total;
    const canParse = parsed < w.sent;
    if (!canProduce && !canParse) {
      // Consumer idle: the tail below ACK bytes is acked on the idle timer.
      const streamEnded = produced === p.total;
      if ((streamEnded || p.idleAckAlways) && parsed > lastAck) {
        sendAck(parsed);
        continue;
      }
      return { done: produced === p.total && parsed === p.total, produced, acked: w.acked, paused };
    }
    if (canProduce && (!canParse || p.coin())) {
      const n = Math.min(p.chunk(), p.total - produced);
      produced += n;
      w.sent += n;
      if (shouldPause([w], p.high)) paused = true;
    } else {
      parsed = Math.min(w.sent, parsed + p.parse());
      if (parsed - lastAck >= p.ack) sendAck(parsed);
    }
  }
  throw new Error('simulation did not terminate');
}

describe('flow control simulation', () => {
  it('with ACK <= LOW < HIGH the stream always completes and ends fully acknowledged (2000 random trials)', () => {
    const rand = rng(20240601);
    for (let trial = 0; trial < 2000; trial++) {
      const high = int(rand, 2, 4000);
      const low = int(rand, 1, high - 1);
      const ack = int(rand, 1, low);
      const params: SimParams = {
        high,
        low,
        ack,
        total: int(rand, 0, 40_000),
        chunk: () => int(rand, 1, 2 * high),
        parse: () => int(rand, 1, 3 * ack),
        coin: () => rand() < 0.5,
        idleAckAlways: false,
      };
      const r = simulate(params);
      if (!r.done) throw new Error(`stalled: ${JSON.stringify({ trial, high, low, ack, ...r })}`);
      expect(r.acked).toBe(params.total);
      expect(r.paused).toBe(false);
    }
  });

  it('with ACK > LOW and no idle ack the stream can stall: the invariant matters', () => {
    // Concrete case: pause at 120 bytes in flight; acks land at 80; the unacked 40 >= LOW forever.
    const stuck = simulate({
      high: 100,
      low: 10,
      ack: 50,
      total: 1000,
      chunk: () => 40,
      parse: () => 40,
      coin: () => true,
      idleAckAlways: false,
    });
    expect(stuck.done).toBe(false);
    expect(stuck.paused).toBe(true);
    expect(stuck.produced).toBe(120);
    expect(stuck.acked).toBe(80);

    // Random parameters violating the invariant stall in a good share of trials.
    const rand = rng(7);
    let stalls = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const high = int(rand, 3, 4000);
      const low = int(rand, 1, high - 2);
      const ack = int(rand, low + 1, high);
      const r = simulate({
        high,
        low,
        ack,
        total: 40_000,
        chunk: () => int(rand, 1, 2 * high),
        parse: () => int(rand, 1, 3 * ack),
        coin: () => rand() < 0.5,
        idleAckAlways: false,
      });
      if (!r.done) stalls++;
    }
    expect(stalls).toBeGreaterThan(100);
  });

  it('an idle ack of the tail rescues a stream that violates the invariant', () => {
    const r = simulate({ high: 100, low: 10, ack: 50, total: 1000, chunk: () => 40, parse: () => 40, coin: () => true, idleAckAlways: true });
    expect(r.done).toBe(true);
    expect(r.acked).toBe(1000);
  });
});
