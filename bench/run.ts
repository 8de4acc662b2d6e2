/**
 * `npm run bench`: start one bench server, run every figure module against it (or those named
 * with --only), stop the server, then write bench/results/latest.json (an array of figures) and
 * bench/results/latest.md (a Markdown table) and print the table. docs/benchmarks.md explains
 * each figure.
 *
 *   node --import tsx bench/run.ts [--only start,echo] [--quick]
 *
 * Exit status: 0 when every module ran (whether or not its targets were met), 1 when a module
 * failed, 2 for bad arguments or when the benchmarks cannot run here (not root, no build).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Figure } from './figure';
import { MODULES, type ModuleEntry } from './figures/index';
import { parseBenchArgs, selectModules, USAGE, type BenchArgs } from './lib/args';
import { markdownReport, markdownTable, type RunMeta } from './lib/report';
import { BENCH_SERVER, cannotStart, ROOT, startBenchServer, type BenchServer, type ServerSettings } from './lib/server';

export const RESULTS_DIR = join(ROOT, 'bench', 'results');

export interface RunOptions {
  args: BenchArgs;
  server?: ServerSettings;
  modules?: readonly ModuleEntry[];
  /** Where latest.json and latest.md go; null writes nothing (the smoke test). */
  resultsDir?: string | null;
  print?: (line: string) => void;
}

export interface RunOutcome {
  figures: Figure[];
  errors: RunMeta['errors'];
  meta: RunMeta;
}

/** A figure as a module returned it, checked: a broken module must not write a broken file. */
function checkFigure(f: Figure, module: string): string | null {
  if (typeof f.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(f.name)) return `${module}: bad figure name ${JSON.stringify(f.name)}`;
  if (typeof f.unit !== 'string' || typeof f.target !== 'string' || typeof f.met !== 'boolean') return `${module}: ${f.name} lacks unit, target or met`;
  for (const k of ['p50', 'p99'] as const) if (typeof f[k] !== 'number') return `${module}: ${f.name}.${k} is not a number`;
  return null;
}

export async function runBench(opts: RunOptions): Promise<RunOutcome> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const modules = opts.modules ?? MODULES;
  const { selected } = selectModules(
    modules.map((m) => m.name),
    opts.args.only,
  );
  const figures: Figure[] = [];
  const errors: RunMeta['errors'] = [];
  const started = new Date();
  const t0 = performance.now();
  const stamp = () => `${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`;

  print(`[bench] starting the bench server (${(opts.server ?? BENCH_SERVER).logFile} has its output)`);
  const server: BenchServer = await startBenchServer(opts.server ?? BENCH_SERVER);
  print(`[bench] server ready on ${server.baseUrl} (pid ${server.pid}) after ${stamp()}`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    print(`[bench] stopping the server (SIGTERM: it disposes every sandbox)`);
    print(`[bench] server stopped (${await server.stop()})`);
  };
  const onSignal = () => {
    print('[bench] interrupted');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const entry of modules.filter((m) => selected.includes(m.name))) {
      const ctx: BenchContext = {
        baseUrl: server.baseUrl,
        agentSocket: server.agentSocket,
        agentToken: server.agentToken,
        serverPid: server.pid,
        quick: opts.args.quick,
        log: (msg) => print(`[bench ${stamp()}] ${entry.name}: ${msg}`),
      };
      ctx.log('running');
      try {
        const mod = await entry.load();
        const got = await mod.run(ctx);
        for (const f of got) {
          const problem = checkFigure(f, entry.name);
          if (problem) throw new Error(problem);
          figures.push(f);
          ctx.log(`${f.name}: p50 ${f.p50} ${f.unit}, p99 ${f.p99} ${f.unit}${f.ratio === null ? '' : `, ${f.ratio.toFixed(2)}× baseline`} → ${f.met ? 'met' : 'NOT met'} (${f.target})`);
        }
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        errors.push({ module: entry.name, error });
        ctx.log(`FAILED: ${e instanceof Error && e.stack ? e.stack : error}`);
      }
      if (server.process.exitCode !== null || server.process.signalCode !== null) {
        errors.push({ module: entry.name, error: 'the bench server died during this module' });
        break;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  }

  const meta: RunMeta = {
    startedAt: started.toISOString(),
    durationSec: (performance.now() - t0) / 1000,
    quick: opts.args.quick,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
    errors,
  };
  const resultsDir = opts.resultsDir === undefined ? RESULTS_DIR : opts.resultsDir;
  if (resultsDir !== null) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(figures, null, 2)}\n`);
    writeFileSync(join(resultsDir, 'latest.md'), markdownReport(figures, meta));
  }
  return { figures, errors, meta };
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { unknown } = selectModules(
    MODULES.map((m) => m.name),
    args.only,
  );
  if (unknown.length) {
    console.error(`unknown figure module(s): ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`);
    return 2;
  }
  const why = cannotStart();
  if (why) {
    console.error(`[bench] cannot run: ${why}`);
    return 2;
  }
  const { figures, errors } = await runBench({ args });
  console.log(`\n${markdownTable(figures)}\n`);
  console.log(`[bench] wrote ${join(RESULTS_DIR, 'latest.json')} and latest.md`);
  for (const e of errors) console.error(`[bench] module ${e.module} failed: ${e.error}`);
  return errors.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`[bench] ${e.stack ?? e.message}`);
      process.exit(1);
    },
  );
}
