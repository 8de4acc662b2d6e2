/**
 * Output floods (issue 5 item 3), through the whole path to a client that acknowledges like
 * xterm.js with zero parse time (bench/lib/gateway-client.ts: the browser's AckTracker):
 *
 *   flood_throughput  MB/s (10^6 bytes) of `head -c 50M /dev/urandom | base64`, from Enter to the
 *                     prompt after it; p99 is the slow tail (the 99th-percentile run time).
 *   flood_ctrl_c      during an endless `base64 /dev/urandom`, Ctrl-C (0x03) until the prompt is
 *                     back on screen: the output has stopped and the next prompt arrived.
 *   flood_memory      growth of the server's resident memory (web tier + agent Node processes,
 *                     /proc) per flooding terminal, sampled while FLOODERS terminals flood at once.
 * Baseline for the first two: the same commands on the bare node-pty + ws server
 * (bench/baseline/echo-server.ts: host bash, no gateway, agent, sandbox, limits or flow control);
 * the throughput's `detail` adds the same server behind a bare relay process (relay-server.ts),
 * our two-process topology with none of our work.
 */
import { percentile, ratioOf, type BenchContext, type Figure, type FigureModule } from '../figure';
import { onBaselineShells } from '../baseline/echo-process';
import { GatewayClient, openShell, resetSandbox, setPrompt } from '../lib/gateway-client';
import { treeMemory } from '../lib/proc';
import { mapLimit, mean, round, sleep } from '../lib/util';

/** The flood prompt: '>' and ' ' never occur in base64 output. */
const PROMPT = 'flood> ';
const PROMPT_RE = /flood> $/;
const MB = 1e6;
const MiB = 1024 * 1024;
const FLOODERS = 4;

/** One flood of `size` (head -c syntax): bytes received and ms from Enter to the prompt. */
async function floodOnce(c: GatewayClient, size: string): Promise<{ bytes: number; ms: number }> {
  const cmd = `head -c ${size} /dev/urandom | base64`;
  c.type(cmd);
  // Wait for the typed line's echo, so the count starts at Enter and holds only the flood.
  await c.waitFor(/base64$/, { timeoutMs: 10_000 });
  const from = c.received;
  const sent = c.type('\r');
  const done = await c.waitFor(PROMPT_RE, { fromSeq: from, timeoutMs: 300_000 });
  return { bytes: c.received - from, ms: done - sent };
}

/** Start an endless flood, let `warmBytes` arrive, press Ctrl-C: ms until the prompt, bytes after. */
async function ctrlCOnce(c: GatewayClient, warmBytes: number): Promise<{ ms: number; bytesAfter: number }> {
  c.type('base64 /dev/urandom\r');
  const start = c.received;
  const deadline = performance.now() + 30_000;
  while (c.received - start < warmBytes) {
    if (c.closed || performance.now() > deadline) throw new Error(`the flood did not start: ${JSON.stringify(c.text.slice(-200))}`);
    await sleep(5);
  }
  const from = c.received;
  const sent = c.type('\x03');
  const done = await c.waitFor(PROMPT_RE, { fromSeq: from, timeoutMs: 30_000 });
  return { ms: done - sent, bytesAfter: c.received - from };
}

interface FloodRuns {
  throughput: number[];
  ms: number[];
  bytes: number;
  ctrlC: number[];
  bytesAfterCtrlC: number[];
}

async function floodRuns(c: GatewayClient, runs: { size: string; floods: number; ctrlC: number; warmBytes: number }): Promise<FloodRuns> {
  const out: FloodRuns = { throughput: [], ms: [], bytes: 0, ctrlC: [], bytesAfterCtrlC: [] };
  for (let i = 0; i < runs.floods; i++) {
    const r = await floodOnce(c, runs.size);
    out.ms.push(r.ms);
    out.throughput.push(r.bytes / MB / (r.ms / 1000));
    out.bytes = r.bytes;
  }
  for (let i = 0; i < runs.ctrlC; i++) {
    const r = await ctrlCOnce(c, runs.warmBytes);
    out.ctrlC.push(r.ms);
    out.bytesAfterCtrlC.push(r.bytesAfter);
    await sleep(100);
  }
  return out;
}

/** Throughput at a run-time percentile: the slow tail of a "higher is better" figure. */
function throughputAt(r: FloodRuns, p: number): number {
  return r.bytes / MB / (percentile(r.ms, p) / 1000);
}

/** Median of a few /proc readings of the server's Node processes, bytes. */
async function serverRss(pid: number, readings = 5): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < readings; i++) {
    values.push(treeMemory(pid).serverRss);
    await sleep(100);
  }
  return percentile(values, 50);
}

