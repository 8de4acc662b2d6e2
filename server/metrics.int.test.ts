/**
 * The web tier's operator endpoints and logs against a real agent, wired as server/main.ts wires
 * them (operator endpoints, then /api, then Next; /ws to the gateway): metrics move when a
 * learner connects, types and runs a check; /readyz follows the database and the agent; /metrics
 * is refused beyond loopback without the token; every answer and log line carries a request id.
 * Compares before with after, never timings.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, startHarness, type Harness } from '../sandbox-agent/test/harness';
import { AgentClient, AgentRegistry } from './agent-client';
import { createApi } from './api';
import { openSqliteStore } from './db/sqlite';
import type { Store } from './db/store';
import { createGateway, type Gateway } from './gateway';
import { createOpsHandler, webReadiness } from './health';
import { COOKIE } from './identity';
import { LessonSetups } from './lesson-setup';
import { createLogger, requestIdOf } from './log';
import { parseMetrics, sample } from './metrics-text';
import { Browser, newToken } from './test/browser-client';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const TOKEN = 'w'.repeat(24);

/** One lesson whose one check passes once /tmp/done exists. */
async function writeLesson(root: string): Promise<void> {
  const dir = path.join(root, '01-metered');
  await mkdir(path.join(dir, 'checks'), { recursive: true });
  const manifest = {
    slug: 'metered',
    order: 1,
    title: { en: 'Metered', zh: 'Metered' },
    summary: { en: 'A test lesson.', zh: '测试课。' },
    steps: [{ id: 'done', title: { en: 'Done', zh: 'Done' }, body: { en: 's.md', zh: 's.md' }, check: 'checks/done.sh', hint: { en: 'touch.', zh: 'touch。' }, solution: [{ run: 'touch /tmp/done' }] }],
  };
  await writeFile(path.join(dir, 'lesson.json'), JSON.stringify(manifest));
  await writeFile(path.join(dir, 's.md'), 'Touch it.\n\n```sh run\ntouch /tmp/done\n```\n');
  await writeFile(path.join(dir, 'checks', 'done.sh'), "test -e /tmp/done || fail 'No /tmp/done yet.'\n");
}

