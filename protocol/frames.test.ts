import { describe, expect, it } from 'vitest';
import {
  C2S,
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeOutputFrame,
  encodeServerFrame,
  FrameError,
  S2C,
  type ClientFrame,
  type ServerFrame,
} from './frames';

const bytes = (...b: number[]) => Uint8Array.from(b);
const plain = (u: Uint8Array) => Array.from(u);

/** Compare frames structurally, with Uint8Array payloads as plain arrays. */
function norm(f: ClientFrame | ServerFrame): unknown {
  return 'data' in f ? { ...f, data: plain(f.data) } : f;
}

describe('client frames', () => {
  const cases: ClientFrame[] = [
    { op: 'input', data: bytes(0x68, 0x69, 0x0d) },
    { op: 'input', data: bytes() },
    { op: 'input', data: bytes(0x00, 0xff, 0x80) },
    { op: 'resize', cols: 80, rows: 24 },
    { op: 'resize', cols: 65535, rows: 0 },
    { op: 'ack', seq: 0 },
    { op: 'ack', seq: 123_456_789 },
    { op: 'ack', seq: Number.MAX_SAFE_INTEGER },
    { op: 'control', json: '{"type":"hello","v":1}' },
    { op: 'control', json: '{"text":"中文 ✓ 🐧"}' },
    { op: 'eof' },
  ];

  it.each(cases.map((c) => [c.op, c] as const))('round-trips %s', (_op, f) => {
    const wire = encodeClientFrame(f);
    expect(norm(decodeClientFrame(wire))).toEqual(norm(f));
  });

  it('puts the opcode first, in the client space', () => {
    expect(encodeClientFrame({ op: 'input', data: bytes(1) })[0]).toBe(C2S.INPUT);
    expect(encodeClientFrame({ op: 'resize', cols: 1, rows: 1 })[0]).toBe(C2S.RESIZE);
    expect(encodeClientFrame({ op: 'ack', seq: 1 })[0]).toBe(C2S.ACK);
    expect(encodeClientFrame({ op: 'control', json: '{}' })[0]).toBe(C2S.CONTROL);
    expect(plain(encodeClientFrame({ op: 'eof' }))).toEqual([C2S.EOF]);
  });

  it('encodes resize as big-endian u16 cols then rows', () => {
    expect(plain(encodeClientFrame({ op: 'resize', cols: 0x0102, rows: 0x0304 }))).toEqual([C2S.RESIZE, 1, 2, 3, 4]);
  });

  it('decodes a frame that is a view into a larger buffer', () => {
    const inner = encodeClientFrame({ op: 'ack', seq: 4242 });
    const big = new Uint8Array(inner.length + 7);
    big.set(inner, 3);
    expect(decodeClientFrame(big.subarray(3, 3 + inner.length))).toEqual({ op: 'ack', seq: 4242 });
  });
});

describe('server frames', () => {
  const cases: ServerFrame[] = [
    { op: 'output', seq: 0, data: bytes(0x24, 0x20) },
    { op: 'output', seq: 17, data: bytes() },
    { op: 'output', seq: 2 ** 40, data: bytes(1, 2, 3) },
    { op: 'output', seq: Number.MAX_SAFE_INTEGER, data: bytes(9) },
    { op: 'control', json: '{"type":"ready"}' },
    { op: 'control', json: '"ünïcödé"' },
    { op: 'stderr', data: bytes(0x65, 0x72, 0x72) },
  ];

  it.each(cases.map((c) => [`${c.op}`, c] as const))('round-trips %s', (_op, f) => {
    expect(norm(decodeServerFrame(encodeServerFrame(f)))).toEqual(norm(f));
  });

  it('preserves large output sequence numbers exactly (2^40 and beyond)', () => {
    for (const seq of [2 ** 40, 2 ** 40 + 1, 2 ** 52 + 3]) {
      const f = decodeServerFrame(encodeServerFrame({ op: 'output', seq, data: bytes(7) }));
      expect(f.op === 'output' && f.seq).toBe(seq);
    }
  });

  it('puts the opcode first, in the server space', () => {
    expect(encodeServerFrame({ op: 'output', seq: 0, data: bytes() })[0]).toBe(S2C.OUTPUT);
    expect(encodeServerFrame({ op: 'control', json: '{}' })[0]).toBe(S2C.CONTROL);
    expect(encodeServerFrame({ op: 'stderr', data: bytes() })[0]).toBe(S2C.STDERR);
  });
});

