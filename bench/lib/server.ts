/**
 * The one bench server of a run, started exactly like the end-to-end one (playwright.config.ts):
 * `node --import tsx server/main.ts` with its own port, data directory, cgroup parent and id
 * ranges, so its start-up sweep never touches the sandboxes of a server already running here.
 * Stopped with SIGTERM: the web tier then stops its agent, which disposes every sandbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerSettings {
  port: number;
  /** Relative to the repository root. */
  dataDir: string;
  cgroupParent: string;
  uidBase: number;
  subidBase: number;
  maxSandboxes: number;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** Extra node options for the web tier (e.g. --cpu-prof when looking into a figure). */
  nodeArgs?: string[];
}

/** The settings bench/run.ts uses (the brief's table). */
export const BENCH_SERVER: ServerSettings = {
  port: 3200,
  dataDir: '.lab/bench',
  cgroupParent: 'container-lab-bench',
  uidBase: 7_000_000,
  subidBase: 1_800_000_000,
  maxSandboxes: 400,
  logFile: join(ROOT, 'bench', 'results', 'server.log'),
};

export interface BenchServer {
  baseUrl: string;
  pid: number;
  agentSocket: string;
  agentToken: string;
  process: ChildProcess;
  /** SIGTERM, then wait (SIGKILL after `graceMs`). Resolves with how it ended. */
  stop(graceMs?: number): Promise<string>;
}

/** Why the bench server cannot start here, or null. */
export function cannotStart(): string | null {
  if (process.platform !== 'linux') return 'the benchmarks need Linux';
  if (process.getuid?.() !== 0) return 'the benchmarks need root (the server starts a sandbox agent, as `npm start` does)';
  if (!existsSync(join(ROOT, '.next', 'BUILD_ID'))) return 'the web build is missing: run `npm run build` (or `npm start` once) first';
  if (!existsSync(join(ROOT, 'sandbox-agent', 'native', 'build', 'labsbx'))) return 'the native helpers are not built: run `npm run build` first';
  return null;
}

function probe(url: string): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(0));
    req.end();
  });
}

export async function startBenchServer(s: ServerSettings = BENCH_SERVER, timeoutMs = 120_000): Promise<BenchServer> {
  const baseUrl = `http://127.0.0.1:${s.port}`;
  // Another server answering there would be measured instead of ours.
  if ((await probe(`${baseUrl}/`)) !== 0) throw new Error(`port ${s.port} is already in use: stop whatever listens there (another bench run?)`);
  const agentToken = randomBytes(24).toString('hex');
  mkdirSync(dirname(s.logFile), { recursive: true });
  const log = createWriteStream(s.logFile, { flags: 'w' });
  const child = spawn(process.execPath, [...(s.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(s.port),
      HOST: '127.0.0.1',
      LAB_DATA_DIR: s.dataDir,
      LAB_AGENT_TOKEN: agentToken,
      LAB_CGROUP_PARENT: s.cgroupParent,
      LAB_UID_BASE: String(s.uidBase),
      LAB_SUBID_BASE: String(s.subidBase),
      LAB_MAX_SANDBOXES: String(s.maxSandboxes),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<string>((r) => child.once('exit', (code, signal) => r(signal ?? `status ${code}`)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the bench server exited during start-up (${await exited}); see ${s.logFile}`);
    }
    // The web tier's own API (not a Next page: a stale page build must not stop the benchmarks).
    if ((await probe(`${baseUrl}/api/progress`)) === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bench server did not answer on ${baseUrl} within ${timeoutMs / 1000} s; see ${s.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    pid: child.pid!,
    agentSocket: resolve(ROOT, s.dataDir, 'agent.sock'),
    agentToken,
    process: child,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      log.end();
      return how;
    },
  };
}
