import { describe, expect, it } from 'vitest';
import { MAX_COLS, MAX_ROWS, MIN_COLS, MIN_ROWS } from './limits';
import { AgentHello, BrowserHello, ExplorerHello, parseControl, Ready, TerminalHello } from './messages';
import { PROTOCOL_VERSION } from './version';

const hello = { type: 'hello', v: PROTOCOL_VERSION, terminal: '1', cols: 80, rows: 24, resumeFrom: 0 };

describe('TerminalHello', () => {
  it('accepts a valid hello, with or without resumeFrom', () => {
    expect(TerminalHello.safeParse(hello).success).toBe(true);
    const { resumeFrom: _, ...noResume } = hello;
    expect(TerminalHello.safeParse(noResume).success).toBe(true);
    expect(TerminalHello.safeParse({ ...hello, terminal: '9', cols: MAX_COLS, rows: MAX_ROWS }).success).toBe(true);
    expect(TerminalHello.safeParse({ ...hello, cols: MIN_COLS, rows: MIN_ROWS }).success).toBe(true);
  });

  it('rejects another protocol version', () => {
    for (const v of [PROTOCOL_VERSION + 1, 0, '1', undefined]) {
      expect(TerminalHello.safeParse({ ...hello, v }).success).toBe(false);
    }
  });

  it.each(['0', '10', 'a', '', ' 1', '1\n', 1])('rejects terminal id %j', (terminal) => {
    expect(TerminalHello.safeParse({ ...hello, terminal }).success).toBe(false);
  });

  it.each([
    ['cols', MIN_COLS - 1],
    ['cols', MAX_COLS + 1],
    ['cols', 80.5],
    ['rows', MIN_ROWS - 1],
    ['rows', MAX_ROWS + 1],
    ['rows', -24],
  ])('rejects %s = %d', (key, value) => {
    expect(TerminalHello.safeParse({ ...hello, [key]: value }).success).toBe(false);
  });

  it('rejects a negative or fractional resumeFrom', () => {
    expect(TerminalHello.safeParse({ ...hello, resumeFrom: -1 }).success).toBe(false);
    expect(TerminalHello.safeParse({ ...hello, resumeFrom: 0.5 }).success).toBe(false);
  });

  it('rejects unknown extra keys (a browser cannot smuggle a session or token)', () => {
    expect(TerminalHello.safeParse({ ...hello, session: 'someone-elses' }).success).toBe(false);
    expect(TerminalHello.safeParse({ ...hello, token: 'x'.repeat(32) }).success).toBe(false);
  });
});

describe('AgentHello', () => {
  const agentHello = {
    type: 'hello',
    v: PROTOCOL_VERSION,
    token: 'a'.repeat(16),
    session: { id: 'abcdefgh12' },
    channel: { kind: 'terminal', terminal: '2', cols: 80, rows: 24 },
  };

  it('accepts a token of 16 characters and fills defaults', () => {
    const r = AgentHello.safeParse(agentHello);
    expect(r.success).toBe(true);
    expect(r.data?.session).toEqual({ id: 'abcdefgh12', create: true, disposeOnClose: false });
  });

  it('requires a token of at least 16 characters', () => {
    expect(AgentHello.safeParse({ ...agentHello, token: 'a'.repeat(15) }).success).toBe(false);
    const { token: _, ...noToken } = agentHello;
    expect(AgentHello.safeParse(noToken).success).toBe(false);
  });

  it('accepts a run channel and defaults tty to false', () => {
    const r = AgentHello.safeParse({ ...agentHello, channel: { kind: 'run', argv: ['true'] } });
    expect(r.success && r.data.channel.kind === 'run' && r.data.channel.tty).toBe(false);
    expect(AgentHello.safeParse({ ...agentHello, channel: { kind: 'run', argv: [] } }).success).toBe(false);
  });

  it('rejects a malformed session id', () => {
    expect(AgentHello.safeParse({ ...agentHello, session: { id: 'short' } }).success).toBe(false);
    expect(AgentHello.safeParse({ ...agentHello, session: { id: '../../etc/x' } }).success).toBe(false);
  });
});

describe('ExplorerHello', () => {
  const explorer = { type: 'hello', v: PROTOCOL_VERSION, channel: 'explorer' };
  it('accepts the explorer panel hello, and BrowserHello takes either kind', () => {
    expect(ExplorerHello.safeParse(explorer).success).toBe(true);
    expect(BrowserHello.safeParse(explorer).success).toBe(true);
    expect(BrowserHello.safeParse(hello).success).toBe(true);
  });
  it('refuses other channels and anything extra', () => {
    expect(ExplorerHello.safeParse({ ...explorer, channel: 'terminal' }).success).toBe(false);
    expect(ExplorerHello.safeParse({ ...explorer, terminal: '1' }).success).toBe(false);
    expect(BrowserHello.safeParse({ ...hello, channel: 'explorer' }).success).toBe(false);
  });
});

describe('parseControl', () => {
  it('returns the value on success', () => {
    const r = parseControl(TerminalHello, JSON.stringify(hello));
    expect(r).toEqual({ ok: true, value: hello });
  });

  it('returns a sentence for invalid JSON instead of throwing', () => {
    const r = parseControl(TerminalHello, '{"type":');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe('control message is not valid JSON');
  });

  it('names the path of a schema error', () => {
    const r = parseControl(TerminalHello, JSON.stringify({ ...hello, cols: 9999 }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^invalid message at cols: /);
    const nested = parseControl(Ready, JSON.stringify({ type: 'ready', session: 'abcdefgh', from: 0, gap: false, terminals: ['1', 'x'] }));
    expect(!nested.ok && nested.error).toMatch(/at terminals\.1: terminal id must be a digit 1-9/);
  });
});
