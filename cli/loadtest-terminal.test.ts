import { describe, expect, it } from 'vitest';
import { classifyEnd } from './loadtest-terminal';

describe('how a terminal connection ended', () => {
  it('is a dropped session when the shell exited or the sandbox ended', () => {
    expect(classifyEnd({ code: 1000, reason: 'exited' }, { type: 'exit', code: 0, signal: null }, [])).toEqual({ kind: 'dropped', why: 'the shell ended (exit 0)' });
    expect(classifyEnd({ code: 1000, reason: '' }, { type: 'exit', code: null, signal: 9 }, []).why).toBe('the shell ended (signal 9)');
    expect(classifyEnd({ code: 4010, reason: 'ended' }, undefined, ['Your sandbox was idle for 15 min and was stopped.'])).toEqual({
      kind: 'dropped',
      why: 'the sandbox ended (4010: Your sandbox was idle for 15 min and was stopped.)',
    });
  });

  it('is an error otherwise: a refused handshake, a limit, a lost agent, a reset connection', () => {
    expect(classifyEnd({ code: -1, reason: 'HTTP 401' }, undefined, [])).toEqual({ kind: 'error', why: 'the WebSocket handshake failed (HTTP 401)' });
    expect(classifyEnd({ code: 4029, reason: 'all sandbox slots are in use' }, undefined, []).kind).toBe('error');
    expect(classifyEnd({ code: 1011, reason: '' }, undefined, []).why).toBe('the terminal closed unexpectedly (1011)');
    expect(classifyEnd({ code: 1006, reason: '' }, undefined, []).kind).toBe('error');
  });
});
