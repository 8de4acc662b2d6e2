/**
 * What a WebSocket close means for the learner (CloseCode in protocol/messages.ts).
 * Application codes are decisions the server made (bad hello, limit reached, sandbox ended):
 * retrying would only repeat them, so a person decides. Transport failures (1006 lost
 * connection, 1001 server going away, 1011 server error…) heal themselves: reconnect.
 */
import { CloseCode } from '../../protocol/messages';

export type CloseKind =
  /** The sandbox is gone; offer to start a new one. */
  | 'ended'
  /** The server refused: show its sentence, no automatic retry. */
  | 'error'
  /** A deliberate, normal close. */
  | 'normal'
  /** The connection broke: reconnect with backoff. */
  | 'retry';

/** RFC 6455 codes that mean the peers disagree about the protocol: retrying cannot help. */
const PROTOCOL_FAILURES: ReadonlySet<number> = new Set([1002, 1003, 1007, 1008, 1009, 1010]);

export function classifyClose(code: number): CloseKind {
  if (code === CloseCode.ENDED) return 'ended';
  if (code >= 4000 && code <= 4999) return 'error';
  if (code === 1000) return 'normal';
  if (PROTOCOL_FAILURES.has(code)) return 'error';
  return 'retry';
}
