/**
 * Browser → server frames, built with protocol/frames.ts. Pure: no DOM, no socket.
 */
import { encodeClientFrame } from '../../protocol/frames';
import { MAX_COLS, MAX_ROWS, MIN_COLS, MIN_ROWS } from '../../protocol/limits';
import type { TerminalHello, TerminalId } from '../../protocol/messages';
import { PROTOCOL_VERSION } from '../../protocol/version';

/** Largest INPUT payload per frame: a big paste goes out in pieces well under MAX_FRAME_BYTES. */
export const INPUT_CHUNK_BYTES = 16 * 1024;

const encoder = new TextEncoder();

export interface TermSize {
  cols: number;
  rows: number;
}

function clamp(n: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

/** The server refuses sizes outside protocol/limits.ts; a tiny or huge pane still gets a shell. */
export function clampSize(size: TermSize): TermSize {
  return { cols: clamp(size.cols, MIN_COLS, MAX_COLS, 80), rows: clamp(size.rows, MIN_ROWS, MAX_ROWS, 24) };
}

export function helloFrame(terminal: TerminalId, size: TermSize, resumeFrom: number): Uint8Array {
  const { cols, rows } = clampSize(size);
  const hello: TerminalHello = { type: 'hello', v: PROTOCOL_VERSION, terminal, cols, rows, resumeFrom };
  return encodeClientFrame({ op: 'control', json: JSON.stringify(hello) });
}

/** Keystrokes or pasted text as UTF-8 INPUT frames of at most `chunk` bytes each. */
export function inputFrames(text: string, chunk: number = INPUT_CHUNK_BYTES): Uint8Array[] {
  const bytes = encoder.encode(text);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += chunk) {
    frames.push(encodeClientFrame({ op: 'input', data: bytes.subarray(at, at + chunk) }));
  }
  return frames;
}

export function resizeFrame(size: TermSize): Uint8Array {
  return encodeClientFrame({ op: 'resize', ...clampSize(size) });
}

export function ackFrame(seq: number): Uint8Array {
  return encodeClientFrame({ op: 'ack', seq });
}

/** What a Run button types: each line of the command, each followed by Enter. */
export function commandKeystrokes(command: string): string {
  return command.replace(/\r?\n$/, '').replace(/\r?\n/g, '\r') + '\r';
}
