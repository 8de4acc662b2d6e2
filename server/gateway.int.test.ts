/**
 * The browser gateway against a real agent: every bad input a browser can send is refused with
 * the right close code, nothing is spawned before a valid hello, and neither the learner's own
 * sandbox nor anyone else's is disturbed by it. Requires what the agent requires (root, the
 * rootfs, the native helpers); elsewhere it skips with the reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeClientFrame } from '../protocol/frames';
import { MAX_FRAME_BYTES } from '../protocol/limits';
import { CloseCode } from '../protocol/messages';
import { MAX_CONNECTIONS } from '../sandbox-agent/src/session';
import { DEFAULT_PROFILE } from '../protocol/profile';
import { PROTOCOL_VERSION } from '../protocol/version';
import { cannotRun, startHarness, type Harness } from '../sandbox-agent/test/harness';
import { Browser, newToken } from './test/browser-client';
import { ExplorerClient } from './test/explorer-client';
import { AgentRegistry } from './agent-client';
import { openSqliteStore } from './db/sqlite';
import type { Store } from './db/store';
import { createGateway, type Gateway } from './gateway';
import { learnerId } from './identity';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

describe.skipIf(reason !== null)('gateway (real agent)', () => {
  let h: Harness;
  let store: Store;
  let gateway: Gateway;
  let server: Server;
  let port: number;
  const open: Browser[] = [];
  /** A learner who is connected throughout, to show that nobody else is disturbed. */
  let bystander: Browser;
  const logs: string[] = [];

  const browser = (opts: ConstructorParameters<typeof Browser>[1] = {}) => {
    const b = new Browser(port, opts);
    open.push(b);
    return b;
  };

  /** Echo round trip on a connection that must still be working. */
  async function stillWorks(b: Browser): Promise<void> {
    expect(b.closed).toBeUndefined();
    const n = Math.floor(Math.random() * 1e6);
    expect(await b.command(`echo alive-$((${n} + 1))`)).toContain(`alive-${n + 1}`);
  }

  beforeAll(async () => {
    h = await startHarness();
    store = openSqliteStore(':memory:');
    const agents = new AgentRegistry();
    agents.add(h.client);
    gateway = createGateway({ store, agents, log: (m) => logs.push(m) });
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, s, head) => gateway.handleUpgrade(req, s, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
    bystander = browser({ token: newToken() });
    await bystander.opened();
  });

  afterEach(() => {
    // Everything but the bystander is per test.
    for (const b of open.splice(0)) if (b !== bystander) b.close();
    open.push(bystander);
  });

  afterAll(async () => {
    for (const b of open) b.close();
    gateway?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    store?.close();
    await h?.stop();
  });

  it('a. refuses a handshake without a cookie (401) or from another origin (403), spawning nothing', async () => {
    const before = h.agent.sessions.size;
    const noCookie = browser({});
    expect(await noCookie.closedWith()).toEqual({ code: -1, reason: 'HTTP 401' });
    expect(noCookie.httpStatus).toBe(401);

    const malformed = browser({ token: 'not-a-token' });
    expect((await malformed.closedWith()).reason).toBe('HTTP 401');

    const token = newToken();
    const crossSite = browser({ token, origin: 'http://evil.example' });
    expect(await crossSite.closedWith()).toEqual({ code: -1, reason: 'HTTP 403' });
    const lookalike = browser({ token, origin: `http://127.0.0.1:${port}.evil.example` });
    expect((await lookalike.closedWith()).reason).toBe('HTTP 403');

    expect(h.agent.sessions.size).toBe(before);
    expect(store.activeSession(learnerId(token))).toBeUndefined();

    // The same learner, from the right origin, gets a working sandbox; the bystander still works.
    const good = browser({ token });
    await good.opened();
    await stillWorks(good);
    expect(h.agent.sessions.size).toBe(before + 1);
    await stillWorks(bystander);
  });

  it('b. refuses a bad hello (version 4002, shape 4000, text 4000) before anything is spawned', async () => {
    const token = newToken();
    const before = h.agent.sessions.size;

    const version = browser({ token, hello: { v: PROTOCOL_VERSION + 1 } });
    expect((await version.closedWith()).code).toBe(CloseCode.VERSION);

    for (const hello of [{ terminal: 'x' }, { cols: 100_000 }, { session: 'someone-else' }, { type: 'exit' }]) {
      const bad = browser({ token, hello });
      const c = await bad.closedWith();
      expect(c.code, JSON.stringify(hello)).toBe(CloseCode.BAD_FRAME);
      expect(c.reason).toMatch(/invalid message/);
    }

    const notJson = browser({ token, hello: null });
    notJson.ws.once('open', () => notJson.send(encodeClientFrame({ op: 'control', json: '{"type":"hello",' })));
    expect((await notJson.closedWith()).code).toBe(CloseCode.BAD_FRAME);

    const text = browser({ token, hello: null });
    text.ws.once('open', () => text.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, terminal: '1', cols: 80, rows: 24 })));
    const t = await text.closedWith();
    expect(t.code).toBe(CloseCode.BAD_FRAME);
    expect(t.reason).toMatch(/text frames/);

    const inputFirst = browser({ token, hello: null });
    inputFirst.ws.once('open', () => inputFirst.type('id\r'));
    expect((await inputFirst.closedWith()).code).toBe(CloseCode.BAD_FRAME);

    expect(h.agent.sessions.size).toBe(before);
    expect(store.activeSession(learnerId(token))).toBeUndefined();

    const good = browser({ token });
    await good.opened();
    await stillWorks(good);
    await stillWorks(bystander);
  });

  describe('c. a bad frame after a good hello closes only that connection', () => {
    const attacks: Array<[string, (b: Browser) => void, number]> = [
      ['an unknown opcode', (b) => b.send(Uint8Array.of(0x7f, 1, 2, 3)), CloseCode.BAD_FRAME],
      ['an empty frame', (b) => b.send(new Uint8Array(0)), CloseCode.BAD_FRAME],
      ['a resize to 9999 columns', (b) => b.send(encodeClientFrame({ op: 'resize', cols: 9999, rows: 24 })), CloseCode.BAD_FRAME],
      ['a resize of the wrong length', (b) => b.send(Uint8Array.of(0x02, 0, 80)), CloseCode.BAD_FRAME],
      [
        'a second control frame',
        (b) => b.send(encodeClientFrame({ op: 'control', json: JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, terminal: '2', cols: 80, rows: 24 }) })),
        CloseCode.BAD_FRAME,
      ],
      ['an eof frame', (b) => b.send(encodeClientFrame({ op: 'eof' })), CloseCode.BAD_FRAME],
      ['a fractional ack', (b) => b.send(Uint8Array.of(0x03, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0)), CloseCode.BAD_FRAME],
      ['a text frame', (b) => b.send('hello'), CloseCode.BAD_FRAME],
      ['an oversized frame (> 64 KiB)', (b) => b.send(encodeClientFrame({ op: 'input', data: new Uint8Array(MAX_FRAME_BYTES + 1).fill(0x61) })), 1009],
    ];

    // One learner takes every attack in turn: the sandbox must survive them all.
    const token = newToken();

    it.each(attacks)('%s', async (_what, attack, code) => {
      const first = browser({ token });
      const ready = await first.opened();
      const marker = await first.mark();

      const sessionsBefore = h.agent.sessions.size;
      const otherTerminalsBefore = ready.terminals;
      attack(first);
      const c = await first.closedWith();
      expect(c.code).toBe(code);
      // The oversized input must not have reached the shell either.
      expect(first.text).not.toMatch(/a{1000}/);

      // Same cookie again: the same sandbox, its terminal still there, the marker replayed.
      const again = browser({ token });
      const r = await again.opened();
      expect(r.session).toBe(ready.session);
      expect(r.terminals).toContain('1');
      expect(r.terminals).toEqual(otherTerminalsBefore);
      expect(r.from).toBe(0);
      await again.waitFor(new RegExp(marker));
      expect(h.agent.sessions.size).toBe(sessionsBefore);
      await stillWorks(again);
      await stillWorks(bystander);
    });
  });

  it('d. different learners get different sandboxes; one learner’s tabs share one', async () => {
    const tokenA = newToken();
    const a1 = browser({ token: tokenA });
    const b = browser({ token: newToken() });
    const nsA = (await a1.command('readlink /proc/self/ns/pid')).match(/pid:\[\d+\]/)?.[0];
    const nsB = (await b.command('readlink /proc/self/ns/pid')).match(/pid:\[\d+\]/)?.[0];
    expect(nsA).toBeDefined();
    expect(nsB).toBeDefined();
    expect(nsA).not.toBe(nsB);
    expect(a1.ready!.session).not.toBe(b.ready!.session);

    const a2 = browser({ token: tokenA, terminal: '2' });
    const r2 = await a2.opened();
    expect(r2.session).toBe(a1.ready!.session);
    expect(r2.terminal).toBe('2');
    expect(r2.terminals).toEqual(['1', '2']);
    const nsA2 = (await a2.command('readlink /proc/self/ns/pid')).match(/pid:\[\d+\]/)?.[0];
    expect(nsA2).toBe(nsA);

    // A process started in one tab is visible from the other: the same sandbox, not a copy.
    await a1.command('sleep 7777 &');
    expect(await a2.command('ps -e -o args=')).toContain('sleep 7777');
    expect(await b.command('ps -e -o args=')).not.toContain('sleep 7777');
    await stillWorks(bystander);
  });

  it('e. refuses a terminal beyond the profile’s limit with 4029', async () => {
    const token = newToken();
    const max = DEFAULT_PROFILE.maxTerminals;
    const tabs: Browser[] = [];
    for (let i = 1; i <= max; i++) {
      const t = browser({ token, terminal: String(i) });
      await t.opened();
      tabs.push(t);
    }
    expect(tabs.at(-1)!.ready!.terminals).toEqual(Array.from({ length: max }, (_, i) => String(i + 1)));

    const extra = browser({ token, terminal: String(max + 1) });
    const c = await extra.closedWith();
    expect(c.code).toBe(CloseCode.LIMIT);
    expect(c.reason).toMatch(new RegExp(`at most ${max} terminals`));

    for (const t of tabs) await stillWorks(t);
    await stillWorks(bystander);
  });

  it('f. the explorer gets snapshots of the learner’s own sandbox only, and may send nothing', async () => {
    const token = newToken();
    const term = browser({ token });
    await term.command('sleep 4242 &');
    const other = browser({ token: newToken() });
    await other.command('sleep 5353 &');

    const ex = new ExplorerClient(port, token);
    try {
      const s = await ex.until((x) => x.processes.some((p) => p.cmdline === 'sleep 4242'), 'the learner’s sleep');
      expect(s.processes.some((p) => p.cmdline.includes('5353'))).toBe(false);
      // The sandbox's own numbering: its init is PID 1 there, whatever the host calls it.
      expect(s.processes.find((p) => p.pid === 1)?.ppid).toBe(0);

      // A new process shows up through the deltas that follow the first snapshot.
      await term.command('sleep 4343 &');
      await ex.until((x) => x.processes.some((p) => p.cmdline === 'sleep 4343'), 'a process started later');
      expect(ex.fulls).toBe(1);
      expect(ex.deltas).toBeGreaterThan(0);

      // The panel has nothing to say: any frame closes that one connection, nothing else.
      ex.ws.send(encodeClientFrame({ op: 'input', data: Buffer.from('ls\r') }));
      const c = await ex.closedWith();
      expect(c.code).toBe(CloseCode.BAD_FRAME);
      expect(c.reason).toMatch(/explorer channel takes no frames/);
      await stillWorks(term);
      await stillWorks(bystander);
    } finally {
      ex.close();
    }
  });

  it('g. bounds the connections one sandbox may have: one more is refused with 4029, the rest keep working', async () => {
    const token = newToken();
    const term = browser({ token });
    await term.opened();
    const panels: ExplorerClient[] = [];
    try {
      // The terminal is one connection; fill the rest with explorer panels.
      for (let i = 1; i < MAX_CONNECTIONS; i++) panels.push(new ExplorerClient(port, token));
      for (const p of panels) await p.until(() => true, 'a first snapshot');
      const extra = new ExplorerClient(port, token);
      panels.push(extra);
      const c = await extra.closedWith();
      expect(c.code).toBe(CloseCode.LIMIT);
      expect(c.reason).toMatch(/connections open/);
      await stillWorks(term);
      await stillWorks(bystander);
      // Closing one makes room again.
      panels[0]!.close();
      await panels[0]!.closedWith();
      const again = new ExplorerClient(port, token);
      panels.push(again);
      await again.until(() => true, 'a snapshot after a panel closed');
    } finally {
      for (const p of panels) p.close();
    }
  });
});
