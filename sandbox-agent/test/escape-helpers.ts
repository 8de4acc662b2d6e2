/**
 * Helpers for the escape and abuse suite (escape*.int.test.ts). They run on the host side, as
 * the root test process: building tiny static probe binaries with the
 * host's gcc, and reading what the host kernel says about a sandbox (its cgroups, its processes'
 * credentials) without trusting anything the sandbox prints.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Profile } from '../../protocol/profile';
import type { Session } from '../src/session';
import { newId, startHarness, TermClient, type Harness } from './harness';

/** A host file's contents (throws if unreadable: use readOr where that is expected). */
export const read = (path: string): string => readFileSync(path, 'utf8');

/** argv running `script` with bash inside the sandbox. */
export const sh = (script: string): string[] => ['bash', '-c', script];

/** Compile C source to a static binary with the host's gcc; returns its bytes. */
export function compileStatic(source: string, extraFlags: string[] = []): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'lab-escape-cc-'));
  try {
    writeFileSync(join(dir, 'probe.c'), source);
    execFileSync('gcc', ['-static', '-Os', '-s', ...extraFlags, '-o', join(dir, 'probe'), join(dir, 'probe.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'probe'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasGcc(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The sh command that saves stdin as an executable and runs it with `args`. */
export function saveAndRun(path: string, args: string[] = []): string[] {
  return ['sh', '-c', `cat > ${path} && chmod +x ${path} && exec ${path} ${args.join(' ')}`];
}

export function marker(prefix = 'mark'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** `/sys/fs/cgroup/<controller><path>` of every v1 hierarchy `pid` is in, by controller name. */
export function cgroupDirsOf(pid: number): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m || m[1] === '') continue;
    const name = m[1]!.replace(/^name=/, '');
    dirs.set(m[1]!, `/sys/fs/cgroup/${name}${m[2]}`);
  }
  return dirs;
}

/** The session's own cgroup directories (memory, pids, cpu: the delegated controllers). */
export function sessionCgroups(initPid: number): { memory: string; pids: string; cpu: string } {
  const d = cgroupDirsOf(initPid);
  const get = (c: string) => {
    const v = d.get(c) ?? [...d.entries()].find(([k]) => k.split(',').includes(c))?.[1];
    if (!v) throw new Error(`no ${c} cgroup for pid ${initPid}`);
    return v;
  };
  return { memory: get('memory'), pids: get('pids'), cpu: get('cpu') };
}

/** Every pid in a cgroup directory and all its sub-directories. */
export function pidsUnder(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  const walk = (d: string) => {
    try {
      for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l) out.push(Number(l));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {
      /* removed meanwhile */
    }
  };
  walk(dir);
  return out;
}

/** A few fields of /proc/<pid>/status, read on the host: what the kernel says, not the sandbox. */
export interface HostView {
  pid: number;
  uids: number[];
  gids: number[];
  noNewPrivs: number;
  seccomp: number;
  pidns: string;
  userns: string;
  comm: string;
}

export function hostView(pid: number): HostView | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(s)?.[1] ?? '';
    return {
      pid,
      uids: field('Uid').split(/\s+/).map(Number),
      gids: field('Gid').split(/\s+/).map(Number),
      noNewPrivs: Number(field('NoNewPrivs')),
      seccomp: Number(field('Seccomp')),
      pidns: readlinkSync(`/proc/${pid}/ns/pid`),
      userns: readlinkSync(`/proc/${pid}/ns/user`),
      comm: field('Name'),
    };
  } catch {
    return null; // exited meanwhile
  }
}

/** Host processes that live in the sandbox's PID namespace (the sandbox's own processes). */
export function sandboxProcesses(initPid: number): HostView[] {
  const ns = readlinkSync(`/proc/${initPid}/ns/pid`);
  const out: HostView[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readlinkSync(`/proc/${p}/ns/pid`) !== ns) continue;
    } catch {
      continue;
    }
    const v = hostView(Number(p));
    if (v) out.push(v);
  }
  return out;
}

/** True when `pid` has exited (at most a zombie waiting to be reaped by the host's init). */
export function processGone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
  } catch {
    return true;
  }
}

/** [used, max] from /proc/sys/fs/file-nr and file-max. */
export function hostFiles(): { used: number; max: number } {
  const [allocated, , max] = readFileSync('/proc/sys/fs/file-nr', 'utf8').trim().split(/\s+/).map(Number);
  return { used: allocated!, max: max! };
}

