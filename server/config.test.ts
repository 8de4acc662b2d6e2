import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWebConfig } from './config';

/** Next.js types make NODE_ENV required in ProcessEnv; these tests pass partial environments. */
const load = (env: Record<string, string | undefined>) => loadWebConfig(env as NodeJS.ProcessEnv);

const token = 'x'.repeat(16);

describe('loadWebConfig', () => {
  it('has defaults for everything but the agent token', () => {
    const c = load({ LAB_AGENT_TOKEN: token });
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('.lab'),
      agentSocket: resolve('.lab', 'agent.sock'),
      agentToken: token,
      dev: false,
    });
    // The database lives inside the data directory by default.
    expect(c.dbPath.startsWith(`${resolve('.lab')}/`)).toBe(true);
    expect(c.dbPath.endsWith('/lab.db')).toBe(true);
  });

  it('honours PORT, HOST, the data directory, explicit paths and NODE_ENV', () => {
    const c = load({
      LAB_AGENT_TOKEN: token,
      PORT: '8080',
      HOST: '127.0.0.1',
      LAB_DATA_DIR: '/var/lib/lab',
      NODE_ENV: 'development',
    });
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('/var/lib/lab');
    expect(c.dbPath.startsWith('/var/lib/lab/')).toBe(true);
    expect(c.agentSocket).toBe(join('/var/lib/lab', 'agent.sock'));
    expect(c.dev).toBe(true);
    const d = load({ LAB_AGENT_TOKEN: token, LAB_DB: '/tmp/x.db', LAB_AGENT_SOCKET: '/run/a.sock', PORT: '1' });
    expect(d.port).toBe(1);
    expect(load({ LAB_AGENT_TOKEN: token, PORT: '65535' }).port).toBe(65535);
    expect(d.dbPath).toBe('/tmp/x.db');
    expect(d.agentSocket).toBe('/run/a.sock');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '0' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '80.5' }],
    ['HOST', { HOST: '' }],
  ])('names %s when its value is bad', (name, env) => {
    expect(() => load({ LAB_AGENT_TOKEN: token, ...env })).toThrow(new RegExp(`^bad setting ${name}: `));
  });

  it('names LAB_AGENT_TOKEN when it is missing or too short', () => {
    expect(() => load({})).toThrow(/bad setting LAB_AGENT_TOKEN/);
    expect(() => load({ LAB_AGENT_TOKEN: 'short' })).toThrow(/bad setting LAB_AGENT_TOKEN: LAB_AGENT_TOKEN must be at least 16 characters/);
  });

  it('takes LAB_METRICS_TOKEN (unset by default) and refuses a short one', () => {
    expect(load({ LAB_AGENT_TOKEN: token }).metricsToken).toBeUndefined();
    expect(load({ LAB_AGENT_TOKEN: token, LAB_METRICS_TOKEN: 'm'.repeat(16) }).metricsToken).toBe('m'.repeat(16));
    expect(() => load({ LAB_AGENT_TOKEN: token, LAB_METRICS_TOKEN: 'short' })).toThrow(/^bad setting LAB_METRICS_TOKEN: LAB_METRICS_TOKEN must be at least 16 characters/);
  });
});
