/**
 * Talking to sandbox agents: the one module that knows where agents are and how to reach them.
 * Today one embedded agent on a unix socket; the registry is the seam for many agents on many
 * VMs later (DESIGN.md §1).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { encodeClientFrame } from '../protocol/frames';
import type { AgentHello } from '../protocol/messages';
import { AGENT_SUBPROTOCOL, PROTOCOL_VERSION } from '../protocol/version';

export type ChannelRequest = Omit<AgentHello, 'type' | 'v' | 'token'>;

/** Frames from the agent are bounded by the coalescing size; allow headroom. */
const AGENT_MAX_PAYLOAD = 1024 * 1024;

export class AgentClient {
  constructor(
    readonly name: string,
    private readonly socketPath: string,
    private readonly token: string,
  ) {}

  /** Open one channel; the hello (with the shared secret) is the first frame on open. */
  open(request: ChannelRequest): WebSocket {
    const ws = new WebSocket(`ws+unix://${this.socketPath}:/`, AGENT_SUBPROTOCOL, {
      perMessageDeflate: false,
      maxPayload: AGENT_MAX_PAYLOAD,
    });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => {
      const hello: AgentHello = { type: 'hello', v: PROTOCOL_VERSION, token: this.token, ...request };
      ws.send(encodeClientFrame({ op: 'control', json: JSON.stringify(hello) }));
    });
    return ws;
  }

  /** Dispose session `id`'s sandbox, telling its viewers `reason`. Resolves when it is gone. */
  dispose(id: string, reason: string): Promise<void> {
    const ws = this.open({ session: { id, create: false, disposeOnClose: false }, channel: { kind: 'dispose', reason } });
    return new Promise((resolvePromise, reject) => {
      ws.once('close', (code, why) => (code === 1000 ? resolvePromise() : reject(new Error(`agent refused to dispose ${id}: ${code} ${why}`))));
      ws.once('error', reject);
    });
  }

  /** True when an agent answers on the socket (used by the CLI to pick embedded or running). */
  probe(timeoutMs = 1000): Promise<boolean> {
    return new Promise((resolvePromise) => {
      const ws = new WebSocket(`ws+unix://${this.socketPath}:/`, AGENT_SUBPROTOCOL);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        resolvePromise(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      ws.once('open', () => done(true));
      ws.once('error', () => done(false));
    });
  }
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentClient>();

  add(agent: AgentClient): void {
    this.agents.set(agent.name, agent);
  }

  get(name: string): AgentClient | undefined {
    return this.agents.get(name);
  }

  /** Where a new session goes. One agent today; placement by load later. */
  pick(): AgentClient {
    const first = this.agents.values().next();
    if (first.done) throw new Error('no sandbox agent is registered');
    return first.value;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const AGENT_MAIN = resolve(here, '../sandbox-agent/src/main.ts');

/** Sessions in the database name their agent; one local agent keeps one name across restarts. */
export const LOCAL_AGENT = 'local';

export interface EmbeddedAgent {
  client: AgentClient;
  /** Our child process, when we started the agent ourselves. */
  process?: ChildProcess;
  stop(): Promise<void>;
}

/** An agent started by someone else (scripts/start.mjs): wait until it answers, up to a bound. */
export async function connectExternalAgent(socketPath: string, token: string, timeoutMs = 30_000): Promise<EmbeddedAgent> {
  const client = new AgentClient(LOCAL_AGENT, socketPath, token);
  const deadline = Date.now() + timeoutMs;
  while (!(await client.probe())) {
    if (Date.now() > deadline) throw new Error(`no sandbox agent answers on ${socketPath} (LAB_AGENT=external)`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { client, stop: async () => undefined };
}

/**
 * Start the agent as a child process (the privileged half) and wait until it listens.
 * `env` carries LAB_AGENT_TOKEN, LAB_AGENT_SOCKET, LAB_DATA_DIR, LAB_ROOTFS…
 */
export function startEmbeddedAgent(env: NodeJS.ProcessEnv, socketPath: string, token: string): Promise<EmbeddedAgent> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(AGENT_MAIN, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...env, LAB_AGENT_SOCKET: socketPath, LAB_AGENT_TOKEN: token },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const onExit = (code: number | null) => reject(new Error(`the sandbox agent exited during start-up (status ${code}); see its message above`));
    child.once('exit', onExit);
    child.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'listening') {
        child.off('exit', onExit);
        resolvePromise({
          client: new AgentClient(LOCAL_AGENT, socketPath, token),
          process: child,
          // The web tier may have dropped root by now and cannot signal the agent; closing the
          // IPC channel is what tells it to stop (sandbox-agent/src/main.ts).
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.disconnect();
            }),
        });
      }
    });
  });
}
