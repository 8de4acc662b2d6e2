/**
 * Terminal streaming against a real sandbox: flow control holds a flood at the watermark while
 * a client does not acknowledge, resumes when it does, Ctrl-C reaches the flood, and a
 * reconnecting client gets the screen back from the ring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COALESCE_BYTES, HIGH_WATERMARK } from '../../protocol/limits';
import { cannotRun, newId, startHarness, TermClient, type Harness } from './harness';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `read()` stops changing for `quietMs` (or `maxMs` passes); returns the last value. */
async function steady(read: () => number, quietMs = 300, maxMs = 10_000): Promise<number> {
  const end = Date.now() + maxMs;
  let last = read();
  let since = Date.now();
  while (Date.now() < end) {
    await settle(50);
    const v = read();
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}

describe.skipIf(reason !== null)('terminal streaming (real sandbox)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('pauses a flood at the high watermark until the client acknowledges, and Ctrl-C stops it', async () => {
    const id = newId();
    const t = new TermClient(h.client, id);
    await t.opened();
    await t.command('echo ready');
    const base = t.received;
    t.autoAck = false;
    t.ack();
    t.type('yes flood-line\r');
    // Without acks the agent stops reading the pty once HIGH_WATERMARK bytes are in flight;
    // one coalesced batch (plus one pty read) may already be on its way.
    const held = await steady(() => t.received);
    expect(held - base).toBeGreaterThan(HIGH_WATERMARK / 2);
    expect(held - base).toBeLessThanOrEqual(HIGH_WATERMARK + 2 * COALESCE_BYTES);
    // Acknowledging lets the stream continue.
    t.ack();
    await t.waitFor(/flood-line/);
    const more = await (async () => {
      const start = t.received;
      for (let i = 0; i < 20 && t.received - start < 2 * HIGH_WATERMARK; i++) {
        t.ack();
        await settle(20);
      }
      return t.received - start;
    })();
    expect(more).toBeGreaterThan(HIGH_WATERMARK);
    // Ctrl-C reaches `yes`; with acks flowing again the prompt comes back.
    t.autoAck = true;
    t.ack();
    t.type('\x03');
    const mark = t.text.length;
    t.type('echo after-flood\r');
    await t.waitFor(/after-flood\r?\n/, 15_000, Math.max(0, mark - 100));
    t.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });

  it('replays the screen to a reconnecting client from the ring, and only the missing part on resume', async () => {
    const id = newId();
    const t1 = new TermClient(h.client, id);
    await t1.command('echo first-screen-line');
    const seen = t1.received;
    t1.close();
    await settle(100);
    // A reloaded page asks from 0 and gets everything, with no gap.
    const t2 = new TermClient(h.client, id, '1', 0);
    await t2.waitFor(/first-screen-line/);
    expect(t2.ready!.from).toBe(0);
    expect(t2.ready!.gap).toBe(false);
    await t2.command('echo second-line');
    t2.close();
    await settle(100);
    // A reconnect that had already seen `seen` bytes gets only what came after.
    const t3 = new TermClient(h.client, id, '1', seen);
    await t3.waitFor(/second-line/);
    expect(t3.ready!.from).toBe(seen);
    expect(t3.text).not.toContain('first-screen-line');
    t3.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });

  it('completes on the first Tab, though bash-completion is only loaded then (fast shell start)', async () => {
    const id = newId();
    const t = new TermClient(h.client, id);
    expect(await t.command('cd /tmp && complete -p -D')).toContain('_lab_load_completion');
    const from = t.text.length;
    t.type('ip li\t');
    await t.waitFor(/ip link /, undefined, from);
    t.type('\x15'); // Ctrl-U: clear the line
    expect(await t.command('complete -p -D')).toContain('_completion_loader');
    t.close();
    await h.agent.sessions.get(id)!.dispose('test over');
  });
});
