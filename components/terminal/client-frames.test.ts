import { describe, expect, it } from 'vitest';
import { decodeClientFrame } from '../../protocol/frames';
import { MAX_COLS, MAX_FRAME_BYTES, MIN_ROWS } from '../../protocol/limits';
import { TerminalHello, parseControl } from '../../protocol/messages';
import { ackFrame, clampSize, commandKeystrokes, helloFrame, INPUT_CHUNK_BYTES, inputFrames, resizeFrame } from './client-frames';

describe('client frames', () => {
  it('builds a hello the server schema accepts', () => {
    const frame = decodeClientFrame(helloFrame('2', { cols: 120, rows: 40 }, 0));
    expect(frame.op).toBe('control');
    const parsed = parseControl(TerminalHello, frame.op === 'control' ? frame.json : '');
    expect(parsed).toEqual({ ok: true, value: { type: 'hello', v: 1, terminal: '2', cols: 120, rows: 40, resumeFrom: 0 } });
  });

  it('clamps sizes to the protocol bounds', () => {
    expect(clampSize({ cols: 9999, rows: 1 })).toEqual({ cols: MAX_COLS, rows: MIN_ROWS });
    expect(clampSize({ cols: Number.NaN, rows: 30.7 })).toEqual({ cols: 80, rows: 30 });
    expect(decodeClientFrame(resizeFrame({ cols: 0, rows: 500 }))).toEqual({ op: 'resize', cols: 2, rows: 200 });
  });

  it('splits input into UTF-8 chunks of at most 16 KiB', () => {
    const text = 'é'.repeat(20_000); // 40 000 bytes
    const frames = inputFrames(text);
    expect(frames.length).toBe(3);
    const bytes = frames.map((f) => decodeClientFrame(f)).map((f) => (f.op === 'input' ? f.data : new Uint8Array()));
    expect(bytes.every((b) => b.byteLength <= INPUT_CHUNK_BYTES)).toBe(true);
    expect(frames.every((f) => f.byteLength <= MAX_FRAME_BYTES)).toBe(true);
    const joined = new Uint8Array(bytes.reduce((n, b) => n + b.byteLength, 0));
    let at = 0;
    for (const b of bytes) {
      joined.set(b, at);
      at += b.byteLength;
    }
    expect(new TextDecoder().decode(joined)).toBe(text);
    expect(inputFrames('')).toEqual([]);
  });

  it('encodes acks', () => {
    expect(decodeClientFrame(ackFrame(123_456))).toEqual({ op: 'ack', seq: 123_456 });
  });

  it('turns a command into keystrokes ending with Enter', () => {
    expect(commandKeystrokes('ps aux')).toBe('ps aux\r');
    expect(commandKeystrokes('a=1\necho $a\n')).toBe('a=1\recho $a\r');
  });
});