async function memoryFigure(ctx: BenchContext): Promise<Figure> {
  const n = ctx.quick ? 2 : FLOODERS;
  const seconds = ctx.quick ? 3 : 10;
  const clients = await mapLimit(Array.from({ length: n }), n, () => openShell(ctx.baseUrl, { prompt: PROMPT }));
  try {
    const before = await serverRss(ctx.serverPid);
    const beforeSandboxes = treeMemory(ctx.serverPid).sandboxRss;
    for (const c of clients) c.type('base64 /dev/urandom\r');
    const perTerminal: number[] = [];
    let peakSandboxes = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await sleep(100);
      const m = treeMemory(ctx.serverPid);
      perTerminal.push((m.serverRss - before) / n / MiB);
      peakSandboxes = Math.max(peakSandboxes, m.sandboxRss);
    }
    const bytes = clients.reduce((a, c) => a + c.bytes, 0);
    await Promise.all(
      clients.map(async (c) => {
        const from = c.received;
        c.type('\x03');
        await c.waitFor(PROMPT_RE, { fromSeq: from, timeoutMs: 30_000 });
      }),
    );
    const p50 = round(percentile(perTerminal, 50));
    const p99 = round(percentile(perTerminal, 99));
    return {
      name: 'flood_memory',
      unit: 'MiB per flooding terminal',
      p50,
      p99,
      baseline_p50: null,
      ratio: null,
      target: '< 32 MiB per flooding terminal',
      met: p99 < 32,
      detail: {
        terminals: n,
        seconds,
        samples: perTerminal.length,
        server_rss_before_mib: round(before / MiB),
        server_rss_peak_mib: round(before / MiB + (Math.max(...perTerminal) * n)),
        sandbox_rss_growth_peak_mib: round((peakSandboxes - beforeSandboxes) / MiB),
        flooded_mb: round(bytes / MB),
      },
    };
  } finally {
    await mapLimit(clients, n, async (c) => {
      await resetSandbox(ctx.baseUrl, c.token).catch(() => undefined);
      await c.closeAndWait();
    });
  }
}

export const module: FigureModule = {
  name: 'flood',
  async run(ctx) {
    const runs = ctx.quick ? { size: '10M', floods: 2, ctrlC: 3, warmBytes: 1 * MiB } : { size: '50M', floods: 10, ctrlC: 20, warmBytes: 4 * MiB };

    ctx.log(`baseline: ${runs.floods} × ${runs.size} flood and ${runs.ctrlC} Ctrl-C on a bare node-pty + ws server`);
    const { bare: base, relay: relayed } = await onBaselineShells(async (c, via) => {
      await setPrompt(c, PROMPT);
      if (via === 'bare') return floodRuns(c, runs);
      ctx.log(`relay: the same floods through a bare relay process in front of it`);
      return floodRuns(c, { ...runs, ctrlC: 0 });
    });

    ctx.log(`gateway: ${runs.floods} × ${runs.size} flood and ${runs.ctrlC} Ctrl-C`);
    const c = await openShell(ctx.baseUrl, { prompt: PROMPT });
    let real: FloodRuns;
    try {
      real = await floodRuns(c, runs);
    } finally {
      await resetSandbox(ctx.baseUrl, c.token).catch(() => undefined);
      await c.closeAndWait();
    }

    ctx.log(`memory: ${ctx.quick ? 2 : FLOODERS} terminals flooding at once`);
    const memory = await memoryFigure(ctx);

    const tp50 = round(throughputAt(real, 50), 1);
    const tBase = round(throughputAt(base, 50), 1);
    const tRatio = ratioOf(tp50, tBase);
    const c50 = round(percentile(real.ctrlC, 50), 1);
    const c99 = round(percentile(real.ctrlC, 99), 1);
    const cBase = round(percentile(base.ctrlC, 50), 1);
    const cRatio = ratioOf(c50, cBase);
    return [
      {
        name: 'flood_throughput',
        unit: 'MB/s',
        p50: tp50,
        p99: round(throughputAt(real, 99), 1),
        baseline_p50: tBase,
        ratio: tRatio === null ? null : round(tRatio),
        target: '≥ 50 MB/s',
        met: tp50 >= 50,
        detail: {
          runs: real.ms.length,
          flood_mb: round(real.bytes / MB, 1),
          run_ms_p50: round(percentile(real.ms, 50)),
          mean_mb_s: round(mean(real.throughput), 1),
          baseline_p99: round(throughputAt(base, 99), 1),
          relay_p50: round(throughputAt(relayed, 50), 1),
          ratio_to_relay: round(ratioOf(tp50, throughputAt(relayed, 50)) ?? 0),
        },
      },
      {
        name: 'flood_ctrl_c',
        unit: 'ms',
        p50: c50,
        p99: c99,
        baseline_p50: cBase,
        ratio: cRatio === null ? null : round(cRatio),
        target: 'p99 ≤ 100 ms',
        met: c99 <= 100,
        detail: {
          n: real.ctrlC.length,
          kib_after_ctrl_c_p50: round(percentile(real.bytesAfterCtrlC, 50) / 1024),
          kib_after_ctrl_c_max: round(Math.max(...real.bytesAfterCtrlC) / 1024),
          baseline_p99: round(percentile(base.ctrlC, 99), 1),
          baseline_kib_after_p50: round(percentile(base.bytesAfterCtrlC, 50) / 1024),
        },
      },
      memory,
    ];
  },
};
