// Small helpers shared by the set-up scripts: headings with timings, running commands, hashing.
// Plain Node, no npm dependencies: these run before `npm ci` on a fresh machine.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (two levels above scripts/lib/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');

export function secondsSince(t0) {
  const s = (performance.now() - t0) / 1000;
  return s < 10 ? s.toFixed(2) : s.toFixed(1);
}

/** A set-up step: prints a heading, runs fn, prints how long it took. Errors propagate. */
export async function step(title, fn) {
  const t0 = performance.now();
  console.log(bold(`==> ${title}`));
  const result = await fn();
  console.log(dim(`    (${title}: ${secondsSince(t0)} s)`));
  return result;
}

export function note(msg) {
  console.log(`    ${msg}`);
}

export function warn(msg) {
  console.log(yellow(`    warning: ${msg}`));
}

/** An error whose message is meant for a person; the entry scripts print it without a stack. */
export class SetupError extends Error {
  name = 'SetupError';
}

/**
 * Run a command with inherited stdio (or with each output line prefixed when `prefix` is set).
 * Resolves with the exit code; rejects only when the command cannot be started.
 */
export function run(cmd, args, { cwd = ROOT, env = process.env, prefix, timer } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: prefix ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    if (prefix) {
      const t0 = timer ?? performance.now();
      const pump = (stream, out) => {
        let buf = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          buf += chunk;
          const parts = buf.split('\n');
          buf = parts.pop() ?? '';
          for (let line of parts) {
            // Progress counters redraw with \r: keep what a terminal would end up showing.
            line = line.replace(/\r$/, '');
            line = line.slice(line.lastIndexOf('\r') + 1);
            if (line.trim()) out.write(`${dim(`${prefix} ${secondsSince(t0).padStart(5)}s`)} ${line}\n`);
          }
        });
        stream.on('end', () => {
          if (buf.trim()) out.write(`${dim(`${prefix} ${secondsSince(t0).padStart(5)}s`)} ${buf}\n`);
        });
      };
      pump(child.stdout, process.stdout);
      pump(child.stderr, process.stdout);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
  });
}

/** Run a command, capturing stdout; resolves { code, stdout, stderr }. */
export function capture(cmd, args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (err) => resolvePromise({ code: 127, stdout, stderr: String(err) }));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
export function signalNumber(name) {
  return SIGNALS[name];
}

/**
 * Content hash over files and directories (recursively), relative to ROOT, skipping build output
 * and dependencies. Missing paths are recorded as missing, so creating one changes the hash.
 */
export function hashTree(paths, { skipDirs = ['node_modules', '.next', '.lab', 'test-results', '.git'], skipFile = () => false } = {}) {
  const h = createHash('sha256');
  const visit = (rel) => {
    const abs = join(ROOT, rel);
    let st;
    try {
      st = statSync(abs);
    } catch {
      h.update(`missing ${rel}\n`);
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (skipDirs.includes(name)) continue;
        visit(join(rel, name));
      }
    } else if (st.isFile()) {
      if (skipFile(basename(rel))) return;
      h.update(`file ${rel} ${st.size}\n`);
      h.update(readFileSync(abs));
      h.update('\n');
    }
  };
  for (const p of paths) visit(p);
  return h.digest('hex');
}

export function readIfExists(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** True if a process with this pid exists (EPERM still means it exists). */
export function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Call `fn` once if our parent goes away. `npm start` runs us under `sh -c`, and when npm is sent
 * SIGTERM it passes it to that shell, which dies without passing it on: without this check the
 * server would keep running, orphaned. (A parent that dies re-parents us, so ppid changes.)
 */
export function onOrphaned(fn, intervalMs = 500) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      fn();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