/**
 * The neighbour: a terminal in a sandbox of its own, open for the whole file. `alive` types an
 * echo of a fresh random marker and waits for it: the sandbox, its terminal, the agent and the
 * host's scheduler are all still answering.
 */
export async function neighbourEchoes(t: TermClient, timeoutMs = 5000): Promise<string> {
  const m = marker('neighbour');
  const from = t.text.length;
  // Quoted in the middle so the typed echo of the command itself does not match.
  t.type(`echo ${m.slice(0, 5)}""${m.slice(5)}\r`);
  await t.waitFor(new RegExp(`${m}\\r?\\n`), timeoutMs, from);
  return m;
}

/** Resolve when `test` holds, polling; reject with `what` after `timeoutMs`. */
export async function eventually(test: () => boolean, what: string, timeoutMs = 10_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ------------------------------------------------------------------------------------------
// The suite fixture: one agent, one neighbour, host canaries, and sessions disposed per test.

export interface EscapeSuite {
  h: Harness;
  /** A terminal in a sandbox of its own, open for the whole file. */
  neighbour: TermClient;
  neighbourId: string;
  /** The profile every sandbox of this agent runs with. */
  profile: Profile;
  /** A fresh session id; the session is disposed after the test, whatever happened. */
  session(): string;
  /** The running session (created on first use by run/TermClient). */
  get(id: string): Session;
  /** Dispose now (and wait); afterwards the id is no longer tracked. */
  dispose(id: string): Promise<void>;
  /** Host canaries: a root process and a file the sandboxes must leave alone. */
  canaryPid: number;
  canaryFile: string;
  canaryContent: string;
}

/**
 * Call inside a describe: starts the agent and the neighbour before the tests, and after every
 * test disposes that test's sessions, then checks the neighbour still echoes a fresh marker
 * within `neighbourBoundMs` and the host canaries are untouched.
 */
export function escapeSuite(opts: { neighbourBoundMs?: number } = {}): EscapeSuite {
  const bound = opts.neighbourBoundMs ?? 5000;
  const tracked = new Set<string>();
  let canary: ChildProcess | undefined;
  const s = {
    tracked,
    session() {
      const id = newId();
      tracked.add(id);
      return id;
    },
    get(id: string) {
      const found = s.h.agent.sessions.get(id);
      if (!found) throw new Error(`session ${id} is not running`);
      return found;
    },
    async dispose(id: string) {
      tracked.delete(id);
      await s.h.agent.sessions.get(id)?.dispose('test over');
    },
  } as EscapeSuite & { tracked: Set<string> };

  beforeAll(async () => {
    s.h = await startHarness();
    s.neighbourId = newId();
    s.neighbour = new TermClient(s.h.client, s.neighbourId, '1');
    await s.neighbour.opened();
    await neighbourEchoes(s.neighbour, 15_000);
    s.profile = s.h.agent.sessions.get(s.neighbourId)!.profile;
    s.canaryContent = marker('canary-content');
    s.canaryFile = join(mkdtempSync(join(tmpdir(), 'lab-escape-canary-')), 'canary');
    writeFileSync(s.canaryFile, s.canaryContent, { mode: 0o644 });
    canary = spawn('sleep', ['3600'], { stdio: 'ignore' });
    s.canaryPid = canary.pid!;
  });

  afterEach(async () => {
    const ids = [...tracked];
    tracked.clear();
    await Promise.all(ids.map((id) => s.h.agent.sessions.get(id)?.dispose('test over')));
    // The neighbour, the agent and the host are unharmed by whatever the test did.
    await neighbourEchoes(s.neighbour, bound);
    expect(canary?.exitCode, 'host canary process still running').toBeNull();
    expect(canary?.signalCode, 'host canary process not signalled').toBeNull();
    expect(readFileSync(s.canaryFile, 'utf8'), 'host canary file untouched').toBe(s.canaryContent);
  });

  afterAll(async () => {
    canary?.kill('SIGKILL');
    if (s.canaryFile) rmSync(dirname(s.canaryFile), { recursive: true, force: true });
    s.neighbour?.close();
    await s.h?.agent.sessions.get(s.neighbourId)?.dispose('test over');
    await s.h?.stop();
  });

  return s;
}

/** File contents, or '<unreadable>' (so a comparison shows what could not be read). */
export function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '<unreadable>';
  }
}

/** readlink, or '' when there is nothing to read. */
export function safeReadlink(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
}

/** readdir, or [] when there is nothing to read. */
export function safeReaddir(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}
