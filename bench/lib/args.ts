/** Command line of bench/run.ts: `[--only a,b] [--quick]`. Pure, unit-tested. */

export interface BenchArgs {
  /** Module names (bench/figures/index.ts) or figure names to run; empty = all. */
  only: string[];
  quick: boolean;
  help: boolean;
}

export const USAGE = `usage: node --import tsx bench/run.ts [--only NAME[,NAME...]] [--quick]
  --only    run only these figure modules (e.g. start,echo) or the modules of these figures (e.g. echo_rtt_load)
  --quick   few iterations: checks the harness, figures are indicative only`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const out: BenchArgs = { only: [], quick: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a === '--quick') out.quick = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (value === undefined || value.startsWith('--')) throw new Error('--only needs a comma-separated list of names');
      const names = value.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
      if (names.length === 0) throw new Error('--only needs a comma-separated list of names');
      out.only.push(...names);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return out;
}

/**
 * Which modules to run for `--only`: a name is a module's name, or a figure name whose prefix
 * before the first '_' names a module (echo_rtt_load → echo). Unknown names are returned so the
 * caller can refuse them.
 */
export function selectModules(all: readonly string[], only: readonly string[]): { selected: string[]; unknown: string[] } {
  if (only.length === 0) return { selected: [...all], unknown: [] };
  const wanted = new Set<string>();
  const unknown: string[] = [];
  for (const name of only) {
    if (all.includes(name)) wanted.add(name);
    else {
      const owner = all.find((m) => name.startsWith(`${m}_`));
      if (owner) wanted.add(owner);
      else unknown.push(name);
    }
  }
  return { selected: all.filter((m) => wanted.has(m)), unknown };
}
