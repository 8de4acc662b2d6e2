/**
 * Smoke run of every benchmark (issue 5: "so the harness cannot rot"): the real orchestrator
 * with --quick against its own bench server, every figure module in bench/figures/index.ts.
 * Asserts that each module ran and returned well-formed figures; never a target or a timing
 * (tests must not be timing-sensitive). Needs what the bench needs (root, the web build, the
 * native helpers, the rootfs); elsewhere it skips with the reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from './run';
import { cannotStart, ROOT, type ServerSettings } from './lib/server';
import { cannotRun } from '../sandbox-agent/test/harness';

const reason = cannotStart() ?? cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

/** Its own port, data dir, cgroup parent and id ranges: a `npm run bench` may be running. */
const SMOKE_SERVER: ServerSettings = {
  port: 3202,
  dataDir: '.lab/bench-smoke',
  cgroupParent: 'container-lab-bench-smoke',
  uidBase: 5_500_000,
  subidBase: 1_830_000_000,
  maxSandboxes: 400,
  logFile: join(ROOT, 'test-results', 'bench-smoke-server.log'),
};

describe.skipIf(reason !== null)('benchmarks (smoke, --quick)', () => {
  it(
    'every figure module runs and returns well-formed figures',
    async () => {
      const lines: string[] = [];
      const { figures, errors } = await runBench({ args: { only: [], quick: true, help: false }, server: SMOKE_SERVER, resultsDir: null, print: (l) => lines.push(l) });
      expect(errors, lines.join('\n')).toEqual([]);
      const names = figures.map((f) => f.name);
      for (const name of ['sandbox_start', 'sandbox_start_20', 'echo_rtt_idle', 'echo_rtt_load', 'flood_throughput', 'flood_ctrl_c', 'flood_memory']) {
        expect(names).toContain(name);
      }
      expect(new Set(names).size).toBe(names.length);
      for (const f of figures) {
        expect(Number.isFinite(f.p50), `${f.name}.p50`).toBe(true);
        expect(Number.isFinite(f.p99), `${f.name}.p99`).toBe(true);
        if (f.baseline_p50 !== null) expect(f.ratio).not.toBeNull();
      }
    },
    15 * 60_000,
  );
});
