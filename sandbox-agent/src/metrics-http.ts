/**
 * The agent's operator endpoints, on its unix socket (beside the WebSocket upgrade) and, with
 * LAB_AGENT_METRICS_PORT, on a 127.0.0.1 TCP port that serves nothing else:
 *   GET /healthz   the process is up: 200 {"status":"ok"}
 *   GET /readyz    it can start sandboxes: listening, and the cgroup hierarchies are still usable;
 *                  200 {"status":"ready"}, or 503 {"status":"not ready","reason":"…"}
 *   GET /metrics   Prometheus text (metrics.ts)
 * No token: the socket is mode 0600 (root and the web tier's user), and the TCP port is bound to
 * loopback only, so whoever can ask is already on this machine with access to it.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseMounts } from './isolation/cgroups-detect';
import { DELEGATED_CONTROLLERS } from './isolation/cgroups';
import { agentMetrics } from './metrics';

function json(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Answers the three paths and returns true, or returns false for anything else. */
export function createOpsHandler(ready: () => string | null): (req: IncomingMessage, res: ServerResponse) => boolean {
  agentMetrics.enableDefaults();
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      json(res, 405, { error: 'use GET' });
      return true;
    }
    req.resume();
    if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      const reason = ready();
      if (reason === null) json(res, 200, { status: 'ready' });
      else json(res, 503, { status: 'not ready', reason });
    } else {
      agentMetrics.render().then(
        (m) => res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' }).end(m.body),
        (e: Error) => json(res, 500, { error: `could not collect metrics: ${e.message}` }),
      );
    }
    return true;
  };
}

/** The loopback-only TCP listener: the three paths, 404 for anything else. */
export async function listenOps(port: number, handle: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    if (!handle(req, res)) json(res, 404, { error: 'only /metrics, /healthz and /readyz are served here' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * Whether new sandboxes can still get cgroups: the controllers are mounted where they were, and
 * our parent directory in each (v1) or the unified root (v2) is writable. null when usable.
 * Reads /proc/self/mounts (a few KiB) per call: fine at probe rates.
 */
export function cgroupsUsable(version: 'v1' | 'v2', parent: string, mountsText?: string): string | null {
  let mounts;
  try {
    mounts = parseMounts(mountsText ?? readFileSync('/proc/self/mounts', 'utf8'));
  } catch (e) {
    return `cannot read the mount table: ${(e as Error).message}`;
  }
  const dirs: string[] = [];
  if (version === 'v1') {
    for (const c of [...DELEGATED_CONTROLLERS, 'freezer']) {
      const m = mounts.find((x) => x.fstype === 'cgroup' && x.options.includes(c));
      if (!m) return `the ${c} cgroup controller is no longer mounted`;
      dirs.push(join(m.target, parent));
    }
  } else {
    const m = mounts.find((x) => x.fstype === 'cgroup2' && x.target === '/sys/fs/cgroup');
    if (!m) return 'the cgroup v2 hierarchy is no longer mounted at /sys/fs/cgroup';
    dirs.push(m.target);
  }
  for (const d of dirs) {
    try {
      accessSync(d, constants.W_OK);
    } catch (e) {
      return `cgroup directory ${d} is not usable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }
  return null;
}
