/**
 * Start the baseline servers as processes of their own, as the product's are, and stop them:
 * the echo server (echo-server.ts), and the relay (relay-server.ts) that puts a second process
 * in front of it. Used by the echo and flood figures.
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayClient } from '../lib/gateway-client';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BaselineServer {
  /** ws:// URL to give GatewayClient. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startBaselineEchoServer(): Promise<BaselineServer> {
  return startServerProcess('echo-server.ts', []);
}

/** A bare relay process in front of `upstream` (a baseline echo server's URL). */
export function startBaselineRelay(upstream: string): Promise<BaselineServer> {
  return startServerProcess('relay-server.ts', [upstream]);
}

function startServerProcess(file: string, args: string[], timeoutMs = 30_000): Promise<BaselineServer> {
  const child = fork(join(HERE, file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the baseline ${file} did not start`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the baseline ${file} exited (status ${code})`));
    });
    child.on('message', (m: unknown) => {
      const port = typeof m === 'object' && m !== null ? (m as { port?: unknown }).port : undefined;
      if (typeof port !== 'number') return;
      clearTimeout(timer);
      resolve({
        url: `ws://127.0.0.1:${port}/`,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => clearTimeout(kill));
            child.disconnect();
          }),
      });
    });
  });
}

/**
 * Run `use` on a shell of the bare baseline server, then on one through the bare relay in front
 * of it, each at its `baseline# ` prompt and closed afterwards; both servers are stopped however
 * it ends.
 */
export async function onBaselineShells<T>(use: (shell: GatewayClient, via: 'bare' | 'relay') => Promise<T>): Promise<{ bare: T; relay: T }> {
  const server = await startBaselineEchoServer();
  try {
    const bare = await onShell(server.url, (c) => use(c, 'bare'));
    const relayServer = await startBaselineRelay(server.url);
    try {
      return { bare, relay: await onShell(relayServer.url, (c) => use(c, 'relay')) };
    } finally {
      await relayServer.stop();
    }
  } finally {
    await server.stop();
  }
}

async function onShell<T>(url: string, use: (shell: GatewayClient) => Promise<T>): Promise<T> {
  const c = new GatewayClient({ url });
  await c.opened();
  await c.waitFor(/baseline# $/, { fromSeq: 0 });
  const result = await use(c);
  await c.closeAndWait();
  return result;
}
