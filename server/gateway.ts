/**
 * The browser's WebSocket endpoint (`/ws`). Order for every connection:
 *  1. at the upgrade: same-origin check, learner cookie present, subprotocol lab.v1;
 *  2. first frame: a BrowserHello within HELLO_TIMEOUT_MS: a terminal (version, terminal id,
 *     size) or the explorer panel (which sends nothing after its hello);
 *  3. resolve the learner's active session from the database (the browser never names one,
 *     so it cannot reach anyone else's sandbox), creating it on an agent if there is none;
 *  4. open a channel to that agent (which authenticates us by the shared secret) and pipe
 *     frames both ways, checking every browser frame before it is forwarded.
 * A bad frame closes that one connection with a reason; the sandbox and other learners are
 * untouched.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decodeClientFrame, encodeClientFrame, FrameError, type ClientFrame } from '../protocol/frames';
import { MAX_COLS, MAX_CONTROL_BYTES, MAX_FRAME_BYTES, MAX_ROWS, MIN_COLS, MIN_ROWS } from '../protocol/limits';
import { CloseCode, ExplorerHello, parseControl, TerminalHello, type AgentChannel, type BrowserHello } from '../protocol/messages';
import { BROWSER_SUBPROTOCOL, PROTOCOL_VERSION } from '../protocol/version';
import type { AgentRegistry } from './agent-client';
import type { Store } from './db/store';
import { learnerId, newSessionId, readLearnerToken } from './identity';
import { asLogger, requestIdOf, type Logger, type LogSink } from './log';
import { webMetrics } from './metrics';

const HELLO_TIMEOUT_MS = 5000;
const MAX_QUEUED_FRAMES = 256;

export interface Gateway {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

interface Deps {
  store: Store;
  agents: AgentRegistry;
  log: Logger;
}

export function createGateway(options: { store: Store; agents: AgentRegistry; log: LogSink }): Gateway {
  const deps: Deps = { ...options, log: asLogger(options.log) };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(BROWSER_SUBPROTOCOL) ? BROWSER_SUBPROTOCOL : false),
  });
  // The 101 answer carries the request id too, like every HTTP answer of the web tier.
  wss.on('headers', (headers, req) => headers.push(`X-Request-Id: ${requestIdOf(req)}`));

  return {
    handleUpgrade(req, socket, head) {
      const request = requestIdOf(req);
      const reject = (status: number, text: string) => {
        webMetrics.error('upgrade_refused');
        deps.log.info(`/ws upgrade refused: ${status} ${text}`, { request });
        socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nX-Request-Id: ${request}\r\n\r\n${text}\n`);
      };
      // Cookies ride along on cross-site WebSocket handshakes: only our own pages may connect.
      const origin = req.headers.origin;
      if (origin !== undefined) {
        let host = '';
        try {
          host = new URL(origin).host;
        } catch {
          /* malformed origin */
        }
        if (host !== req.headers.host) return reject(403, 'Forbidden');
      }
      const token = readLearnerToken(req);
      if (!token) return reject(401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, learnerId(token), { ...deps, log: deps.log.child({ request }) }));
    },
    close() {
      for (const c of wss.clients) c.close(1001, 'server shutting down');
      wss.close();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** The agent channel a hello asks for, and how logs name it. */
function channelOf(hello: BrowserHello): { channel: AgentChannel; name: string } {
  if ('channel' in hello) return { channel: { kind: 'explorer' }, name: 'explorer' };
  return {
    channel: { kind: 'terminal', terminal: hello.terminal, cols: hello.cols, rows: hello.rows, resumeFrom: hello.resumeFrom },
    name: `terminal ${hello.terminal}`,
  };
}

/** Check a browser frame after the hello; returns an error sentence or null. */
function checkFrame(f: ClientFrame, explorer: boolean): string | null {
  if (explorer) return 'the explorer channel takes no frames after its hello';
  if (f.op === 'control') return 'only the first frame may be a hello';
  if (f.op === 'eof') return 'terminals have no end-of-input frame';
  if (f.op === 'resize' && (f.cols < MIN_COLS || f.cols > MAX_COLS || f.rows < MIN_ROWS || f.rows > MAX_ROWS)) {
    return `terminal size must be ${MIN_COLS}-${MAX_COLS} columns by ${MIN_ROWS}-${MAX_ROWS} rows`;
  }
  return null;
}

function serve(browser: WebSocket, learner: string, deps: Deps): void {
  let agent: WebSocket | undefined;
  let agentOpen = false;
  let closed = false;
  const queued: Uint8Array[] = [];
  /** The session this connection is counted in (lab_web_terminals_open, lab_web_sessions). */
  let counted: { agent: string; session: string; name: string; terminal: boolean } | undefined;
  /** Set by the hello: an explorer connection, whose browser sends nothing more. */
  let explorer = false;
  const uncount = () => {
    if (!counted) return;
    if (counted.terminal) webMetrics.terminalsOpen.dec();
    webMetrics.viewerDetached(counted.agent, counted.session);
    counted = undefined;
  };
  const fail = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    if (code === CloseCode.BAD_FRAME || code === CloseCode.TOO_LARGE) webMetrics.error('bad_frame');
    browser.close(code, reason.slice(0, 120));
    agent?.close(1000);
  };
  const helloTimer = setTimeout(() => fail(CloseCode.BAD_FRAME, 'no hello received in time'), HELLO_TIMEOUT_MS);

  const onHello = (f: ClientFrame) => {
    clearTimeout(helloTimer);
    if (f.op !== 'control') return fail(CloseCode.BAD_FRAME, 'the first frame must be a hello');
    if (f.json.length > MAX_CONTROL_BYTES) return fail(CloseCode.TOO_LARGE, 'hello too large');
    const raw = (() => {
      try {
        return JSON.parse(f.json) as unknown;
      } catch {
        return undefined;
      }
    })();
    if (typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v !== PROTOCOL_VERSION) {
      return fail(CloseCode.VERSION, `this page speaks another protocol version; reload it (server: v${PROTOCOL_VERSION})`);
    }
    // Pick the schema by the hello's shape, so a bad terminal hello is told what is wrong with it.
    const wantsExplorer = typeof raw === 'object' && raw !== null && 'channel' in raw;
    const parsed = wantsExplorer ? parseControl(ExplorerHello, f.json) : parseControl(TerminalHello, f.json);
    if (!parsed.ok) return fail(CloseCode.BAD_FRAME, parsed.error);
    const hello = parsed.value;
    explorer = 'channel' in hello;

    deps.store.touchLearner(learner);
    connect(hello, false);
  };

  /**
   * Attach to the learner's active session. A row the agent no longer knows (it timed out
   * while nobody watched, or the agent restarted) is ended and replaced by a fresh sandbox,
   * so the database always says which sandbox a learner had and why it ended.
   */
  const connect = (hello: BrowserHello, retried: boolean): void => {
    let row = deps.store.activeSession(learner);
    let fresh = false;
    if (!row) {
      try {
        row = deps.store.createSession({ id: newSessionId(), learnerId: learner, agent: deps.agents.pick().name });
        fresh = true;
      } catch {
        // Two tabs raced to create the learner's session; the unique index let one win.
        row = deps.store.activeSession(learner);
      }
    }
    if (!row) {
      webMetrics.error('no_agent');
      return fail(CloseCode.INTERNAL, 'no sandbox agent is available');
    }
    if (fresh) webMetrics.sessionsCreated.inc({ agent: row.agent });
    const client = deps.agents.get(row.agent);
    if (!client) {
      // The row names an agent this web tier does not know (renamed, or moved elsewhere).
      deps.store.endSession(row.id, `its agent "${row.agent}" is not registered here`);
      if (retried) webMetrics.error('no_agent');
      return retried ? fail(CloseCode.INTERNAL, 'no sandbox agent is available') : connect(hello, true);
    }
    const session = row.id;
    const log = deps.log.child({ session });
    const { channel: wanted, name } = channelOf(hello);

    const channel = client.open({ session: { id: session, create: fresh, disposeOnClose: false }, channel: wanted });
    agent = channel;
    channel.on('open', () => {
      agentOpen = true;
      if (closed) return;
      counted = { agent: client.name, session, name, terminal: wanted.kind === 'terminal' };
      if (counted.terminal) webMetrics.terminalsOpen.inc();
      webMetrics.viewerAttached(client.name, session);
      log.info(`${name} connected${fresh ? ' (new sandbox)' : ''}`);
      for (const q of queued.splice(0)) channel.send(q);
    });
    channel.on('message', (data, isBinary) => {
      if (isBinary && browser.readyState === WebSocket.OPEN) {
        const bytes = toBytes(data);
        webMetrics.bytesOut.inc(bytes.byteLength);
        browser.send(bytes);
      }
    });
    channel.on('close', (code, reason) => {
      if (agent !== channel) return;
      uncount();
      if (closed) return;
      agentOpen = false;
      if (code === CloseCode.NO_SESSION && !retried) {
        deps.store.endSession(session, 'the sandbox no longer existed on its agent');
        return connect(hello, true);
      }
      if (code === CloseCode.ENDED) deps.store.endSession(session, reason.toString() || 'ended');
      const forwardable = code === 1000 || code === 1013 || (code >= 4000 && code < 5000);
      if (forwardable) {
        log.info(`${name} closed by the agent: ${code} ${reason.toString()}`.trimEnd());
        fail(code, reason.toString());
      } else {
        webMetrics.error('agent_lost');
        log.warn(`${name}: lost the connection to the sandbox agent (${code})`);
        fail(1011, 'lost the connection to the sandbox agent');
      }
    });
    channel.on('error', (e) => {
      webMetrics.error('agent_channel');
      log.warn(`agent channel error: ${e.message}`);
    });
  };

  let gotHello = false;
  browser.on('message', (data, isBinary) => {
    if (closed) return;
    if (!isBinary) return fail(CloseCode.BAD_FRAME, 'text frames are not part of the protocol');
    const bytes = toBytes(data);
    webMetrics.bytesIn.inc(bytes.byteLength);
    let frame: ClientFrame;
    try {
      frame = decodeClientFrame(bytes);
    } catch (e) {
      return fail(CloseCode.BAD_FRAME, e instanceof FrameError ? e.message : 'malformed frame');
    }
    if (!gotHello) {
      gotHello = true;
      return onHello(frame);
    }
    const problem = checkFrame(frame, explorer);
    if (problem) return fail(CloseCode.BAD_FRAME, problem);
    // Re-encode what we checked rather than forwarding the browser's bytes verbatim.
    const out = encodeClientFrame(frame);
    if (agentOpen) agent!.send(out);
    else if (queued.length < MAX_QUEUED_FRAMES) queued.push(out);
    else fail(CloseCode.TOO_LARGE, 'too many frames before the sandbox was ready');
  });
  browser.on('error', () => undefined);
  browser.on('close', (code) => {
    clearTimeout(helloTimer);
    if (counted && !closed) deps.log.info(`${counted.name} disconnected (${code})`, { session: counted.session });
    closed = true;
    uncount();
    agent?.close(1000);
  });
}
