/** Small cgroupfs file operations shared by the v1 and v2 drivers (host side, as root). */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function write(path: string, value: string): void {
  writeFileSync(path, value);
}

/** Write only when the knob exists (memsw needs swap accounting, cgroup.kill needs 5.14). */
export function writeIfExists(path: string, value: string): boolean {
  if (!existsSync(path)) return false;
  writeFileSync(path, value);
  return true;
}

export function mkdir(path: string): void {
  mkdirSync(path, { recursive: true });
}

export function chown(paths: string[], uid: number): void {
  for (const p of paths) chownSync(p, uid, uid);
}

/** Every cgroup directory under `dir`, deepest first, `dir` itself last. */
export function treeBottomUp(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  // One accumulator: a learner can make a directory with a million children (no spreading).
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) treeBottomUp(join(dir, e.name), out);
  out.push(dir);
  return out;
}

export function pidsIn(dir: string): number[] {
  const pids: number[] = [];
  for (const d of treeBottomUp(dir)) {
    let text = '';
    try {
      text = readFileSync(join(d, 'cgroup.procs'), 'utf8');
    } catch {
      continue; // removed meanwhile
    }
    for (const line of text.split('\n')) if (line) pids.push(Number(line));
  }
  return pids;
}

export function killAll(dir: string): number {
  const pids = pidsIn(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  return pids.length;
}

/** rmdir bottom-up, retrying while the kernel finishes tearing tasks down (EBUSY). */
export async function removeTree(dir: string, attempts = 100): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      for (const d of treeBottomUp(dir)) rmdirSync(d);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (i >= attempts) throw new Error(`cannot remove cgroup ${dir}: ${(e as Error).message}`);
      killAll(dir);
      await sleep(20);
    }
  }
}

export function listChildren(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/** rmdir that tolerates a directory already gone or still in use by another agent. */
export function rmdirQuiet(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* ENOENT or EBUSY: nothing of ours to remove */
  }
}

/** File contents, or '' when the file is missing (an older kernel, or already torn down). */
export function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Directories below `dir` (not itself), counting no further than `stopAfter`. */
export function countDescendants(dir: string, stopAfter: number): number {
  let n = 0;
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      if (++n > stopAfter) return;
      walk(join(d, e.name));
      if (n > stopAfter) return;
    }
  };
  walk(dir);
  return n;
}
