/**
 * The web tier's operator endpoints, answered before Next.js and before any learner cookie:
 *   GET /healthz   the process is up and serving: 200 {"status":"ok"}
 *   GET /readyz    it can serve learners: the database is open and the agent answers a probe;
 *                  200 {"status":"ready"}, or 503 {"status":"not ready","reason":"…"}
 *   GET /metrics   Prometheus text (server/metrics.ts), guarded by server/metrics-access.ts
 * Health endpoints are open: they say nothing but up/down, and probes (a load balancer, a
 * Kubernetes kubelet) cannot easily carry a secret.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentRegistry } from './agent-client';
import type { Store } from './db/store';
import { metricsAccess } from './metrics-access';
import { webMetrics } from './metrics';

export interface OpsDeps {
  /** The address the web tier listens on (decides whether /metrics needs the token). */
  host: string;
  metricsToken: string | undefined;
  /** null when ready, else the reason it is not. */
  ready(): Promise<string | null>;
}

/** How long the readiness probe waits for the agent to answer. */
const PROBE_MS = 1000;

/** Readiness of a web tier: not stopping, database open, the agent answering on its socket. */
export function webReadiness(deps: { store: Store; agents: AgentRegistry; stopping?: () => boolean }): () => Promise<string | null> {
  return async () => {
    if (deps.stopping?.()) return 'the server is shutting down';
    try {
      // A read that touches the database; better-sqlite3 throws once the connection is closed.
      deps.store.activeSession('');
    } catch (e) {
      return `the database is not usable: ${(e as Error).message}`;
    }
    let agent;
    try {
      agent = deps.agents.pick();
    } catch (e) {
      return (e as Error).message;
    }
    if (!(await agent.probe(PROBE_MS))) return `the sandbox agent "${agent.name}" does not answer on its socket`;
    return null;
  };
}

function json(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** A handler that answers the three paths and returns true, or returns false for anything else. */
export function createOpsHandler(deps: OpsDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  webMetrics.enableDefaults();
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return false;
    const route = path === '/metrics' ? 'metrics' : 'health';
    res.once('finish', () => webMetrics.httpRequests.inc({ route, status: String(res.statusCode) }));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      json(res, 405, { error: 'use GET' });
      return true;
    }
    req.resume();
    if (path === '/healthz') {
      json(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      deps.ready().then(
        (reason) => (reason === null ? json(res, 200, { status: 'ready' }) : json(res, 503, { status: 'not ready', reason })),
        (e: Error) => json(res, 503, { status: 'not ready', reason: e.message }),
      );
    } else {
      const access = metricsAccess({ host: deps.host, token: deps.metricsToken }, req.headers.authorization);
      if (!access.ok) {
        if (access.status === 401) res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        res.writeHead(access.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${access.message}\n`);
        return true;
      }
      webMetrics.render().then(
        (m) => res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store' }).end(m.body),
        (e: Error) => json(res, 500, { error: `could not collect metrics: ${e.message}` }),
      );
    }
    return true;
  };
}
