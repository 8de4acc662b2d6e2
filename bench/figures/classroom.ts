/**
 * `classroom_100` (issue 5, item 5): the load generator (`lab loadtest`, cli/loadtest.ts) with
 * 100 learners for 5 minutes against the bench server, each working through lesson steps at
 * human speed, running the lesson commands and triggering checks. The figure is the keystroke
 * echo round trip under that load; the check latency, errors, dropped sessions and what was left
 * behind are in `detail`. --quick: 20 learners for 30 s (indicative only).
 */
import { runLoadtest } from '../../cli/loadtest';
import { cgroupParentOf } from '../../cli/loadtest-leftovers';
import { leftoverLine, type LoadtestResult } from '../../cli/loadtest-stats';
import type { BenchContext, Figure, FigureModule } from '../figure';
import { cpuSplit } from './density';

const FULL = { learners: 100, durationSec: 300, rampSec: 30 };
const QUICK = { learners: 20, durationSec: 30, rampSec: 5 };
const ECHO_P99_MS = 50;
const CHECK_P99_MS = 500;
/** Fixed, so runs type the same rhythm and are comparable. */
const SEED = 5;

const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : Number.NaN);

/** The figure for one load run; met as issue 5 says: clean run, echo p99 ≤ 50 ms, check p99 ≤ 500 ms. */
/** Share of one core (percent) that each part of the server used over the run. */
export interface CpuShare {
  web: number;
  agent: number;
  sandboxes: number;
}

export function classroomFigure(r: LoadtestResult, cpu?: CpuShare): Figure {
  const clean = r.errors === 0 && r.dropped === 0 && r.leftover.checked && r.leftover.left === 0;
  return {
    name: 'classroom_100',
    unit: 'ms',
    p50: round(r.echoMs.p50),
    p99: round(r.echoMs.p99),
    baseline_p50: null,
    ratio: null,
    target: `${r.learners === 100 ? '' : `(${r.learners} learners, quick) `}zero errors and drops, echo p99 ≤ ${ECHO_P99_MS} ms, check p99 ≤ ${CHECK_P99_MS} ms, nothing left behind`,
    met: clean && r.echoMs.p99 <= ECHO_P99_MS && r.checkMs.p99 <= CHECK_P99_MS,
    detail: {
      learners: r.learners,
      duration_s: r.durationSec,
      keystrokes: r.keystrokes,
      echo_n: r.echoMs.n,
      echo_max_ms: round(r.echoMs.max),
      echo_after_ramp_p50_ms: round(r.echoSteadyMs.p50),
      echo_after_ramp_p99_ms: round(r.echoSteadyMs.p99),
      echo_p99_by_lesson: r.echoByLesson.map((l) => `${l.lesson} ${round(l.p99, 0)}`).join(', '),
      unechoed: r.unechoed,
      checks: r.checks,
      checks_passed: r.checksPassed,
      check_p50_ms: round(r.checkMs.p50, 1),
      check_p99_ms: round(r.checkMs.p99, 1),
      steps_passed: r.stepsPassed,
      steps_not_passed: r.stepsNotPassed,
      page_p50_ms: round(r.pageMs.p50, 1),
      page_p99_ms: round(r.pageMs.p99, 1),
      terminal_open_p99_ms: round(r.openMs.p99, 1),
      client_loop_delay_p99_ms: round(r.clientLoopDelayP99Ms, 1),
      ...(cpu ? { web_cpu_pct: round(cpu.web, 1), agent_cpu_pct: round(cpu.agent, 1), sandboxes_cpu_pct: round(cpu.sandboxes, 1) } : {}),
      errors: r.errors,
      dropped: r.dropped,
      leftover: r.leftover.checked ? r.leftover.left : 'unchecked',
      leftover_detail: leftoverLine(r.leftover),
      ...(r.errorMessages[0] ? { first_error: r.errorMessages[0] } : {}),
      ...(r.droppedMessages[0] ? { first_drop: r.droppedMessages[0] } : {}),
    },
  };
}

export const module: FigureModule = {
  name: 'classroom',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const shape = ctx.quick ? QUICK : FULL;
    ctx.log(`classroom: ${shape.learners} learners for ${shape.durationSec} s`);
    const parent = cgroupParentOf(ctx.serverPid) ?? 'container-lab-bench';
    const cpu0 = cpuSplit(ctx.serverPid, parent);
    const t0 = Date.now();
    const result = await runLoadtest(
      {
        ...shape,
        url: ctx.baseUrl,
        // The parent the bench server was started with, to count its sandboxes before and after.
        cgroupParent: parent,
        seed: SEED,
        json: false,
      },
      { log: ctx.log },
    );
    const cpu1 = cpuSplit(ctx.serverPid, parent);
    const pct = (sec: number) => (sec / ((Date.now() - t0) / 1000)) * 100;
    const cpu = { web: pct(cpu1.webSec - cpu0.webSec), agent: pct(cpu1.agentSec - cpu0.agentSec), sandboxes: pct(cpu1.sandboxSec - cpu0.sandboxSec) };
    ctx.log(`classroom: CPU over the run, % of one core: web tier ${cpu.web.toFixed(0)}, agent ${cpu.agent.toFixed(0)}, sandboxes ${cpu.sandboxes.toFixed(0)}`);
    return [classroomFigure(result, cpu)];
  },
};
