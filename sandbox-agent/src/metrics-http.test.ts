/**
 * The agent's operator endpoints on a plain HTTP server, and the cgroup readiness check over a
 * fake mount table (no root, no agent).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMetrics } from './metrics';
import { cgroupsUsable, createOpsHandler, listenOps } from './metrics-http';

describe('agent operator endpoints', () => {
  let server: Server;
  let base: string;
  let reason: string | null = null;

  beforeAll(async () => {
    server = await listenOps(0, createOpsHandler(() => reason));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('binds the TCP listener to loopback only', () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('answers /healthz, /readyz (503 with the reason) and /metrics, and 404 for anything else', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    reason = 'the memory cgroup controller is no longer mounted';
    const r = await fetch(`${base}/readyz`);
    expect([r.status, await r.json()]).toEqual([503, { status: 'not ready', reason }]);
    reason = null;
    const m = await fetch(`${base}/metrics`);
    expect(m.status).toBe(200);
    const text = await m.text();
    for (const name of ['lab_agent_sessions', 'lab_agent_sandbox_start_seconds', 'lab_agent_echo_seconds', 'lab_agent_bytes_total', 'lab_agent_pty_pauses_total', 'lab_agent_limit_hits_total', 'lab_agent_errors_total', 'process_resident_memory_bytes']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/ws`)).status).toBe(404);
  });

  it('names every metric of ours lab_agent_*, each with help', async () => {
    const ours = (await agentMetrics.registry.getMetricsAsJSON()).filter((m) => !/^(process|nodejs)_/.test(m.name));
    for (const m of ours) {
      expect(m.name).toMatch(/^lab_agent_[a-z_]+$/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });
});

describe('cgroupsUsable', () => {
  const root = mkdtempSync(join(tmpdir(), 'cg-ready-'));
  const v1 = ['memory', 'pids', 'cpu,cpuacct', 'freezer']
    .map((c) => `cgroup ${join(root, c.split(',')[0]!)} cgroup rw,nosuid,nodev,noexec,relatime,${c} 0 0`)
    .join('\n');

  it('v1: ready when every controller is mounted and has our parent directory', () => {
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) mkdirSync(join(root, c, 'lab'), { recursive: true });
    expect(cgroupsUsable('v1', 'lab', v1)).toBeNull();
  });

  it('v1: names the controller that is gone, or the parent directory that is missing', () => {
    expect(cgroupsUsable('v1', 'lab', v1.split('\n').slice(1).join('\n'))).toMatch(/memory cgroup controller is no longer mounted/);
    expect(cgroupsUsable('v1', 'other', v1)).toMatch(/cgroup directory .*other is not usable: ENOENT/);
  });

  it('v2: needs the unified hierarchy at /sys/fs/cgroup', () => {
    expect(cgroupsUsable('v2', 'lab', `cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0`)).toMatch(/no longer mounted/);
  });
});
