/**
 * The sandbox agent: the only privileged process. It listens on a unix socket (mode 0600) for
 * the web tier's gateway and the lab CLI, never for browsers. Each WebSocket carries one
 * channel (a terminal or a run) of one session.
 *
 * Connection order: subprotocol check at the handshake → the first frame must be a hello with
 * the right version and the shared-secret token, within HELLO_TIMEOUT_MS → only then is a
 * sandbox created or a shell spawned (ttyd's rule) → frames are dispatched to the session.
 * An explorer channel only receives (snapshots and deltas); any frame but an ack closes it.
 * A bad frame closes that one connection with a reason; nothing else is affected.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decodeClientFrame, FrameError, type ClientFrame } from '../../protocol/frames';
import { MAX_CONTROL_BYTES, MAX_FRAME_BYTES } from '../../protocol/limits';
import { AgentHello, CloseCode, parseControl } from '../../protocol/messages';
import { AGENT_SUBPROTOCOL, PROTOCOL_VERSION } from '../../protocol/version';
import type { AgentConfig } from './config';
import { checkNativeHelpers } from './config';
import { KmsgWatcher } from './explorer/kmsg';
import { loadSyscallNames } from './explorer/syscalls';
import { checkHost } from './host/checks';
import { detectCgroups } from './isolation/cgroups-detect';
import { SandboxLimitError } from './isolation/launch';
import { checkRootfs, removeRootsDir, sweepRootfsMounts } from './isolation/rootfs';
import { exportSeccompFilter } from './isolation/seccomp';
import { IdentityPool } from './isolation/userns';
import { asLogger, createLogger, type Logger, type LogSink } from './log';
import { agentMetrics } from './metrics';
import { cgroupsUsable, createOpsHandler, listenOps } from './metrics-http';
import { SessionLimitError, type Session } from './session';
import { SessionRegistry } from './sessions';
import type { Viewer } from './viewer';

const HELLO_TIMEOUT_MS = 5000;
/** Frames a client may send while its sandbox is still starting; more is abuse. */
const MAX_QUEUED_FRAMES = 256;

export interface Agent {
  readonly socketPath: string;
  readonly sessions: SessionRegistry;
  close(): Promise<void>;
}

/** For the start-up steps that report plain sentences (host checks, sweeps): warnings by their prefix. */
function sentenceLogger(log: Logger): (msg: string) => void {
  return (msg) => (msg.startsWith('warning: ') ? log.warn(msg) : log.info(msg));
}

