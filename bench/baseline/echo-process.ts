/**
 * Start the baseline servers as processes of their own, as the product's are, and stop them:
 * the echo server (echo-server.ts), and the relay (relay-server.ts) that puts a second process
 * in front of it. Used by the echo and flood figures.
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
