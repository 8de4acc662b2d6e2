/**
 * `lab loadtest` arguments (README "lab"): pure parsing, so it is unit-tested without a server.
 *   lab loadtest --learners N --duration D [--url URL] [--ramp S] [--cgroup-parent NAME]
 *                [--seed N] [--json]
 * Durations are seconds, or a number with a unit: `90`, `90s`, `5m`, `1.5m`, `1h`.
 */

export interface LoadtestOptions {
  /** Simulated learners, each with its own cookie, sandbox and terminals. */
  learners: number;
  /** Whole run, ramp included, in seconds: learners stop working when it is over. */
  durationSec: number;
  /** Learners start evenly spread over this many seconds (a class arriving, not a stampede). */
  rampSec: number;
  /** The web tier, e.g. http://127.0.0.1:3000; everything goes through it. */
  url: string;
  /**
   * The agent's LAB_CGROUP_PARENT: its sandboxes are the directories under
   * /sys/fs/cgroup/pids/<parent>, which is how the run confirms nothing was left behind.
   */
  cgroupParent: string;
  /** Seeds typing jitter and think times, so a run can be repeated; printed in the summary. */
  seed: number;
  /** Also print the result as one JSON object on stdout's last line. */
  json: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const LOADTEST_USAGE = `usage: lab loadtest --learners N --duration D [--url URL] [--ramp S]
                   [--cgroup-parent NAME] [--seed N] [--json]
  --learners N        simulated learners (1-1000)
  --duration D        whole run, ramp included: 90, 90s, 5m, 1h
  --url URL           the web tier (default http://127.0.0.1:3000)
  --ramp S            start learners evenly over S (default: a fifth of the duration, at most 60 s)
  --cgroup-parent N   the agent's LAB_CGROUP_PARENT, to confirm no sandbox is left behind
                      (default: $LAB_CGROUP_PARENT or container-lab)
  --seed N            seed of typing jitter and think times (default: random, printed)
  --json              also print the result as JSON on the last line`;

export const MAX_LEARNERS = 1000;
const MAX_DURATION_SEC = 24 * 3600;
const DEFAULT_URL = 'http://127.0.0.1:3000';
const DEFAULT_PARENT = 'container-lab';
/** The agent's own pattern for LAB_CGROUP_PARENT (sandbox-agent/src/config.ts). */
const PARENT = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** `90`, `90s`, `5m`, `1.5m`, `1h` → seconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be seconds or a number with s, m or h (e.g. 90, 5m), not "${text}"`);
  const sec = Number(m[1]) * UNITS[m[2] ?? '']!;
  if (sec > MAX_DURATION_SEC) throw new UsageError(`${what} is over 24 h`);
  return sec;
}

function parseInteger(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${what} must be between ${min} and ${max}`);
  return n;
}

function parseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be a URL such as ${DEFAULT_URL}, not "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--url must be http:// or https://');
  if (url.pathname !== '/' || url.search || url.hash) throw new UsageError('--url is the server root, without a path');
  return url.origin;
}

/** Default ramp: a fifth of the run, at most a minute. */
export function defaultRamp(durationSec: number): number {
  return Math.min(60, durationSec / 5);
}

/**
 * Parse the words after `lab loadtest`. Throws UsageError with a sentence; returns null for
 * --help (the caller prints the usage).
 */
export function parseLoadtestArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): LoadtestOptions | null {
  const values = new Map<string, string>();
  let json = false;
  const takesValue = new Set(['--learners', '--duration', '--url', '--ramp', '--cgroup-parent', '--seed']);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '-h' || word === '--help') return null;
    if (word === '--json') {
      json = true;
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (!takesValue.has(name)) throw new UsageError(`unknown option "${word}"`);
    if (values.has(name)) throw new UsageError(`${name} is given twice`);
    let value: string | undefined;
    if (eq > 0) {
      value = word.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    values.set(name, value);
  }

  const learnersText = values.get('--learners');
  const durationText = values.get('--duration');
  if (learnersText === undefined) throw new UsageError('--learners is required');
  if (durationText === undefined) throw new UsageError('--duration is required');
  const learners = parseInteger(learnersText, '--learners', 1, MAX_LEARNERS);
  const durationSec = parseDuration(durationText, '--duration');
  if (durationSec < 1) throw new UsageError('--duration must be at least 1 s');
  const rampText = values.get('--ramp');
  const rampSec = rampText === undefined ? defaultRamp(durationSec) : parseDuration(rampText, '--ramp');
  if (rampSec >= durationSec) throw new UsageError('--ramp must be shorter than --duration (the duration includes the ramp)');
  const cgroupParent = values.get('--cgroup-parent') ?? env.LAB_CGROUP_PARENT ?? DEFAULT_PARENT;
  if (!PARENT.test(cgroupParent)) throw new UsageError(`--cgroup-parent "${cgroupParent}" is not a valid LAB_CGROUP_PARENT`);
  const seedText = values.get('--seed');
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : parseInteger(seedText, '--seed', 0, 2 ** 31 - 1);
  return { learners, durationSec, rampSec, url: parseUrl(values.get('--url') ?? DEFAULT_URL), cgroupParent, seed, json };
}
