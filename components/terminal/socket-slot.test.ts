import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SocketHandlers, SocketLike } from './connection';
import { SocketSlot } from './socket-slot';

/** A fake socket factory that records every socket and its handlers. */
function fakes() {
  const made: Array<{ handlers: SocketHandlers; closed: Array<[number, string]>; socket: SocketLike }> = [];
  const factory = (_url: string, _protocol: string, handlers: SocketHandlers): SocketLike => {
    const closed: Array<[number, string]> = [];
    const socket: SocketLike = { isOpen: true, send: () => undefined, close: (code, reason) => void closed.push([code, reason]) };
    made.push({ handlers, closed, socket });
    return socket;
  };
  return { made, factory };
}

const handlers = () => ({ open: vi.fn(), message: vi.fn(), close: vi.fn() });

afterEach(() => vi.useRealTimers());

describe('SocketSlot', () => {
  it('passes on the events of the current socket only', () => {
    const { made, factory } = fakes();
    const slot = new SocketSlot('ws://x/ws', factory);
    const first = handlers();
    slot.open('first', first);
    const second = handlers();
    slot.open('again', second);
    expect(made[0]!.closed).toEqual([[1000, 'again']]);
    made[0]!.handlers.close(1006, 'late');
    made[0]!.handlers.message(new ArrayBuffer(1));
    expect(first.close).not.toHaveBeenCalled();
    expect(first.message).not.toHaveBeenCalled();
    made[1]!.handlers.open();
    made[1]!.handlers.close(1011, 'gone');
    expect(second.open).toHaveBeenCalledOnce();
    expect(second.close).toHaveBeenCalledWith(1011, 'gone');
    expect(slot.isOpen).toBe(false);
  });

  it('reports a socket that cannot be constructed as a dropped connection', () => {
    const slot = new SocketSlot('ws://x/ws', () => {
      throw new Error('blocked by policy');
    });
    const h = handlers();
    slot.open('first', h);
    expect(h.close).toHaveBeenCalledWith(1006, 'blocked by policy');
  });

  it('keeps one retry waiting, and opening cancels it', () => {
    vi.useFakeTimers();
    const { factory } = fakes();
    const slot = new SocketSlot('ws://x/ws', factory);
    const a = vi.fn();
    const b = vi.fn();
    slot.retryIn(100, a);
    slot.retryIn(200, b);
    vi.advanceTimersByTime(250);
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
    slot.retryIn(100, a);
    slot.open('now', handlers());
    vi.advanceTimersByTime(250);
    expect(a).not.toHaveBeenCalled();
  });
});
