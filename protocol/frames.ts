/**
 * Binary framing: `[u8 opcode][payload]`. Terminal bytes travel raw; control messages are UTF-8
 * JSON validated with the schemas in messages.ts. Opcodes are split by direction so a frame sent
 * the wrong way is rejected, not misread. No DOM and no Node types here: both sides import it.
 */

/** Client → server (browser → gateway → agent; also the lab CLI → agent). */
export const C2S = {
  /** Keystrokes / stdin bytes. */
  INPUT: 0x01,
  /** u16 cols, u16 rows (big-endian). */
  RESIZE: 0x02,
  /** f64 cumulative count of output bytes parsed by the terminal emulator. */
  ACK: 0x03,
  /** JSON control message (the first frame must be a hello). */
  CONTROL: 0x04,
  /** End of stdin for a `run` channel. */
  EOF: 0x05,
} as const;

/** Server → client. */
export const S2C = {
  /** f64 sequence number of the first byte, then the bytes (stdout for a `run` channel). */
  OUTPUT: 0x81,
  /** JSON control message (ready, exit, notice). */
  CONTROL: 0x82,
  /** stderr bytes of a `run` channel (no sequence: never replayed). */
  STDERR: 0x83,
} as const;

export type ClientFrame =
  | { op: 'input'; data: Uint8Array }
  | { op: 'resize'; cols: number; rows: number }
  | { op: 'ack'; seq: number }
  | { op: 'control'; json: string }
  | { op: 'eof' };

export type ServerFrame =
  | { op: 'output'; seq: number; data: Uint8Array }
  | { op: 'control'; json: string }
  | { op: 'stderr'; data: Uint8Array };

/** Thrown for any frame that does not parse; the receiver closes that one connection. */
export class FrameError extends Error {
  override name = 'FrameError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function withOpcode(op: number, payload: Uint8Array, headerExtra = 0): { frame: Uint8Array; view: DataView } {
  const frame = new Uint8Array(1 + headerExtra + payload.byteLength);
  frame[0] = op;
  frame.set(payload, 1 + headerExtra);
  return { frame, view: new DataView(frame.buffer, frame.byteOffset, frame.byteLength) };
}

export function encodeClientFrame(f: ClientFrame): Uint8Array {
  switch (f.op) {
    case 'input':
      return withOpcode(C2S.INPUT, f.data).frame;
    case 'resize': {
      const { frame, view } = withOpcode(C2S.RESIZE, new Uint8Array(0), 4);
      view.setUint16(1, f.cols);
      view.setUint16(3, f.rows);
      return frame;
    }
    case 'ack': {
      const { frame, view } = withOpcode(C2S.ACK, new Uint8Array(0), 8);
      view.setFloat64(1, f.seq);
      return frame;
    }
    case 'control':
      return withOpcode(C2S.CONTROL, encoder.encode(f.json)).frame;
    case 'eof':
      return Uint8Array.of(C2S.EOF);
  }
}

export function encodeServerFrame(f: ServerFrame): Uint8Array {
  switch (f.op) {
    case 'output': {
      const { frame, view } = withOpcode(S2C.OUTPUT, f.data, 8);
      view.setFloat64(1, f.seq);
      return frame;
    }
    case 'control':
      return withOpcode(S2C.CONTROL, encoder.encode(f.json)).frame;
    case 'stderr':
      return withOpcode(S2C.STDERR, f.data).frame;
  }
}

/**
 * An OUTPUT frame made of several pieces (a terminal's coalesced pty reads), copied once into
 * one allocation. `alloc` may skip zero-filling (Node's Buffer.allocUnsafe): every byte of the
 * frame is written here. Same bytes as encodeServerFrame of the pieces joined.
 */
export function encodeOutputFrame<T extends Uint8Array>(seq: number, pieces: readonly Uint8Array[], alloc: (n: number) => T): T {
  let size = 0;
  for (const p of pieces) size += p.byteLength;
  const frame = alloc(9 + size);
  frame[0] = S2C.OUTPUT;
  new DataView(frame.buffer, frame.byteOffset, 9).setFloat64(1, seq);
  let at = 9;
  for (const p of pieces) {
    frame.set(p, at);
    at += p.byteLength;
  }
  return frame;
}

function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function isSeq(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function utf8(buf: Uint8Array): string {
  try {
    return decoder.decode(buf);
  } catch {
    throw new FrameError('control frame is not valid UTF-8');
  }
}

export function decodeClientFrame(buf: Uint8Array): ClientFrame {
  if (buf.byteLength === 0) throw new FrameError('empty frame');
  const body = buf.subarray(1);
  switch (buf[0]) {
    case C2S.INPUT:
      return { op: 'input', data: body };
    case C2S.RESIZE: {
      if (body.byteLength !== 4) throw new FrameError('resize frame must carry exactly 4 bytes');
      const v = viewOf(body);
      return { op: 'resize', cols: v.getUint16(0), rows: v.getUint16(2) };
    }
    case C2S.ACK: {
      if (body.byteLength !== 8) throw new FrameError('ack frame must carry exactly 8 bytes');
      const seq = viewOf(body).getFloat64(0);
      if (!isSeq(seq)) throw new FrameError('ack sequence is not a non-negative integer');
      return { op: 'ack', seq };
    }
    case C2S.CONTROL:
      return { op: 'control', json: utf8(body) };
    case C2S.EOF:
      if (body.byteLength !== 0) throw new FrameError('eof frame carries no payload');
      return { op: 'eof' };
    default:
      throw new FrameError(`unknown client opcode 0x${buf[0]!.toString(16)}`);
  }
}

export function decodeServerFrame(buf: Uint8Array): ServerFrame {
  if (buf.byteLength === 0) throw new FrameError('empty frame');
  const body = buf.subarray(1);
  switch (buf[0]) {
    case S2C.OUTPUT: {
      if (body.byteLength < 8) throw new FrameError('output frame too short');
      const seq = viewOf(body).getFloat64(0);
      if (!isSeq(seq)) throw new FrameError('output sequence is not a non-negative integer');
      return { op: 'output', seq, data: body.subarray(8) };
    }
    case S2C.CONTROL:
      return { op: 'control', json: utf8(body) };
    case S2C.STDERR:
      return { op: 'stderr', data: body };
    default:
      throw new FrameError(`unknown server opcode 0x${buf[0]!.toString(16)}`);
  }
}