export async function startAgent(config: AgentConfig, sink: LogSink = createLogger({ component: 'agent' })): Promise<Agent> {
  const logger = asLogger(sink);
  const log = sentenceLogger(logger);
  if (!config.token) throw new Error('the agent needs LAB_AGENT_TOKEN (npm start generates one)');
  if (process.getuid?.() !== 0) throw new Error('the sandbox agent must run as root (it creates cgroups and user namespaces)');
  // Warns about unhardened sysctls; throws if the kernel lacks the CVE-2022-0492 fix.
  await checkHost({ maxSandboxes: config.maxSandboxes, log });
  checkNativeHelpers(config);
  const rootfs = checkRootfs(config.rootfs);
  // Readable by the web tier's user (it reaches the socket through it); secrets inside are 0600.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
  const seccompFile = exportSeccompFilter(config.labsbx, config.seccompFile);
  const cgroups = detectCgroups({ parent: config.cgroupParent });
  log(`using ${cgroups.describe()}`);
  const swept = await cgroups.sweep();
  if (swept.length) log(`removed ${swept.length} sandbox(es) left by an earlier agent: ${swept.join(', ')}`);
  // Under /run (gone at reboot, like the mounts themselves), one directory per agent.
  const rootsDir = join('/run/container-lab', config.cgroupParent);
  const mounts = await sweepRootfsMounts(rootsDir);
  if (mounts) log(`removed ${mounts} root filesystem mount(s) left by an earlier agent`);
  const identities = new IdentityPool({ slots: config.maxSandboxes, ownerUidBase: config.uidBase, mapBase: config.subidBase });
  // The explorer's seccomp denials: one reader of the kernel's log for every sandbox.
  const syscalls = loadSyscallNames(config.labsbx);
  const kmsg = KmsgWatcher.open((m) => logger.warn(m));
  const sessions = new SessionRegistry(
    { labsbx: config.labsbx, initBinary: config.initBinary, rootfs, rootsDir, seccompFile, cgroups, identities },
    logger,
    { syscalls, denialsAvailable: kmsg.available, log: logger },
  );
  kmsg.start((r) => sessions.recordDenial(r));
  const tokenDigest = digest(config.token);

  let listening = false;
  const ops = createOpsHandler(() => (listening ? cgroupsUsable(cgroups.version, config.cgroupParent) : 'the agent is not listening'));
  const http: Server = createServer((req, res) => {
    if (ops(req, res)) return;
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(AGENT_SUBPROTOCOL) ? AGENT_SUBPROTOCOL : false),
  });
  wss.on('connection', (ws) => serveConnection(ws, { sessions, tokenDigest, profile: config.profile, log: logger }));

  mkdirSync(dirname(config.socketPath), { recursive: true, mode: 0o755 });
  rmSync(config.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.socketPath, () => resolve());
  }).catch((e: unknown) => {
    kmsg.stop();
    throw e;
  });
  // Only root and the web tier's own user may connect (unix(7): connecting needs write permission).
  chmodSync(config.socketPath, 0o600);
  if (config.socketUid !== undefined) chownSync(config.socketPath, config.socketUid, 0);
  listening = true;
  log(`listening on ${config.socketPath}`);
  let opsServer: Server | undefined;
  if (config.metricsPort !== undefined) {
    // Observability must not keep sandboxes from starting: a taken port is a warning, not a stop.
    opsServer = await listenOps(config.metricsPort, ops).catch((e: Error) => {
      logger.warn(`cannot serve /metrics on 127.0.0.1:${config.metricsPort}: ${e.message}`);
      return undefined;
    });
    if (opsServer) logger.info(`serving /metrics, /healthz and /readyz on http://127.0.0.1:${config.metricsPort}`);
  }

  return {
    socketPath: config.socketPath,
    sessions,
    async close() {
      listening = false;
      kmsg.stop();
      for (const c of wss.clients) c.close(1001, 'agent shutting down');
      await sessions.disposeAll('The lab server is shutting down; your sandbox was stopped.');
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
      if (opsServer) await new Promise<void>((r) => opsServer.close(() => r()));
      rmSync(config.socketPath, { force: true });
      cgroups.removeParent();
      removeRootsDir(rootsDir);
    },
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

interface ConnectionContext {
  sessions: SessionRegistry;
  tokenDigest: Buffer;
  profile: AgentConfig['profile'];
  log: Logger;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function serveConnection(ws: WebSocket, ctx: ConnectionContext): void {
  agentMetrics.channelsOpen.inc();
  const viewer: Viewer = {
    send: (frame) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      agentMetrics.bytesOut.inc(frame.byteLength);
      ws.send(frame);
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
  let state: 'hello' | 'starting' | 'open' | 'closed' = 'hello';
  let session: Session | undefined;
  let disposeOnClose = false;
  /** An explorer channel: the agent sends, the client only acknowledges. */
  let explorer = false;
  const queued: ClientFrame[] = [];
  const fail = (code: number, reason: string) => {
    state = 'closed';
    if (code === CloseCode.BAD_FRAME || code === CloseCode.TOO_LARGE) agentMetrics.error('bad_frame');
    else if (code === CloseCode.UNAUTHORIZED) agentMetrics.error('unauthorized');
    else if (code === CloseCode.VERSION) agentMetrics.error('version');
    ws.close(code, reason.slice(0, 120));
  };
  const helloTimer = setTimeout(() => fail(CloseCode.UNAUTHORIZED, 'no hello received in time'), HELLO_TIMEOUT_MS);

  const dispatch = (f: ClientFrame) => {
    if (!session) return;
    if (explorer && f.op !== 'ack') return fail(CloseCode.BAD_FRAME, 'the explorer channel takes no frames but acks');
    switch (f.op) {
      case 'input':
        return session.input(viewer, f.data);
      case 'resize':
        return session.resize(viewer, f.cols, f.rows);
      case 'ack':
        return session.ack(viewer, f.seq);
      case 'eof':
        return session.eof(viewer);
      case 'control':
        return fail(CloseCode.BAD_FRAME, 'only the first frame may be a hello');
    }
  };

  const hello = async (f: ClientFrame) => {
    clearTimeout(helloTimer);
    if (f.op !== 'control') return fail(CloseCode.BAD_FRAME, 'the first frame must be a hello');
    if (f.json.length > MAX_CONTROL_BYTES) return fail(CloseCode.TOO_LARGE, 'hello too large');
    let raw: unknown;
    try {
      raw = JSON.parse(f.json);
    } catch {
      return fail(CloseCode.BAD_FRAME, 'hello is not valid JSON');
    }
    const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    // Authenticate before looking at anything else, and say nothing about the rest.
    if (typeof obj.token !== 'string' || !timingSafeEqual(digest(obj.token), ctx.tokenDigest)) {
      return fail(CloseCode.UNAUTHORIZED, 'bad token');
    }
    if (obj.v !== PROTOCOL_VERSION) return fail(CloseCode.VERSION, `protocol version ${PROTOCOL_VERSION} required`);
    const parsed = parseControl(AgentHello, f.json);
    if (!parsed.ok) return fail(CloseCode.BAD_FRAME, parsed.error);
    const h = parsed.value;
    if (h.channel.kind === 'run' && h.channel.explorer && h.channel.tty) {
      return fail(CloseCode.BAD_FRAME, 'the explorer snapshot goes to a run with pipes, not a tty');
    }
    state = 'starting';
    if (h.channel.kind === 'dispose') {
      const existing = await ctx.sessions.find(h.session.id);
      if (existing) await existing.dispose(h.channel.reason);
      return fail(1000, existing ? 'disposed' : 'no such session');
    }
    try {
      session = h.session.create ? await ctx.sessions.getOrCreate(h.session.id, ctx.profile) : await ctx.sessions.find(h.session.id);
    } catch (e) {
      if (e instanceof SandboxLimitError) {
        agentMetrics.limit('sandboxes');
        return fail(CloseCode.LIMIT, e.message);
      }
      agentMetrics.error('sandbox_start');
      ctx.log.error(`session ${h.session.id} failed to start: ${(e as Error).message}`, { session: h.session.id });
      return fail(CloseCode.INTERNAL, 'the sandbox could not be started');
    }
    if (!session) return fail(CloseCode.NO_SESSION, 'no such session');
    if (ws.readyState !== WebSocket.OPEN) {
      if (h.session.disposeOnClose) void session.dispose('channel closed');
      return;
    }
    disposeOnClose = h.session.disposeOnClose;
    try {
      const c = h.channel;
      if (c.kind === 'terminal') {
        session.attachTerminal(viewer, c.terminal, c, c.resumeFrom ?? 0);
      } else if (c.kind === 'explorer') {
        explorer = true;
        session.attachExplorer(viewer);
      } else {
        session.attachRun(viewer, c.argv, c.tty, { cols: c.cols ?? 80, rows: c.rows ?? 24 }, c.explorer ?? false);
      }
    } catch (e) {
      if (e instanceof SessionLimitError) {
        agentMetrics.limit(e.kind);
        return fail(CloseCode.LIMIT, e.message);
      }
      agentMetrics.error('terminal_start');
      ctx.log.error(`session ${h.session.id}: ${(e as Error).message}`, { session: h.session.id });
      return fail(CloseCode.INTERNAL, 'could not start the terminal');
    }
    state = 'open';
    for (const q of queued.splice(0)) dispatch(q);
  };

  ws.on('message', (data, isBinary) => {
    if (state === 'closed') return;
    if (!isBinary) return fail(CloseCode.BAD_FRAME, 'text frames are not part of the protocol');
    const bytes = toBytes(data);
    agentMetrics.bytesIn.inc(bytes.byteLength);
    let frame: ClientFrame;
    try {
      frame = decodeClientFrame(bytes);
    } catch (e) {
      return fail(CloseCode.BAD_FRAME, e instanceof FrameError ? e.message : 'malformed frame');
    }
    if (state === 'hello') {
      state = 'starting';
      void hello(frame);
    } else if (state === 'starting') {
      if (queued.length >= MAX_QUEUED_FRAMES) return fail(CloseCode.TOO_LARGE, 'too many frames before the sandbox was ready');
      queued.push(frame);
    } else {
      dispatch(frame);
    }
  });
  ws.on('error', () => undefined); // e.g. maxPayload exceeded: ws closes with 1009 itself
  ws.on('close', () => {
    agentMetrics.channelsOpen.dec();
    clearTimeout(helloTimer);
    state = 'closed';
    if (!session) return;
    session.detach(viewer);
    if (disposeOnClose) void session.dispose('channel closed');
  });
}