describe('decodeClientFrame rejects', () => {
  const ackWith = (seq: number) => {
    const f = new Uint8Array(9);
    f[0] = C2S.ACK;
    new DataView(f.buffer).setFloat64(1, seq);
    return f;
  };
  const reject: Array<[string, Uint8Array, RegExp]> = [
    ['an empty frame', bytes(), /empty/],
    ['an unknown opcode', bytes(0x7f, 1, 2), /unknown client opcode 0x7f/],
    ['a server opcode sent the wrong way', bytes(S2C.OUTPUT, 0, 0, 0, 0, 0, 0, 0, 0), /unknown client opcode/],
    ['a resize with 3 bytes', bytes(C2S.RESIZE, 0, 80, 0), /resize/],
    ['a resize with 5 bytes', bytes(C2S.RESIZE, 0, 80, 0, 24, 0), /resize/],
    ['a resize with no payload', bytes(C2S.RESIZE), /resize/],
    ['an ack with 7 bytes', bytes(C2S.ACK, 0, 0, 0, 0, 0, 0, 0), /ack/],
    ['an ack with a negative seq', ackWith(-1), /ack sequence/],
    ['an ack with a fractional seq', ackWith(1.5), /ack sequence/],
    ['an ack with a NaN seq', ackWith(NaN), /ack sequence/],
    ['an ack with an infinite seq', ackWith(Infinity), /ack sequence/],
    ['an ack beyond the safe integers', ackWith(2 ** 53), /ack sequence/],
    ['a control frame with invalid UTF-8', bytes(C2S.CONTROL, 0x7b, 0xc3, 0x28, 0x7d), /UTF-8/],
    ['a control frame with a lone continuation byte', bytes(C2S.CONTROL, 0x80), /UTF-8/],
    ['an eof with a payload', bytes(C2S.EOF, 0), /eof/],
  ];

  it.each(reject)('%s', (_what, frame, message) => {
    expect(() => decodeClientFrame(frame)).toThrow(FrameError);
    expect(() => decodeClientFrame(frame)).toThrow(message);
  });
});

describe('decodeServerFrame rejects', () => {
  it.each([
    ['an empty frame', bytes()],
    ['an unknown opcode', bytes(0x7f)],
    ['a client opcode', bytes(C2S.INPUT, 1)],
    ['a short output frame', bytes(S2C.OUTPUT, 0, 0, 0)],
    ['control with invalid UTF-8', bytes(S2C.CONTROL, 0xff)],
  ] as Array<[string, Uint8Array]>)('%s', (_what, frame) => {
    expect(() => decodeServerFrame(frame)).toThrow(FrameError);
  });

  it('an output frame with a negative seq', () => {
    const f = encodeServerFrame({ op: 'output', seq: -5, data: bytes(1) });
    expect(() => decodeServerFrame(f)).toThrow(/output sequence/);
  });
});

describe('encodeOutputFrame', () => {
  it('gives the same bytes as encodeServerFrame of the pieces joined', () => {
    const pieces = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.of(4), new Uint8Array(5000).fill(7)];
    const joined = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of pieces) {
      joined.set(p, at);
      at += p.byteLength;
    }
    // An allocator that leaves garbage behind must not matter: every byte is written.
    const dirty = (n: number) => new Uint8Array(n).fill(0xee);
    expect(encodeOutputFrame(123_456, pieces, dirty)).toEqual(encodeServerFrame({ op: 'output', seq: 123_456, data: joined }));
    expect(decodeServerFrame(encodeOutputFrame(9, [], dirty))).toEqual({ op: 'output', seq: 9, data: new Uint8Array(0) });
  });
});
