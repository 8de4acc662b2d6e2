/**
 * Start the baseline echo server (echo-server.ts) as its own process, as the product's server
 * is one, and stop it. Used by the echo and flood figures.
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'echo-server.ts');

export interface BaselineServer {
  /** ws:// URL to give GatewayClient. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startBaselineEchoServer(timeoutMs = 30_000): Promise<BaselineServer> {
  const child = fork(SERVER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the baseline echo server did not start'));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the baseline echo server exited (status ${code})`));
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
