/** Bounds shared by every side of the wire. The gateway and the agent both enforce them: the
 * browser is untrusted, and the agent does not trust the gateway's checks either. */

/** Largest WebSocket message either hop accepts (ws `maxPayload`). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest JSON control payload. */
export const MAX_CONTROL_BYTES = 8 * 1024;

export const MIN_COLS = 2;
export const MAX_COLS = 500;
export const MIN_ROWS = 2;
export const MAX_ROWS = 200;

/**
 * Flow control (terminal.md §8.4). The agent pauses the pty when a viewer has more than
 * HIGH_WATERMARK bytes sent but not yet parsed by xterm.js, and resumes under LOW_WATERMARK.
 * The browser acknowledges every ACK_BYTES parsed, and on an idle timer for the tail.
 * Invariant: ACK_BYTES <= LOW_WATERMARK < HIGH_WATERMARK, or the stream deadlocks
 * (reproduced in research; checked by a unit test).
 */
export const HIGH_WATERMARK = 256 * 1024;
export const LOW_WATERMARK = 64 * 1024;
export const ACK_BYTES = 32 * 1024;
export const ACK_IDLE_MS = 100;

/** Output coalescing: flush after this long or this many bytes, at once after input. */
export const COALESCE_MS = 4;
export const COALESCE_BYTES = 64 * 1024;
