/**
 * What the baseline servers (echo-server.ts, relay-server.ts) share: waiting for their
 * WebSocket server to listen, and running as a child process of echo-process.ts, which learns
 * the port over IPC and stops the child by disconnecting.
 */
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

export interface Listening {
  port: number;
  close(): void;
}

export function listening(wss: WebSocketServer): Promise<Listening> {
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () =>
      resolve({
        port: (wss.address() as AddressInfo).port,
        close: () => {
          for (const c of wss.clients) c.terminate();
          wss.close();
        },
      }),
    );
  });
}

/** As a child process: start, tell the parent the port, stop when the parent goes away. */
export async function serveAsChild(start: () => Promise<Listening>): Promise<void> {
  if (!process.send) return;
  const server = await start();
  process.send({ type: 'listening', port: server.port });
  process.on('disconnect', () => {
    server.close();
    process.exit(0);
  });
}
