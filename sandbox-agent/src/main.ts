/**
 * The sandbox agent's supervisor: a small root process that keeps one agent worker (worker.ts)
 * running. If the worker dies (a crash, `kill -9`), the supervisor starts a new one on the same
 * socket with the same token; the new worker sweeps the dead one's sandboxes, and browsers,
 * which saw their connections drop and kept retrying, get fresh sandboxes. The web tier has
 * dropped root, so it could not restart a root process itself; this one can.
 * Stops (and stops the worker) on SIGINT/SIGTERM or when its parent's IPC channel closes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from './log';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');
/** More than this many worker deaths within RESTART_WINDOW_MS is a crash loop: give up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

const log = createLogger({ component: 'agent' }, { process: 'supervisor' });
let worker: ChildProcess | undefined;
let stopping = false;
let listenedOnce = false;
const deaths: number[] = [];

function start(): void {
  const w = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  worker = w;
  w.on('message', (m: unknown) => {
    if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'listening') return;
    if (listenedOnce) log.info(`worker restarted (pid ${w.pid})`);
    listenedOnce = true;
    process.send?.(m);
  });
  w.once('exit', (code, signal) => {
    if (stopping) return process.exit(0);
    if (!listenedOnce) {
      // It never came up: a configuration error, not a crash. Its message is above.
      process.exit(code ?? 1);
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - RESTART_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_RESTARTS) {
      log.error(`the worker died ${deaths.length} times within a minute; giving up`);
      process.exit(1);
    }
    log.warn(`worker ${w.pid} died (${signal ?? `status ${code}`}); starting a new one`);
    setTimeout(start, 200 * deaths.length);
  });
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  if (!worker || worker.exitCode !== null || worker.signalCode !== null) process.exit(0);
  worker.kill('SIGTERM');
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Embedded mode: when the web tier goes away, so do we.
process.on('disconnect', stop);
start();
