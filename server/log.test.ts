import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { asLogger, createLogger, formatJson, formatText, requestIdOf, type Level } from './log';

function capture(o: { level?: Level; text?: boolean } = {}) {
  const lines: Array<{ line: string; level: Level }> = [];
  const log = createLogger({ component: 'web', ...o, text: o.text ?? false, write: (line, level) => lines.push({ line, level }), now: () => new Date(0) });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>) };
}

describe('web logger', () => {
  it('writes one JSON object per line with time, level, component and msg first', () => {
    const { log, lines, json } = capture();
    log.info('ready on http://localhost:3000');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toBe('{"time":"1970-01-01T00:00:00.000Z","level":"info","component":"web","msg":"ready on http://localhost:3000"}');
    expect(lines[0]!.line).not.toContain('\n');
    expect(json()[0]).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', component: 'web', msg: 'ready on http://localhost:3000' });
  });

  it('puts session and request right after msg, then other fields, dropping undefined ones', () => {
    const { log, lines } = capture();
    log.warn('check failed', { ms: 12, request: 'r1', session: 's1', agent: undefined });
    expect(Object.keys(JSON.parse(lines[0]!.line) as object)).toEqual(['time', 'level', 'component', 'msg', 'session', 'request', 'ms']);
  });

  it('never lets a field overwrite the fixed keys', () => {
    const { log, json } = capture();
    log.info('x', { msg: 'forged', level: 'error', component: 'agent' });
    expect(json()[0]).toMatchObject({ msg: 'x', level: 'info', component: 'web' });
  });

  it('escapes what would break a line (newlines, quotes) in messages', () => {
    const { log, lines, json } = capture();
    log.error('two\nlines "quoted"');
    expect(lines[0]!.line.split('\n')).toHaveLength(1);
    expect(json()[0]!.msg).toBe('two\nlines "quoted"');
  });

  it('drops lines below the level and passes the level to the writer', () => {
    const { log, lines } = capture({ level: 'info' });
    log.debug('noise');
    log.info('a');
    log.error('b');
    expect(lines.map((l) => l.level)).toEqual(['info', 'error']);
  });

  it('child loggers add their fields to every line; call fields win', () => {
    const { log, json } = capture();
    const req = log.child({ request: 'abc' });
    req.info('one');
    req.child({ session: 's' }).info('two', { request: 'override' });
    expect(json()[0]).toMatchObject({ request: 'abc' });
    expect(json()[1]).toMatchObject({ session: 's', request: 'override' });
  });

  it('prints a readable line on a terminal', () => {
    const { log, lines } = capture({ text: true });
    log.info('ready on http://localhost:3000');
    log.warn('agent channel error', { session: 's1', reason: 'two words' });
    expect(lines[0]!.line).toBe('[web] ready on http://localhost:3000');
    expect(lines[1]!.line).toBe('[web] WARN: agent channel error  session=s1 reason="two words"');
    expect(formatText({ time: '', level: 'info', component: 'web', msg: 'm', fields: {} })).toBe('[web] m');
    expect(formatJson({ time: 't', level: 'debug', component: 'web', msg: 'm', fields: { n: 1 } })).toBe('{"time":"t","level":"debug","component":"web","msg":"m","n":1}');
  });

  it('turns a plain function into a logger (tests collect lines that way)', () => {
    const got: string[] = [];
    const log = asLogger((m) => got.push(m));
    log.info('a');
    log.child({ session: 's' }).error('b', { session: 't' });
    expect(got).toEqual(['a', 'b']);
    const real = capture().log;
    expect(asLogger(real)).toBe(real);
  });
});

describe('request ids', () => {
  const req = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage;

  it('gives each request one id, the same every time it is asked', () => {
    const a = req();
    const b = req();
    expect(requestIdOf(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(requestIdOf(a)).toBe(requestIdOf(a));
    expect(requestIdOf(b)).not.toBe(requestIdOf(a));
  });

  it("keeps a proxy's well-formed x-request-id and replaces anything else", () => {
    expect(requestIdOf(req({ 'x-request-id': 'lb-1234-abcd' }))).toBe('lb-1234-abcd');
    expect(requestIdOf(req({ 'x-request-id': 'a"b\nc-forged-line' }))).toMatch(/^[0-9a-f]{16}$/);
    expect(requestIdOf(req({ 'x-request-id': 'x'.repeat(200) }))).toMatch(/^[0-9a-f]{16}$/);
  });
});
