/**
 * Integration-test harness: a real agent (real bwrap, cgroups, seccomp) on a private socket,
 * with its own cgroup parent and id ranges so it never touches a running server's sandboxes,
 * and small clients for the two channel kinds.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { decodeServerFrame, encodeClientFrame } from '../../protocol/frames';
import { parseControl, ServerControl } from '../../protocol/messages';
import { AgentClient } from '../../server/agent-client';
import type { Agent } from '../src/agent';
import { startPrivateAgent } from '../src/private-agent';
import { loadAgentConfig } from '../src/config';

/** Why the integration layer cannot run here, or null when it can. */
export function cannotRun(): string | null {
  if (process.platform !== 'linux') return 'integration tests need Linux';
  if (process.getuid?.() !== 0) return 'integration tests need root (they create cgroups and user namespaces)';
  const cfg = loadAgentConfig();
  if (!existsSync(cfg.rootfs)) return `sandbox root filesystem ${cfg.rootfs} is missing (npm test builds it)`;
  if (!existsSync(cfg.labsbx)) return 'native helpers are not built (npm test builds them)';
  return null;
}

export interface Harness {
  agent: Agent;
  client: AgentClient;
  /** The agent's shared secret, for tests that open clients of their own. */
  token: string;
  stop(): Promise<void>;
}

export async function startHarness(env?: Record<string, string>): Promise<Harness> {
  // Far from the server's ids (3,000,000 / 1,000,000,000) and the CLI's.
  const { agent, token } = await startPrivateAgent({ purpose: 'test', slots: 16, uidBase: 5_000_000, subidBase: 2_000_000_000, env });
  return { agent, token, client: new AgentClient('test', agent.socketPath, token), stop: () => agent.close() };
}

export function newId(): string {
  return `t${randomBytes(9).toString('base64url')}`;
}

export interface RunResult {
  code: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
}

/** Input frames stay far below MAX_FRAME_BYTES (64 KiB including the header). */
const STDIN_CHUNK = 32 * 1024;

/**
 * Run argv in session `id` (created if needed) and collect its output and status. With `stdin`,
 * those bytes are sent once the agent says ready, then EOF (how a binary built on the host gets
 * into a sandbox: through the channel `lab run` uses, and nothing else); without, just EOF.
 */
export function run(
  client: AgentClient,
  id: string,
  argv: string[],
  opts: { disposeOnClose?: boolean; stdin?: Uint8Array } = {},
): Promise<RunResult> {
  const ws = client.open({ session: { id, create: true, disposeOnClose: opts.disposeOnClose ?? false }, channel: { kind: 'run', argv, tty: false } });
  return new Promise((resolve, reject) => {
    const r: RunResult = { code: null, signal: null, stdout: '', stderr: '' };
    ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') r.stdout += Buffer.from(f.data).toString();
      else if (f.op === 'stderr') r.stderr += Buffer.from(f.data).toString();
      else {
        const m = parseControl(ServerControl, f.json);
        if (m.ok && m.value.type === 'ready') {
          const stdin = opts.stdin ?? new Uint8Array(0);
          for (let off = 0; off < stdin.length; off += STDIN_CHUNK) ws.send(encodeClientFrame({ op: 'input', data: stdin.subarray(off, off + STDIN_CHUNK) }));
          ws.send(encodeClientFrame({ op: 'eof' }));
        }
        if (m.ok && m.value.type === 'exit') {
          r.code = m.value.code;
          r.signal = m.value.signal;
        }
      }
    });
    ws.on('close', (code, reason) => (code === 1000 ? resolve(r) : reject(new Error(`run closed ${code}: ${reason}`))));
    ws.on('error', reject);
  });
}

export { TermClient } from '../../server/terminal-driver';