describe.skipIf(reason !== null)('web tier metrics, health and logs (real agent)', () => {
  let h: Harness;
  let store: Store;
  let gateway: Gateway;
  let server: Server;
  let port: number;
  let base: string;
  let lessonsRoot: string;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    h = await startHarness();
    lessonsRoot = await mkdtemp(path.join(tmpdir(), 'metrics-lessons-'));
    await writeLesson(lessonsRoot);
    store = openSqliteStore(':memory:');
    const agents = new AgentRegistry();
    agents.add(new AgentClient('test', h.agent.socketPath, h.token));
    const log = createLogger({ component: 'web', text: false, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    gateway = createGateway({ store, agents, log });
    const api = createApi({ store, agents, setups: new LessonSetups(), log, lessonsRoot });
    // The second store and registries exist to be broken: readiness must notice.
    const closedStore = openSqliteStore(':memory:');
    closedStore.close();
    const noAgent = new AgentRegistry();
    noAgent.add(new AgentClient('gone', path.join(lessonsRoot, 'no-agent.sock'), h.token));
    const ops: Record<string, (req: IncomingMessage, res: ServerResponse) => boolean> = {
      '': createOpsHandler({ host: '127.0.0.1', metricsToken: undefined, ready: webReadiness({ store, agents }) }),
      // The same server, configured as if HOST were 0.0.0.0: the token rule on a real request.
      public: createOpsHandler({ host: '0.0.0.0', metricsToken: undefined, ready: webReadiness({ store, agents }) }),
      'public-token': createOpsHandler({ host: '0.0.0.0', metricsToken: TOKEN, ready: webReadiness({ store, agents }) }),
      'closed-db': createOpsHandler({ host: '127.0.0.1', metricsToken: undefined, ready: webReadiness({ store: closedStore, agents }) }),
      'no-agent': createOpsHandler({ host: '127.0.0.1', metricsToken: undefined, ready: webReadiness({ store, agents: noAgent }) }),
    };
    server = createServer((req, res) => {
      res.setHeader('x-request-id', requestIdOf(req));
      const m = /^\/(public-token|public|closed-db|no-agent)(\/.*)$/.exec(req.url ?? '');
      if (m) req.url = m[2];
      if (ops[m?.[1] ?? '']!(req, res)) return;
      if (!api(req, res)) res.writeHead(404).end();
    });
    server.on('upgrade', (req, s, head) => gateway.handleUpgrade(req, s, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    gateway?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    store?.close();
    await h?.stop();
    if (lessonsRoot) await rm(lessonsRoot, { recursive: true, force: true });
  });

  const scrape = async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(200);
    return parseMetrics(await r.text());
  };

  it('answers /healthz and /readyz, with a request id on every answer', async () => {
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('/readyz is 503 with the reason when the database is closed or the agent does not answer', async () => {
    const db = await fetch(`${base}/closed-db/readyz`);
    expect(db.status).toBe(503);
    expect(((await db.json()) as { reason: string }).reason).toMatch(/^the database is not usable/);
    const agent = await fetch(`${base}/no-agent/readyz`);
    expect(agent.status).toBe(503);
    expect(await agent.json()).toEqual({ status: 'not ready', reason: 'the sandbox agent "gone" does not answer on its socket' });
  });

  it('/metrics beyond loopback: 403 without LAB_METRICS_TOKEN, 401 without the header, 200 with it', async () => {
    const refused = await fetch(`${base}/public/metrics`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/LAB_METRICS_TOKEN is not set.*Set LAB_METRICS_TOKEN/);
    expect((await fetch(`${base}/public-token/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/public-token/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^lab_web_terminals_open /m);
  });

  it('counts a learner connecting, typing and running a check, and logs it with session and request ids', async () => {
    const before = await scrape();
    const cookie = newToken();
    const b = new Browser(port, { token: cookie });
    let upgradeId: string | undefined;
    b.ws.on('upgrade', (res) => (upgradeId = res.headers['x-request-id'] as string | undefined));
    const ready = await b.opened();
    expect(upgradeId).toMatch(/^[0-9a-f]{16}$/);
    expect(await b.command('touch /tmp/done && echo made-$((6 * 7))')).toContain('made-42');
    const check = await fetch(`${base}/api/check`, {
      method: 'POST',
      headers: { Cookie: `${COOKIE}=${cookie}`, Origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ lesson: 'metered', step: 'done' }),
    });
    expect(await check.json()).toEqual({ passed: true, message: 'Passed' });
    const checkId = check.headers.get('x-request-id');

    const during = await scrape();
    expect(sample(during, 'lab_web_terminals_open')).toBe(sample(before, 'lab_web_terminals_open') + 1);
    expect(sample(during, 'lab_web_sessions', { agent: 'test' })).toBe(sample(before, 'lab_web_sessions', { agent: 'test' }) + 1);
    expect(sample(during, 'lab_web_sessions_created_total', { agent: 'test' })).toBe(sample(before, 'lab_web_sessions_created_total', { agent: 'test' }) + 1);
    for (const direction of ['in', 'out']) {
      expect(sample(during, 'lab_web_gateway_bytes_total', { direction })).toBeGreaterThan(sample(before, 'lab_web_gateway_bytes_total', { direction }));
    }
    expect(sample(during, 'lab_web_check_duration_seconds_count')).toBe(sample(before, 'lab_web_check_duration_seconds_count') + 1);
    expect(sample(during, 'lab_web_checks_total', { result: 'passed' })).toBe(sample(before, 'lab_web_checks_total', { result: 'passed' }) + 1);
    expect(sample(during, 'lab_web_http_requests_total', { route: 'metrics', status: '200' })).toBeGreaterThan(0);

    // The log says which connection and which check, by request and by session.
    const connected = lines.find((l) => l.msg === 'terminal 1 connected (new sandbox)' && l.session === ready.session);
    expect(connected).toMatchObject({ level: 'info', component: 'web', request: upgradeId });
    expect(lines.find((l) => l.msg === 'check metered/done passed')).toMatchObject({ session: ready.session, request: checkId });

    b.close();
    await b.closedWith();
    await expect.poll(async () => sample(await scrape(), 'lab_web_terminals_open')).toBe(sample(before, 'lab_web_terminals_open'));
    expect(sample(await scrape(), 'lab_web_sessions', { agent: 'test' })).toBe(sample(before, 'lab_web_sessions', { agent: 'test' }));
    await h.client.dispose(ready.session, 'test over');
  });

  it('refuses a handshake without a cookie, counted, with the request id in the refusal', async () => {
    const before = sample(await scrape(), 'lab_web_errors_total', { kind: 'upgrade_refused' });
    const b = new Browser(port, {});
    let refusalId: string | undefined;
    b.ws.on('unexpected-response', (_req, res) => (refusalId = res.headers['x-request-id'] as string | undefined));
    await b.closedWith();
    expect(b.httpStatus).toBe(401);
    expect(refusalId).toMatch(/^[0-9a-f]{16}$/);
    expect(lines.find((l) => l.msg === '/ws upgrade refused: 401 Unauthorized')).toMatchObject({ request: refusalId });
    expect(sample(await scrape(), 'lab_web_errors_total', { kind: 'upgrade_refused' })).toBe(before + 1);
  });
});
