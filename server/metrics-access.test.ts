import { describe, expect, it } from 'vitest';
import { isLoopbackHost, metricsAccess } from './metrics-access';

const TOKEN = 'm'.repeat(24);

describe('isLoopbackHost', () => {
  it('knows the loopback addresses and nothing else', () => {
    for (const h of ['127.0.0.1', '::1', 'localhost', 'LOCALHOST', '[::1]', '127.1.2.3', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'lab.example.org', '128.0.0.1', '127.0.0.1.example.org']) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('metricsAccess', () => {
  it('is open on loopback, with or without a token configured', () => {
    expect(metricsAccess({ host: '127.0.0.1', token: undefined }, undefined)).toEqual({ ok: true });
    expect(metricsAccess({ host: 'localhost', token: TOKEN }, undefined)).toEqual({ ok: true });
    expect(metricsAccess({ host: '::1', token: undefined }, 'Bearer wrong')).toEqual({ ok: true });
  });

  it('beyond loopback without LAB_METRICS_TOKEN: 403 with a sentence saying how to set it', () => {
    const r = metricsAccess({ host: '0.0.0.0', token: undefined }, `Bearer ${TOKEN}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(403);
    expect(r.message).toMatch(/Set LAB_METRICS_TOKEN/);
    expect(r.message).toMatch(/Authorization: Bearer/);
  });

  it('beyond loopback with a token: only the right bearer token passes', () => {
    const cfg = { host: '0.0.0.0', token: TOKEN };
    expect(metricsAccess(cfg, `Bearer ${TOKEN}`)).toEqual({ ok: true });
    expect(metricsAccess(cfg, `bearer ${TOKEN}`)).toEqual({ ok: true });
    for (const header of [undefined, '', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN]) {
      const r = metricsAccess(cfg, header);
      expect(r).toMatchObject({ ok: false, status: 401 });
    }
  });
});
