/**
 * The web tier's HTTP actions against a real agent: checks run in the learner's own sandbox and
 * record progress; bad requests get clear refusals and change nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, startHarness, type Harness } from '../sandbox-agent/test/harness';
import { AgentClient, AgentRegistry } from './agent-client';
import { createApi } from './api';
import { LessonSetups } from './lesson-setup';
import { openSqliteStore } from './db/sqlite';
import type { Store } from './db/store';
import { learnerId } from './identity';
import { newToken } from './test/browser-client';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('HTTP API (real agent)', () => {
  let h: Harness;
  let store: Store;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    h = await startHarness();
    store = openSqliteStore(':memory:');
    const agents = new AgentRegistry();
    agents.add(new AgentClient('test', h.agent.socketPath, h.token));
    const api = createApi({ store, agents, setups: new LessonSetups(), log: () => undefined });
    server = createServer((req, res) => {
      if (!api(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    store?.close();
    await h?.stop();
  });

  const post = (path: string, cookie: string, body: unknown, origin = base) =>
    fetch(base + path, { method: 'POST', headers: { Cookie: `lab_learner=${cookie}`, Origin: origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('runs a step check in the learner’s own sandbox, reports why it fails, and records a pass', async () => {
    const cookie = newToken();
    const learner = learnerId(cookie);
    // No sandbox yet: a clear 409, nothing recorded.
    let r = await post('/api/check', cookie, { lesson: 'pid-namespaces', step: 'new-pid-namespace' });
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: string }).error).toMatch(/open a terminal first/);

    // Give the learner a sandbox (the gateway does this when a terminal connects).
    store.touchLearner(learner);
    const row = store.createSession({ id: 'apitest-session-1', learnerId: learner, agent: 'test' });
    await h.agent.sessions.getOrCreate(row.id, (await import('../protocol/profile')).DEFAULT_PROFILE);

    r = await post('/api/check', cookie, { lesson: 'pid-namespaces', step: 'new-pid-namespace' });
    expect(r.status).toBe(200);
    const failed = (await r.json()) as { passed: boolean; message: string };
    expect(failed.passed).toBe(false);
    expect(failed.message).toMatch(/unshare --fork --pid --mount-proc bash/);

    // Do the step the way a learner would, in their sandbox, then check again.
    const { TermClient } = await import('../sandbox-agent/test/harness');
    const t = new TermClient(h.client, row.id);
    await t.command('unshare --fork --pid --mount-proc bash');
    r = await post('/api/check', cookie, { lesson: 'pid-namespaces', step: 'new-pid-namespace' });
    expect(await r.json()).toEqual({ passed: true, message: 'Passed' });

    const progress = await fetch(`${base}/api/progress`, { headers: { Cookie: `lab_learner=${cookie}` } });
    expect(await progress.json()).toEqual({ passed: { 'pid-namespaces': ['new-pid-namespace'] } });
    // Another learner's progress is their own.
    const other = await fetch(`${base}/api/progress`, { headers: { Cookie: `lab_learner=${newToken()}` } });
    expect(await other.json()).toEqual({ passed: {} });
    t.close();
    await h.agent.sessions.get(row.id)!.dispose('test over');
  });

  it('refuses bad requests clearly', async () => {
    const cookie = newToken();
    expect((await post('/api/check', cookie, { lesson: 'pid-namespaces', step: 'new-pid-namespace' }, 'http://elsewhere.invalid')).status).toBe(403);
    expect((await post('/api/check', cookie, { lesson: 'no-such-lesson', step: 'x' })).status).toBe(404);
    expect((await post('/api/check', cookie, { lesson: 'pid-namespaces', step: 'look-around' })).status).toBe(404);
    expect((await post('/api/check', cookie, { lesson: '../etc', step: 'x' })).status).toBe(400);
    expect((await post('/api/check', cookie, 'x'.repeat(10_000))).status).toBe(400);
    expect((await fetch(`${base}/api/check`, { headers: { Cookie: `lab_learner=${cookie}` } })).status).toBe(405);
    expect((await fetch(`${base}/api/progress`)).status).toBe(401);
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
  });
});
