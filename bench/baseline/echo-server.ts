/**
 * The floor for the keystroke echo figures (issue 5 item 2): a minimal node-pty + ws terminal
 * server with no gateway, no agent hop, no sandbox and no coalescing. One bash per connection,
 * each pty read sent at once as one frame, each input frame written straight to the pty.
 *
 * It speaks the product's framing (hello, ready, OUTPUT with a sequence number) only so that the
 * benchmark measures it with the very same client code as the real path; it checks nothing,
 * ignores acks and has no flow control.
 *
 * Run as its own process by bench/lib/baseline.ts (`fork`); it reports its port over IPC.
 */
import { spawn as spawnPty, type IPty } from 'node-pty';
import { WebSocketServer, type RawData } from 'ws';
import { decodeClientFrame, encodeServerFrame } from '../../protocol/frames';
import { BROWSER_SUBPROTOCOL } from '../../protocol/version';
import { listening, serveAsChild, type Listening } from './serve';

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

export function startEchoServer(port = 0): Promise<Listening> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, handleProtocols: () => BROWSER_SUBPROTOCOL });
  wss.on('connection', (ws) => {
    let pty: IPty | undefined;
    let seq = 0;
    ws.on('message', (data) => {
      const f = decodeClientFrame(bytesOf(data));
      if (f.op === 'control' && !pty) {
        const hello = JSON.parse(f.json) as { cols?: number; rows?: number };
        const cols = hello.cols ?? 80;
        const rows = hello.rows ?? 24;
        // The host's bash without rc files, and a plain prompt: nothing but the pty and readline.
        pty = spawnPty('/bin/bash', ['--noprofile', '--norc', '-i'], {
          name: 'xterm-256color',
          cols,
          rows,
          cwd: '/tmp',
          env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'xterm-256color', HOME: '/tmp', LANG: 'C.UTF-8', PS1: 'baseline# ' },
          encoding: null,
        });
        const ready = { type: 'ready', session: 'baseline-echo', terminal: '1', from: 0, gap: false, cols, rows, terminals: ['1'] };
        ws.send(encodeServerFrame({ op: 'control', json: JSON.stringify(ready) }));
        pty.onData((d) => {
          const bytes = d as unknown as Buffer;
          ws.send(encodeServerFrame({ op: 'output', seq, data: bytes }));
          seq += bytes.length;
        });
        pty.onExit(() => ws.close(1000));
      } else if (f.op === 'input') {
        pty?.write(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
      }
    });
    ws.on('close', () => {
      try {
        pty?.kill('SIGHUP');
      } catch {
        /* gone */
      }
    });
  });
  return listening(wss);
}

await serveAsChild(() => startEchoServer());
