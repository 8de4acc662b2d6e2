/**
 * The agent's logger: one JSON object per line,
 *   {"time","level","component":"agent","msg", "session"?, ...fields}
 * so a log collector can index it without parsing prose. On a terminal (stdout is a TTY) the same
 * record is printed as `[agent] msg session=…`. warn and error go to stderr, the rest to stdout.
 * The web tier uses this same logger with its own component and request ids (server/log.ts); the
 * line format is the contract (docs/operations.md).
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type FieldValue = string | number | boolean | null | undefined;
/** Extra fields of a line; `session` is the one every search starts from. */
export type LogFields = { session?: string | undefined; request?: string | undefined } & Record<string, FieldValue>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. one request's id). */
  child(fields: LogFields): Logger;
}

/** What modules accept: a Logger, or a plain function (tests pass one to collect lines). */
export type LogSink = Logger | ((msg: string) => void);

export interface LogRecord {
  time: string;
  level: Level;
  component: string;
  msg: string;
  fields: LogFields;
}

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The JSON line for one record: fixed keys first, then session and request, then the rest. */
export function formatJson(r: LogRecord): string {
  const { session, request, ...rest } = r.fields;
  const out: Record<string, FieldValue> = { time: r.time, level: r.level, component: r.component, msg: r.msg };
  if (session !== undefined) out.session = session;
  if (request !== undefined) out.request = request;
  for (const [k, v] of Object.entries(rest)) {
    // The fixed keys are the record's; a field may not overwrite them.
    if (v !== undefined && !(k in out)) out[k] = v;
  }
  return JSON.stringify(out);
}

/** The line a person reads on a terminal. */
export function formatText(r: LogRecord): string {
  const extra = Object.entries(r.fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
  const level = r.level === 'info' ? '' : `${r.level.toUpperCase()}: `;
  return `[${r.component}] ${level}${r.msg}${extra.length ? `  ${extra.join(' ')}` : ''}`;
}

export interface LoggerOptions {
  component?: string;
  /** Lines below this level are dropped. */
  level?: Level;
  /** Text lines instead of JSON (default: when stdout is a TTY). */
  text?: boolean;
  /** Where lines go (default: stdout, or stderr for warn and error). */
  write?: (line: string, level: Level) => void;
  now?: () => Date;
}

const defaultWrite = (line: string, level: Level) => (RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(`${line}\n`);

export function createLogger(o: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const component = o.component ?? 'agent';
  const min = RANK[o.level ?? 'info'];
  const text = o.text ?? process.stdout.isTTY === true;
  const write = o.write ?? defaultWrite;
  const now = o.now ?? (() => new Date());
  const emit = (level: Level, msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    const r: LogRecord = { time: now().toISOString(), level, component, msg, fields: { ...bound, ...fields } };
    write(text ? formatText(r) : formatJson(r), level);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(o, { ...bound, ...fields }),
  };
}

/** A plain function as a Logger: every level goes to it, fields are dropped. */
export function asLogger(sink: LogSink): Logger {
  if (typeof sink !== 'function') return sink;
  const self: Logger = { debug: sink, info: sink, warn: sink, error: sink, child: () => self };
  return self;
}
