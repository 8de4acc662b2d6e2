/**
 * The web tier's own HTTP endpoints, answered before Next.js: actions on the learner's sandbox
 * that need the database and the agents (which live in this process, not in Next's bundles).
 *   POST /api/sandbox/reset   end the learner's sandbox now; the page reconnects to a fresh one
 * Same-origin only (the cookie would ride along on a cross-site form post).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentRegistry } from './agent-client';
import type { Store } from './db/store';
import { learnerId, readLearnerToken } from './identity';

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Same origin: an Origin header naming this host. Browsers send one on every POST. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createApi(deps: { store: Store; agents: AgentRegistry; log: (m: string) => void }) {
  return function handleApi(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (!path?.startsWith('/api/')) return false;
    if (path !== '/api/sandbox/reset') {
      reply(res, 404, { error: 'no such endpoint' });
      return true;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      reply(res, 405, { error: 'use POST' });
      return true;
    }
    if (!sameOrigin(req)) {
      reply(res, 403, { error: 'cross-origin request refused' });
      return true;
    }
    const token = readLearnerToken(req);
    if (!token) {
      reply(res, 401, { error: 'no learner cookie; reload the page' });
      return true;
    }
    // The request body is ignored; drain it so the connection can be reused.
    req.resume();
    const row = deps.store.activeSession(learnerId(token));
    if (!row) {
      reply(res, 200, { reset: false, message: 'You had no sandbox; a new one starts when a terminal connects.' });
      return true;
    }
    // End the row first: whatever happens at the agent, the next connection gets a new sandbox.
    deps.store.endSession(row.id, 'reset by the learner');
    const agent = deps.agents.get(row.agent);
    const done = agent ? agent.dispose(row.id, 'You reset your sandbox; a fresh one is starting.') : Promise.resolve();
    done.then(
      () => reply(res, 200, { reset: true }),
      (e: Error) => {
        deps.log(`reset of ${row.id}: ${e.message}`);
        reply(res, 200, { reset: true, message: 'Your old sandbox will be cleaned up shortly.' });
      },
    );
    return true;
  };
}
