/**
 * The agent's operator endpoints on a real agent: health and readiness on the unix socket and on
 * the loopback TCP port (LAB_AGENT_METRICS_PORT), and metrics that move when a learner starts a
 * sandbox and types. Compares before with after, never timings.
 */
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/messages';
import { AgentClient } from '../../server/agent-client';
import { parseMetrics, sample } from '../../server/metrics-text';
import { cannotRun, newId, startHarness, TermClient, type Harness } from '../test/harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

type Target = { socketPath: string } | { host: string; port: number };

function get(target: Target, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(reason !== null)('agent metrics and health (real agent)', () => {
  let h: Harness;
  let socket: Target;
  let tcp: Target;

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({ LAB_AGENT_METRICS_PORT: String(port) });
    socket = { socketPath: h.agent.socketPath };
    tcp = { host: '127.0.0.1', port };
  });
  afterAll(async () => {
    await h?.stop();
  });

  const scrape = async (t: Target = socket) => {
    const r = await get(t, '/metrics');
    expect(r.status).toBe(200);
    return parseMetrics(r.body);
  };

  it('answers /healthz and /readyz on the socket and on the loopback port', async () => {
    for (const t of [socket, tcp]) {
      expect(await get(t, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
      expect(await get(t, '/readyz')).toEqual({ status: 200, body: '{"status":"ready"}' });
    }
  });

  it('serves nothing but those three on the TCP port, and still only WebSockets on the socket', async () => {
    expect((await get(tcp, '/')).status).toBe(404);
    expect((await get(socket, '/')).status).toBe(426);
  });

  it('counts a sandbox start, its terminal, the echo and the bytes of a learner typing', async () => {
    const before = await scrape();
    const id = newId();
    const t = new TermClient(h.client, id);
    await t.opened();
    expect(await t.command('echo typed-$((40 + 2))')).toContain('typed-42');

    const during = await scrape(tcp);
    expect(sample(during, 'lab_agent_sessions')).toBe(sample(before, 'lab_agent_sessions') + 1);
    expect(sample(during, 'lab_agent_sandboxes_started_total')).toBe(sample(before, 'lab_agent_sandboxes_started_total') + 1);
    expect(sample(during, 'lab_agent_sandbox_start_seconds_count')).toBe(sample(before, 'lab_agent_sandbox_start_seconds_count') + 1);
    expect(sample(during, 'lab_agent_sandbox_start_seconds_sum')).toBeGreaterThan(sample(before, 'lab_agent_sandbox_start_seconds_sum'));
    expect(sample(during, 'lab_agent_terminals_open')).toBe(sample(before, 'lab_agent_terminals_open') + 1);
    expect(sample(during, 'lab_agent_echo_seconds_count')).toBeGreaterThan(sample(before, 'lab_agent_echo_seconds_count'));
    expect(sample(during, 'lab_agent_bytes_total', { direction: 'in' })).toBeGreaterThan(sample(before, 'lab_agent_bytes_total', { direction: 'in' }));
    expect(sample(during, 'lab_agent_bytes_total', { direction: 'out' })).toBeGreaterThan(sample(before, 'lab_agent_bytes_total', { direction: 'out' }));
    expect(sample(during, 'lab_agent_channels_open')).toBeGreaterThanOrEqual(1);
    // A second tab on the same session is not a second start.
    const second = new TermClient(h.client, id, '2');
    await second.opened();
    expect(sample(await scrape(), 'lab_agent_sandbox_start_seconds_count')).toBe(sample(before, 'lab_agent_sandbox_start_seconds_count') + 1);

    t.close();
    second.close();
    await h.client.dispose(id, 'test over');
    const after = await scrape();
    expect(sample(after, 'lab_agent_sessions')).toBe(sample(before, 'lab_agent_sessions'));
    expect(sample(after, 'lab_agent_terminals_open')).toBe(sample(before, 'lab_agent_terminals_open'));
    expect(sample(after, 'lab_agent_errors_total', { kind: 'sandbox_exited' })).toBe(sample(before, 'lab_agent_errors_total', { kind: 'sandbox_exited' }));
  });

  it('counts a refused hello as an error of its kind', async () => {
    const before = sample(await scrape(), 'lab_agent_errors_total', { kind: 'unauthorized' });
    const intruder = new TermClient(new AgentClient('bad', h.agent.socketPath, 'not-the-token-at-all'), newId());
    expect((await intruder.closedWith()).code).toBe(CloseCode.UNAUTHORIZED);
    expect(sample(await scrape(), 'lab_agent_errors_total', { kind: 'unauthorized' })).toBe(before + 1);
  });
});
