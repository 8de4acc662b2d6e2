import { describe, expect, it } from 'vitest';
import { createLogger, type Level } from './log';

describe('agent logger', () => {
  it('writes JSON lines with component "agent" and the session id as a field', () => {
    const lines: Array<{ line: string; level: Level }> = [];
    const log = createLogger({ text: false, write: (line, level) => lines.push({ line, level }), now: () => new Date(0) });
    log.info('session s1 started in 60 ms (init pid 42)', { session: 's1' });
    log.child({ process: 'supervisor' }).warn('worker 7 died (SIGKILL); starting a new one');
    expect(lines[0]!.line).toBe(
      '{"time":"1970-01-01T00:00:00.000Z","level":"info","component":"agent","msg":"session s1 started in 60 ms (init pid 42)","session":"s1"}',
    );
    expect(JSON.parse(lines[1]!.line)).toMatchObject({ level: 'warn', component: 'agent', process: 'supervisor' });
    expect(lines[1]!.level).toBe('warn');
  });

  it('prints [agent] lines on a terminal, as before', () => {
    const lines: string[] = [];
    createLogger({ text: true, write: (l) => lines.push(l) }).info('listening on /run/lab/agent.sock');
    expect(lines).toEqual(['[agent] listening on /run/lab/agent.sock']);
  });
});
