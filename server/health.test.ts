/**
 * The web tier's operator endpoints on a plain HTTP server (no agent, no root): health and
 * readiness answers, and the /metrics token rule applied to real requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpsHandler, type OpsDeps } from './health';
import { webMetrics } from './metrics';

const TOKEN = 't'.repeat(20);

describe('web operator endpoints', () => {
  let server: Server;
  let base: string;
  let notReady: string | null = null;
  /** One server, several configurations: the path's first segment picks one. */
  const handlers: Record<string, ReturnType<typeof createOpsHandler>> = {};
  const make = (name: string, d: Partial<OpsDeps>) =>
    (handlers[name] = createOpsHandler({ host: '127.0.0.1', metricsToken: undefined, ready: async () => notReady, ...d }));

  beforeAll(async () => {
    make('loopback', {});
    make('public', { host: '0.0.0.0' });
    make('public-token', { host: '0.0.0.0', metricsToken: TOKEN });
    server = createServer((req, res) => {
      const [, which = '', ...rest] = (req.url ?? '').split('/');
      req.url = `/${rest.join('/')}`;
      const handle = handlers[which];
      if (!handle || !handle(req, res)) res.writeHead(404).end('next.js would answer');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('/healthz answers 200 {"status":"ok"}', async () => {
    const r = await fetch(`${base}/loopback/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('/readyz says ready, or 503 with the reason', async () => {
    notReady = null;
    let r = await fetch(`${base}/loopback/readyz`);
    expect([r.status, await r.json()]).toEqual([200, { status: 'ready' }]);
    notReady = 'the sandbox agent "local" does not answer on its socket';
    r = await fetch(`${base}/loopback/readyz`);
    expect([r.status, await r.json()]).toEqual([503, { status: 'not ready', reason: notReady }]);
    notReady = null;
  });

  it('leaves every other path to the next handler, and refuses other methods', async () => {
    expect((await fetch(`${base}/loopback/lessons`)).status).toBe(404);
    const r = await fetch(`${base}/loopback/healthz`, { method: 'POST' });
    expect(r.status).toBe(405);
  });

  it('/metrics is open on loopback and speaks the Prometheus text format', async () => {
    const r = await fetch(`${base}/loopback/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    expect(text).toMatch(/^# HELP lab_web_terminals_open /m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('/metrics beyond loopback without LAB_METRICS_TOKEN: 403 saying how to set it', async () => {
    const r = await fetch(`${base}/public/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(403);
    expect(await r.text()).toMatch(/Set LAB_METRICS_TOKEN/);
    // Health stays open: probes carry no secret.
    expect((await fetch(`${base}/public/healthz`)).status).toBe(200);
  });

  it('/metrics beyond loopback with a token: 401 without it, 200 with it', async () => {
    const none = await fetch(`${base}/public-token/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${base}/public-token/metrics`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status).toBe(401);
    const ok = await fetch(`${base}/public-token/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('lab_web_errors_total');
  });

  it('names every metric of ours lab_web_*, each with help', async () => {
    const ours = (await webMetrics.registry.getMetricsAsJSON()).filter((m) => !/^(process|nodejs)_/.test(m.name));
    expect(ours.length).toBeGreaterThan(5);
    for (const m of ours) {
      expect(m.name).toMatch(/^lab_web_[a-z_]+$/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });
});
