import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalRegistry, type PaneHandle } from './registry';

function pane(ready: boolean, text = ''): PaneHandle & { typed: string[]; ready: boolean } {
  const p = {
    ready,
    typed: [] as string[],
    read: () => text,
    isReady: () => p.ready,
    type: (t: string) => {
      p.typed.push(t);
      return true;
    },
    focus: () => undefined,
    revive: () => undefined,
    settle: () => Promise.resolve(),
  };
  return p;
}

describe('TerminalRegistry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads buffers and readiness of registered panes', () => {
    const r = new TerminalRegistry();
    expect(r.read('1')).toBe('');
    expect(r.ready('1')).toBe(false);
    r.register('1', pane(true, 'root 1 bash'));
    expect(r.read('1')).toBe('root 1 bash');
    expect(r.ready('1')).toBe(true);
  });

  it('resolves a waiter once the pane is registered and ready', async () => {
    const r = new TerminalRegistry();
    const waiting = r.whenReady('2', 10_000);
    const p = pane(false);
    r.register('2', p);
    p.ready = true;
    r.markReady('2');
    await expect(waiting).resolves.toBe(p);
  });

  it('resolves at once for a ready pane, rejects on failure and on timeout', async () => {
    const r = new TerminalRegistry();
    const p = pane(true);
    r.register('1', p);
    await expect(r.whenReady('1', 10)).resolves.toBe(p);
    const refused = r.whenReady('5', 10_000);
    r.markFailed('5', 'This sandbox already has 4 terminals open.');
    await expect(refused).rejects.toThrow('4 terminals');
    const slow = r.whenReady('3', 1000);
    vi.advanceTimersByTime(1000);
    await expect(slow).rejects.toThrow('Terminal 3 did not become ready within 1 s.');
  });

  it('only unregisters the pane that is still current', () => {
    const r = new TerminalRegistry();
    const old = pane(true, 'old');
    const fresh = pane(true, 'fresh');
    r.register('1', old);
    r.register('1', fresh);
    r.unregister('1', old);
    expect(r.read('1')).toBe('fresh');
  });
});
