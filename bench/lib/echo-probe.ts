/**
 * Keystroke echo round trip at a bash prompt: type one printable character, time until its echo
 * arrives, then erase it again (backspace, waiting for its echo too) so the line stays empty.
 * Only the character's round trip is a sample; samples are spaced like keystrokes, not
 * back-to-back, so each one measures a fresh trip through every hop.
 */
import type { GatewayClient } from './gateway-client';
import { jitter, sleep } from './util';

export interface EchoOptions {
  samples: number;
  /** Unrecorded round trips first (JIT, socket buffers). */
  warmup?: number;
  /** Pause between keystrokes, ms (a random value in this range). */
  gapMs?: [number, number];
  /** Character typed; printable, and not one a prompt would contain. */
  char?: string;
}

/** Round trips in ms. Throws if an echo does not come back within 5 s. */
export async function measureEcho(c: GatewayClient, opts: EchoOptions): Promise<number[]> {
  const char = opts.char ?? 'x';
  const re = new RegExp(char);
  const [gapMin, gapMax] = opts.gapMs ?? [10, 30];
  const samples: number[] = [];
  const total = (opts.warmup ?? 20) + opts.samples;
  for (let i = 0; i < total; i++) {
    const from = c.received;
    const sent = c.type(char);
    const echoed = await c.waitFor(re, { fromSeq: from, timeoutMs: 5000 });
    if (i >= total - opts.samples) samples.push(echoed - sent);
    // Readline answers a backspace at the end of the line with a backspace (\b) of its own.
    const beforeErase = c.received;
    c.type('\x7f');
    await c.waitFor(/\x08/, { fromSeq: beforeErase, timeoutMs: 5000 });
    if (gapMax > 0) await sleep(jitter(gapMin, gapMax));
  }
  return samples;
}
