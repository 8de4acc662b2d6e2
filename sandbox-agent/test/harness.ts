/**
 * Integration-test harness: a real agent (real bwrap, cgroups, seccomp) on a private socket,
 * with its own cgroup parent and id ranges so it never touches a running server's sandboxes,
 * and small clients for the two channel kinds.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { WebSocket } from 'ws';
import { decodeServerFrame, encodeClientFrame } from '../../protocol/frames';
import { parseControl, ServerControl, type Ready } from '../../protocol/messages';
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

/** A terminal channel with helpers to type and wait for output, as a browser would. */
export class TermClient {
  readonly ws: WebSocket;
  text = '';
  /** Output bytes received (next expected sequence number). */
  received = 0;
  /** Acknowledge output as it arrives, as xterm.js does after parsing; off to simulate a stalled tab. */
  autoAck = true;
  ready: Ready | undefined;
  /** Notices the agent sent (limits hit, sandbox ending). */
  notices: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  constructor(client: AgentClient, id: string, terminal = '1', resumeFrom?: number) {
    this.ws = client.open({ session: { id, create: true, disposeOnClose: false }, channel: { kind: 'terminal', terminal, cols: 120, rows: 40, resumeFrom } });
    this.ws.on('message', (d: Buffer) => {
      const f = decodeServerFrame(d);
      if (f.op === 'output') {
        // Keep only the tail of a flood: tests match recent output.
        this.text = (this.text + Buffer.from(f.data).toString()).slice(-1_000_000);
        this.received = f.seq + f.data.length;
        if (this.autoAck) this.ack();
      } else if (f.op === 'control') {
        const m = parseControl(ServerControl, f.json);
        if (m.ok && m.value.type === 'ready') this.ready = m.value;
        if (m.ok && m.value.type === 'notice') this.notices.push(m.value.message);
      }
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  ack(): void {
    this.ws.send(encodeClientFrame({ op: 'ack', seq: this.received }));
  }

  type(s: string): void {
    this.ws.send(encodeClientFrame({ op: 'input', data: Buffer.from(s) }));
  }

  /** Resolve with the match once `re` matches the output (after `from`), or reject after a timeout. */
  async waitFor(re: RegExp, timeoutMs = 15_000, from = 0): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    await this.until(() => (m = re.exec(this.text.slice(from))) !== null, `${re}`, timeoutMs);
    return m!;
  }

  /** Resolve once the agent has said ready for this terminal. */
  opened(timeoutMs = 15_000): Promise<void> {
    return this.until(() => this.ready !== undefined, 'ready', timeoutMs);
  }

  /** Resolve once a notice matching `re` has arrived. */
  async waitForNotice(re: RegExp, timeoutMs = 15_000): Promise<string> {
    await this.until(() => this.notices.some((n) => re.test(n)), `notice ${re}`, timeoutMs);
    return this.notices.find((n) => re.test(n))!;
  }

  private async until(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (test()) return;
      if (this.closed) throw new Error(`terminal closed (${this.closed.code} ${this.closed.reason}) before ${what}; output:\n${this.text}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; output:\n${this.text}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Type a command and wait for a marker printed after it, returning what it printed. */
  async command(cmd: string): Promise<string> {
    await this.opened();
    const marker = `__done_${randomBytes(4).toString('hex')}__`;
    const from = this.text.length;
    this.type(`${cmd}\recho ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    const m = await this.waitFor(new RegExp(`${marker}\\r?\\n`), 15_000, from);
    // Without colours, bracket-paste toggles, carriage returns and the marker's own prompt line.
    return this.text
      .slice(from, from + m.index)
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => !l.includes('echo __done""'))
      .join('\n');
  }

  close(): void {
    this.ws.close(1000);
  }
}
