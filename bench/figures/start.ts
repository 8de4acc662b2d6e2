/**
 * Sandbox start (issue 5 item 1): from the HTTP request that creates a session to the first
 * prompt byte on the WebSocket client. In this product a session is created by the WebSocket
 * upgrade request on /ws from a learner the server has not seen (a fresh cookie): the gateway
 * makes the session row, the agent launches the sandbox and a login shell, and the shell's
 * first output is its prompt. Each sandbox is disposed after (POST /api/sandbox/reset, which
 * waits until the agent has torn it down) before the next sample.
 *
 *   sandbox_start      one start at a time
 *   sandbox_start_20   20 starts at once, several rounds
 * Baseline: a bare `bwrap ... true` with the same namespaces and read-only rootfs
 * (bench/baseline/bwrap.ts), sequential for the first figure, 20 at once for the second.
 */
import { performance } from 'node:perf_hooks';
import { percentile, ratioOf, type BenchContext, type Figure, type FigureModule } from '../figure';
import { bwrapSamples } from '../baseline/bwrap';
import { GatewayClient, gatewayUrl, resetSandbox } from '../lib/gateway-client';
import { mean, round } from '../lib/util';

interface StartSample {
  /** upgrade request → first output byte */
  total: number;
  /** upgrade request → handshake done */
  upgrade: number;
  /** upgrade request → ready (sandbox launched, shell spawned) */
  ready: number;
}

/** Start one sandbox as a new learner and dispose it again. */
async function startOnce(ctx: BenchContext): Promise<{ sample: StartSample; dispose: () => Promise<void> }> {
  const c = new GatewayClient({ url: gatewayUrl(ctx.baseUrl) });
  try {
    await c.opened(30_000);
    const first = await c.firstOutput(30_000);
    return {
      sample: { total: first - c.requestedAt, upgrade: (c.openedAt ?? first) - c.requestedAt, ready: (c.readyAt ?? first) - c.requestedAt },
      dispose: async () => {
        await resetSandbox(ctx.baseUrl, c.token);
        await c.closeAndWait();
      },
    };
  } catch (e) {
    // Whatever state it got to, do not leave a sandbox behind.
    await resetSandbox(ctx.baseUrl, c.token).catch(() => undefined);
    c.close();
    throw e;
  }
}

async function rounds(ctx: BenchContext, count: number, concurrency: number): Promise<StartSample[]> {
  const out: StartSample[] = [];
  for (let r = 0; r < count; r++) {
    const started = await Promise.allSettled(Array.from({ length: concurrency }, () => startOnce(ctx)));
    // Dispose every sandbox of the round before the next one starts, so rounds do not overlap.
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.dispose() : undefined)));
    const failed = started.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length) throw new Error(`${failed.length} of ${concurrency} starts failed: ${String(failed[0]!.reason)}`);
    for (const s of started) if (s.status === 'fulfilled') out.push(s.value.sample);
  }
  return out;
}

function figure(name: string, samples: StartSample[], baseline: number[], target: string, met: (p50: number, p99: number) => boolean, extra: Record<string, number | string>): Figure {
  const totals = samples.map((s) => s.total);
  const p50 = round(percentile(totals, 50));
  const p99 = round(percentile(totals, 99));
  const baseline_p50 = round(percentile(baseline, 50));
  const ratio = ratioOf(p50, baseline_p50);
  return {
    name,
    unit: 'ms',
    p50,
    p99,
    baseline_p50,
    ratio: ratio === null ? null : round(ratio),
    target,
    met: met(p50, p99),
    detail: {
      n: totals.length,
      mean: round(mean(totals)),
      ready_p50: round(percentile(samples.map((s) => s.ready), 50)),
      upgrade_p50: round(percentile(samples.map((s) => s.upgrade), 50)),
      baseline_p99: round(percentile(baseline, 99)),
      baseline_n: baseline.length,
      ...extra,
    },
  };
}

export const module: FigureModule = {
  name: 'start',
  async run(ctx) {
    const sequential = ctx.quick ? 5 : 50;
    const concurrentRounds = ctx.quick ? 1 : 5;
    const CONCURRENT = 20;

    // Warm-up: the first starts after boot pay for JIT and cold caches; not what a learner sees.
    await rounds(ctx, 2, 1);

    ctx.log(`${sequential} sequential starts`);
    const t0 = performance.now();
    const alone = await rounds(ctx, sequential, 1);
    ctx.log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s; baseline: ${sequential} bare bwrap launches`);
    const bwrapAlone = await bwrapSamples(sequential, 1);

    ctx.log(`${concurrentRounds} round(s) of ${CONCURRENT} starts at once`);
    const together = await rounds(ctx, concurrentRounds, CONCURRENT);
    const bwrapTogether = await bwrapSamples(concurrentRounds, CONCURRENT);

    return [
      figure('sandbox_start', alone, bwrapAlone, 'p50 ≤ 100 ms', (p50) => p50 <= 100, {}),
      figure('sandbox_start_20', together, bwrapTogether, 'p99 ≤ 300 ms at 20 concurrent', (_p50, p99) => p99 <= 300, {
        concurrency: CONCURRENT,
        rounds: concurrentRounds,
      }),
    ];
  },
};
