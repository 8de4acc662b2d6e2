/**
 * Keystroke echo round trip (issue 5 item 2) through the whole path: client → web gateway →
 * agent → pty in the sandbox → bash's readline echoes → back the same way. One printable
 * character typed at an empty bash prompt, timed until its echo arrives (bench/lib/echo-probe.ts).
 *
 *   echo_rtt_idle   nothing else running
 *   echo_rtt_load   while LOAD_LEARNERS other simulated learners (their own process, their own
 *                   sandboxes) type commands at human speed and run them (bench/lib/learners.ts)
 * Baseline: the same client code against a minimal node-pty + ws server (bench/baseline/
 * echo-server.ts: no gateway, no agent, no sandbox), started by this module in the same run;
 * and, in `detail`, the same server behind a bare relay process (relay-server.ts): our two-process
 * topology with none of our work, to tell the cost of the extra hop from the cost of our code.
 */
import { percentile, ratioOf, type Figure, type FigureModule } from '../figure';
import { onBaselineShells } from '../baseline/echo-process';
import { measureEcho } from '../lib/echo-probe';
import { openShell, resetSandbox } from '../lib/gateway-client';
import { startLearners } from '../lib/learners-process';
import { mean, round } from '../lib/util';

const LOAD_LEARNERS = 100;

function summary(samples: number[]): { p50: number; p99: number; detail: Record<string, number> } {
  return {
    p50: round(percentile(samples, 50), 3),
    p99: round(percentile(samples, 99), 3),
    detail: { n: samples.length, mean: round(mean(samples), 3), max: round(Math.max(...samples), 3) },
  };
}

export const module: FigureModule = {
  name: 'echo',
  async run(ctx) {
    const samples = ctx.quick ? 50 : 500;
    const burst = ctx.quick ? 20 : 200;
    const learners = ctx.quick ? 10 : LOAD_LEARNERS;

    ctx.log(`baseline: ${samples} round trips through a bare node-pty + ws server`);
    const { bare, relay: relayed } = await onBaselineShells(async (c, via) => {
      if (via === 'relay') ctx.log(`relay: ${samples} round trips through a bare relay process in front of it`);
      const spaced = await measureEcho(c, { samples });
      // Keystrokes back to back (no pause): the same hops without waking an idle machine.
      return { spaced, burst: await measureEcho(c, { samples: burst, gapMs: [0, 0] }) };
    });
    const base = summary(bare.spaced);
    const relay = summary(relayed.spaced);

    // The measuring learner opens its sandbox before the load starts, as a learner already
    // working when the class arrives; its shell is warm either way.
    const c = await openShell(ctx.baseUrl);
    const figures: Figure[] = [];
    try {
      ctx.log(`idle: ${samples} round trips through the gateway`);
      const idle = summary(await measureEcho(c, { samples }));
      const idleBurst = await measureEcho(c, { samples: burst, gapMs: [0, 0] });
      const idleRatio = ratioOf(idle.p50, base.p50);
      figures.push({
        name: 'echo_rtt_idle',
        unit: 'ms',
        p50: idle.p50,
        p99: idle.p99,
        baseline_p50: base.p50,
        ratio: idleRatio === null ? null : round(idleRatio),
        target: 'p50 ≤ 1 ms, p99 ≤ 5 ms, ratio ≤ 1.5',
        met: idle.p50 <= 1 && idle.p99 <= 5 && idleRatio !== null && idleRatio <= 1.5,
        detail: {
          ...idle.detail,
          baseline_p99: base.p99,
          back_to_back_p50: round(percentile(idleBurst, 50), 3),
          baseline_back_to_back_p50: round(percentile(bare.burst, 50), 3),
          relay_p50: relay.p50,
          relay_p99: relay.p99,
          relay_back_to_back_p50: round(percentile(relayed.burst, 50), 3),
          ratio_to_relay: round(ratioOf(idle.p50, relay.p50) ?? 0),
        },
      });

      ctx.log(`load: starting ${learners} simulated learners`);
      const load = await startLearners({ baseUrl: ctx.baseUrl, count: learners });
      let loaded: number[] = [];
      let failure: unknown;
      try {
        if (load.started.startFailures > 0) ctx.log(`  ${load.started.startFailures} learner(s) failed to start: ${load.started.firstError}`);
        ctx.log(`  ${load.started.learners} typing; ${samples} round trips through the gateway`);
        loaded = await measureEcho(c, { samples });
      } catch (e) {
        failure = e;
      }
      // Stop the learners (and dispose their sandboxes) whatever happened to the measurement.
      const loadStats = await load.stop();
      ctx.log(`  learners: ${loadStats.commands} commands, ${loadStats.keystrokes} keys, ${loadStats.errors} errors${loadStats.firstError ? ` (${loadStats.firstError})` : ''}`);
      if (failure !== undefined) throw failure;
      const under = summary(loaded);
      const loadRatio = ratioOf(under.p50, base.p50);
      figures.push({
        name: 'echo_rtt_load',
        unit: 'ms',
        p50: under.p50,
        p99: under.p99,
        baseline_p50: base.p50,
        ratio: loadRatio === null ? null : round(loadRatio),
        target: `p99 ≤ 20 ms with ${LOAD_LEARNERS} learners typing`,
        met: under.p99 <= 20 && learners === LOAD_LEARNERS && loadStats.startFailures === 0 && loadStats.errors === 0,
        detail: {
          ...under.detail,
          learners: loadStats.learners,
          learner_start_failures: loadStats.startFailures,
          learner_commands: loadStats.commands,
          learner_keys: loadStats.keystrokes,
          learner_errors: loadStats.errors,
        },
      });
    } finally {
      await resetSandbox(ctx.baseUrl, c.token).catch(() => undefined);
      await c.closeAndWait();
    }
    return figures;
  },
};
