/**
 * The web tier's logging: the agent's logger (sandbox-agent/src/log.ts: one JSON object per line,
 * or `[web] msg key=…` on a terminal), with "web" as its component, plus request ids.
 *
 * Request ids: every HTTP request and WebSocket upgrade gets one (`requestIdOf`), returned to
 * the client as `x-request-id` and put on every line logged about it. A well-formed id sent by a
 * proxy in front of us is kept, so one id follows a request through both.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createLogger as createLineLogger, type Logger, type LoggerOptions, type LogFields } from '../sandbox-agent/src/log';

export { asLogger, formatJson, formatText } from '../sandbox-agent/src/log';
export type { FieldValue, Level, LogFields, Logger, LoggerOptions, LogRecord, LogSink } from '../sandbox-agent/src/log';

export function createLogger(o: LoggerOptions = {}, bound: LogFields = {}): Logger {
  return createLineLogger({ component: 'web', ...o }, bound);
}

const requestIds = new WeakMap<IncomingMessage, string>();
/** What we accept from a proxy's x-request-id: short, and nothing that could forge a log line. */
const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The request's id: the one assigned earlier, a proxy's well-formed one, or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (id) return id;
  const given = req.headers['x-request-id'];
  id = typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomBytes(8).toString('hex');
  requestIds.set(req, id);
  return id;
}
