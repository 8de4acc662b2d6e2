/**
 * Host hardening, sysctl part: the logic to read, plan, apply and persist the kernel settings of
 * sysctl-table.ts (the one table, with the reason for each value).
 *
 * Runs on the host side of the privilege boundary, as root: at set-up through `apply.ts` (which
 * changes and persists them) and at agent start through `checks.ts` (which only reads and warns).
 * Everything takes the /proc/sys root as a parameter so the unit tests use a fake directory.
 *
 * The table lives here and nowhere else. The set-up scripts are plain Node and cannot import
 * TypeScript, so scripts/lib/hardening.mjs runs `node --import tsx sandbox-agent/src/host/apply.ts`
 * rather than keeping a second copy of these values in JavaScript that could drift.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SysctlSpec } from './sysctl-table';

export const PROC_SYS = '/proc/sys';
export const CONF_PATH = '/etc/sysctl.d/60-container-lab.conf';

// ---------------------------------------------------------------------------------------------
// Reading and deciding (pure but for the file read)

/** /proc/sys path of a dotted key. */
export function sysctlPath(procSys: string, key: string): string {
  return join(procSys, ...key.split('.'));
}

/** The value of a single-integer sysctl file; throws on anything else. */
export function parseSysctlValue(text: string, key = 'value'): number {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) throw new Error(`${key}: expected one integer, read ${JSON.stringify(text.slice(0, 40))}`);
  return Number(t);
}

