import { WebSocket } from 'ws';
import { encodeClientFrame, decodeServerFrame } from '../protocol/frames';
const ws = new WebSocket('ws+unix:///tmp/lab-try/agent.sock:/', 'lab-agent.v1');
ws.binaryType = 'nodebuffer';
let out = '';
ws.on('open', () => {
  ws.send(encodeClientFrame({ op: 'control', json: JSON.stringify({ type: 'hello', v: 1, token: 'x'.repeat(32), session: { id: 'sessA1234', create: true }, channel: { kind: 'terminal', terminal: '1', cols: 100, rows: 30 } }) }));
  setTimeout(() => ws.send(encodeClientFrame({ op: 'input', data: Buffer.from('unshare --fork --pid --mount-proc bash\n') })), 500);
  setTimeout(() => ws.send(encodeClientFrame({ op: 'input', data: Buffer.from('ps aux; ls -l /proc/self/fd; echo $$\n') })), 1200);
  setTimeout(() => { console.log(out); ws.close(); }, 2500);
});
ws.on('message', (d: Buffer) => { const f = decodeServerFrame(d); if (f.op === 'output') out += Buffer.from(f.data).toString(); else console.log('CTRL', f.op === 'control' ? f.json : ''); });
ws.on('close', (c, r) => console.log('close', c, r.toString()));
