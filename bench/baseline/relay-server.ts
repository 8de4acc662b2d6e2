/**
 * A second floor for the echo and flood figures: a bare WebSocket relay in its own process, put
 * in front of the baseline echo server (echo-server.ts). It has the product's topology (browser →
 * one server process → another server process → pty) and none of its work: every message is
 * forwarded as it is, both ways, with no checks, no flow control, no coalescing. The difference
 * between this relay path and the bare server is what the extra process hop itself costs on
 * this machine; the difference between the relay and the product is what our gateway and agent
 * add on top.
 *
 * Run as its own process by echo-process.ts (`fork`, upstream URL as argv[2]); it reports its
 * port over IPC.
 */
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { BROWSER_SUBPROTOCOL } from '../../protocol/version';
import { listening, serveAsChild, type Listening } from './serve';

export function startRelay(upstream: string, port = 0): Promise<Listening> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, handleProtocols: () => BROWSER_SUBPROTOCOL });
  wss.on('connection', (client) => {
    const server = new WebSocket(upstream, BROWSER_SUBPROTOCOL, { perMessageDeflate: false });
    const queued: RawData[] = [];
    server.on('open', () => {
      for (const m of queued.splice(0)) server.send(m);
    });
    client.on('message', (m) => (server.readyState === WebSocket.OPEN ? server.send(m) : queued.push(m)));
    server.on('message', (m) => client.send(m));
    client.on('close', () => server.close());
    server.on('close', () => client.close());
    client.on('error', () => undefined);
    server.on('error', () => client.close());
  });
  return listening(wss);
}

// As a child process, in front of the upstream URL given as its argument.
if (process.send) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error('usage: relay-server.ts UPSTREAM_WS_URL');
  await serveAsChild(() => startRelay(upstream));
}