/** Current value, or null when this kernel has no such setting. Other read errors throw. */
export function readSysctl(procSys: string, key: string): number | null {
  let text: string;
  try {
    text = readFileSync(sysctlPath(procSys, key), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${key}: ${(e as Error).message}`);
  }
  return parseSysctlValue(text, key);
}

/** `want` exactly, or at least `want` for floors. */
export function isAtTarget(spec: SysctlSpec, v: number): boolean {
  return spec.mode === 'floor' ? v >= spec.want : v === spec.want;
}

/** Hardened enough that the agent does not warn. */
export function isHardened(spec: SysctlSpec, v: number): boolean {
  return isAtTarget(spec, v) || (spec.alsoGood?.(v) ?? false);
}

export type Plan =
  | { kind: 'missing' }
  | { kind: 'in-place'; current: number; note?: string }
  | { kind: 'set'; current: number; target: number };

/** What set-up should do about one setting, given its current value (null: not in this kernel). */
export function planSysctl(spec: SysctlSpec, current: number | null): Plan {
  if (current === null) return { kind: 'missing' };
  if (isAtTarget(spec, current)) return { kind: 'in-place', current };
  const stuck = spec.stuck?.(current);
  if (stuck !== undefined) return { kind: 'in-place', current, note: stuck };
  // For a floor, current < want here: raising never lowers anything.
  return { kind: 'set', current, target: spec.want };
}

// ---------------------------------------------------------------------------------------------
// Applying (set-up)

export type Outcome =
  | { key: string; spec: SysctlSpec; kind: 'in-place'; value: number; note?: string }
  | { key: string; spec: SysctlSpec; kind: 'changed'; from: number; value: number }
  /** The kernel refused `want` but the value it has is hardened enough. */
  | { key: string; spec: SysctlSpec; kind: 'kept'; value: number; refused: string }
  | { key: string; spec: SysctlSpec; kind: 'missing' }
  | { key: string; spec: SysctlSpec; kind: 'failed'; value: number | null; error: string };

export interface ApplyOptions {
  specs: SysctlSpec[];
  procSys?: string;
  /** Print one line (already worded for a person). */
  say?: (line: string) => void;
  warn?: (line: string) => void;
  /** How to write a value; tests replace it to simulate a refusing kernel. */
  writeValue?: (path: string, value: number) => void;
}

function defaultWrite(path: string, value: number): void {
  // One write(2) of the whole value, as sysctl -w does; the kernel parses it on write.
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${value}\n`);
  } finally {
    closeSync(fd);
  }
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}` : String(err.message ?? err);
}

/**
 * Bring every setting to its hardened value, announcing each change as it happens.
 * Never throws for a setting the kernel refuses: that is a warning (the agent warns again at start).
 */
export function applySysctls(o: ApplyOptions): Outcome[] {
  const procSys = o.procSys ?? PROC_SYS;
  const say = o.say ?? (() => undefined);
  const warn = o.warn ?? (() => undefined);
  const write = o.writeValue ?? defaultWrite;
  const out: Outcome[] = [];
  for (const spec of o.specs) {
    const key = spec.key;
    let current: number | null;
    try {
      current = readSysctl(procSys, key);
    } catch (e) {
      warn(`${(e as Error).message}`);
      out.push({ key, spec, kind: 'failed', value: null, error: (e as Error).message });
      continue;
    }
    const plan = planSysctl(spec, current);
    if (plan.kind === 'missing') {
      if (!spec.ifMissing) warn(`${key} does not exist in this kernel; cannot ${spec.why}`);
      out.push({ key, spec, kind: 'missing' });
      continue;
    }
    if (plan.kind === 'in-place') {
      out.push({ key, spec, kind: 'in-place', value: plan.current, ...(plan.note ? { note: plan.note } : {}) });
      continue;
    }
    let refused: string | undefined;
    try {
      write(sysctlPath(procSys, key), plan.target);
    } catch (e) {
      refused = errText(e);
    }
    let now: number | null = null;
    try {
      now = readSysctl(procSys, key);
    } catch {
      /* reported below */
    }
    if (refused === undefined && now === plan.target) {
      say(`set ${key} ${plan.current} → ${plan.target} (${spec.why})`);
      out.push({ key, spec, kind: 'changed', from: plan.current, value: plan.target });
    } else if (now !== null && isHardened(spec, now)) {
      const why = refused ?? `it reads back as ${now}`;
      say(`kept ${key} = ${now}: the kernel refused ${plan.target} (${why}), and ${now} is hardened enough`);
      out.push({ key, spec, kind: 'kept', value: now, refused: why });
    } else {
      const error = refused ? `the kernel refused ${plan.target} (${refused})` : `wrote ${plan.target} but it reads back as ${now}`;
      warn(`could not set ${key} ${plan.current} → ${plan.target}: ${error}. Set it yourself: sysctl -w ${key}=${plan.target}`);
      out.push({ key, spec, kind: 'failed', value: now, error });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Persisting (set-up): /etc/sysctl.d is read by systemd-sysctl (and sysctl --system) at boot.

const CONF_HEADER = `# Host hardening for container-lab: this machine runs untrusted learners as root inside their
# own user namespaces. Written by the set-up (npm start / npm test, sandbox-agent/src/host/sysctls.ts)
# from the table in sandbox-agent/src/host/sysctl-table.ts, which gives the reason for every value; the set-up rewrites
# this file, so change the table (or set LAB_SKIP_HARDENING=1, manage these yourself and delete
# this file). Read at every boot by systemd-sysctl; "60-" sorts after systemd's 50-default.conf,
# which sets fs.protected_regular and fs.protected_fifos lower. A leading "-" tells sysctl to
# ignore the line on a kernel that lacks the setting.
`;

/** The persisted file's text for these outcomes (deterministic: same input, same bytes). */
export function renderConf(outcomes: Outcome[]): string {
  const lines = [CONF_HEADER];
  for (const o of outcomes) {
    const { key, spec } = o;
    lines.push(`# ${spec.why}`);
    switch (o.kind) {
      case 'missing':
        // Set at boot if a later kernel has it; ignored (thanks to "-") until then.
        lines.push(`# (${spec.ifMissing ?? 'not in this kernel'})`, `-${key} = ${spec.want}`);
        break;
      case 'failed':
        lines.push(`# (could not be applied when this file was written: ${o.error})`, `-${key} = ${spec.want}`);
        break;
      default:
        if (spec.mode === 'floor' && o.value > spec.want) {
          // Persisting the kernel's own (higher) value would freeze it; persisting the floor would
          // lower it at the next boot. Leave it to the kernel.
          lines.push(`# ${key}: this kernel's ${o.value} is above ${spec.want}; left alone (never lowered)`);
        } else {
          lines.push(`${key} = ${o.value}`);
        }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Write `text` to `path` unless it already holds exactly that; true when written. Atomic (rename). */
export function writeIfChanged(path: string, text: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The set-up step, end to end

export interface HardenOptions extends ApplyOptions {
  confPath?: string;
}

export interface HardenResult {
  outcomes: Outcome[];
  confWritten: boolean;
}

/** Apply, persist, and say what happened; one line when there was nothing to do. */
export function hardenHost(o: HardenOptions): HardenResult {
  const say = o.say ?? (() => undefined);
  const warn = o.warn ?? (() => undefined);
  const confPath = o.confPath ?? CONF_PATH;
  const outcomes = applySysctls({ ...o, say, warn });
  let confWritten = false;
  try {
    confWritten = writeIfChanged(confPath, renderConf(outcomes));
  } catch (e) {
    warn(`could not write ${confPath} (${errText(e)}): the settings above are lost at reboot until the next set-up`);
  }
  if (confWritten) say(`wrote ${confPath} (applied again at every boot)`);

  const missing = outcomes.filter((x) => x.kind === 'missing' && x.spec.ifMissing);
  const present = outcomes.length - missing.length;
  const extra = missing.map((x) => `${x.key}: ${x.spec.ifMissing}`).join('; ');
  const good = outcomes.filter((x) => x.kind === 'in-place' || x.kind === 'changed' || x.kind === 'kept').length;
  const changed = outcomes.filter((x) => x.kind === 'changed').length;
  const failed = outcomes.filter((x) => x.kind === 'failed' || (x.kind === 'missing' && !x.spec.ifMissing)).length;
  if (changed === 0 && failed === 0 && good === present) {
    say(`host hardening: all ${present} settings in place${extra ? ` (${extra})` : ''}`);
  } else {
    say(`host hardening: ${good} of ${present} settings in place, ${changed} changed just now${failed ? `, ${failed} not applied (warnings above)` : ''}${extra ? ` (${extra})` : ''}`);
  }
  return { outcomes, confWritten };
}

// ---------------------------------------------------------------------------------------------
// Checking (agent start): read only

export interface SysctlFinding {
  key: string;
  /** A sentence for the log. */
  message: string;
}

/** Each setting that is not hardened, worded with how to fix it; plus notes for absent optional ones. */
export function checkSysctls(specs: SysctlSpec[], procSys = PROC_SYS): { warnings: SysctlFinding[]; notes: SysctlFinding[] } {
  const warnings: SysctlFinding[] = [];
  const notes: SysctlFinding[] = [];
  const fix = (s: SysctlSpec) => `npm start applies it (unless LAB_SKIP_HARDENING=1), or set it yourself: sysctl -w ${s.key}=${s.want}`;
  for (const s of specs) {
    let v: number | null;
    try {
      v = readSysctl(procSys, s.key);
    } catch (e) {
      warnings.push({ key: s.key, message: `${(e as Error).message}; cannot tell whether it is hardened (${s.why})` });
      continue;
    }
    if (v === null) {
      if (s.ifMissing) notes.push({ key: s.key, message: `${s.key}: ${s.ifMissing}` });
      else warnings.push({ key: s.key, message: `${s.key} does not exist in this kernel, so it cannot be hardened (${s.why})` });
      continue;
    }
    if (isHardened(s, v)) continue;
    const wanted = s.mode === 'floor' ? `below the ${s.want} this host needs` : `not ${s.want}`;
    warnings.push({ key: s.key, message: `${s.key} is ${v}, ${wanted} (${s.why}). ${fix(s)}` });
  }
  return { warnings, notes };
}
