/**
 * JSON control messages, one schema each, validated on receipt by every hop.
 * Browser → gateway: BrowserHello. Gateway (or the lab CLI) → agent: AgentHello, which adds the
 * shared-secret token and the session the gateway resolved from the learner's cookie.
 */
import { z } from 'zod';
import { ExplorerDelta, ExplorerFull } from './explorer';
import { MAX_COLS, MAX_ROWS, MIN_COLS, MIN_ROWS } from './limits';
import { PROTOCOL_VERSION } from './version';

/** Terminal ids are "1".."9": short, bounded, and what a lesson step names. */
export const TerminalId = z.string().regex(/^[1-9]$/, 'terminal id must be a digit 1-9');
export type TerminalId = z.infer<typeof TerminalId>;

/** Session ids are minted by the web tier (or the CLI): url-safe, bounded. */
export const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'malformed session id');

const Cols = z.number().int().min(MIN_COLS).max(MAX_COLS);
const Rows = z.number().int().min(MIN_ROWS).max(MAX_ROWS);
const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Version = z.literal(PROTOCOL_VERSION, { message: `protocol version must be ${PROTOCOL_VERSION}` });

export const TerminalHello = z.strictObject({
  type: z.literal('hello'),
  v: Version,
  terminal: TerminalId,
  cols: Cols,
  rows: Rows,
  /** Sequence number of the first output byte the browser has not rendered yet. */
  resumeFrom: Seq.optional(),
});
export type TerminalHello = z.infer<typeof TerminalHello>;

/** The explorer panel's connection: snapshots of the sandbox's kernel objects, nothing to send. */
export const ExplorerHello = z.strictObject({
  type: z.literal('hello'),
  v: Version,
  channel: z.literal('explorer'),
});
export type ExplorerHello = z.infer<typeof ExplorerHello>;

export const BrowserHello = z.union([TerminalHello, ExplorerHello]);
export type BrowserHello = z.infer<typeof BrowserHello>;

const TerminalChannel = z.strictObject({
  kind: z.literal('terminal'),
  terminal: TerminalId,
  cols: Cols,
  rows: Rows,
  resumeFrom: Seq.optional(),
});

/** A non-interactive command with separate stdout/stderr and an exit status (lab run, checks). */
const RunChannel = z.strictObject({
  kind: z.literal('run'),
  /** One argument may hold a whole lesson script (checks are at most 8 KiB, plus a prelude). */
  argv: z.array(z.string().max(16_384)).min(1).max(256),
  /** Give the command a pty instead of pipes (lab shell). */
  tty: z.boolean().default(false),
  cols: Cols.optional(),
  rows: Rows.optional(),
  /**
   * Write the sandbox's explorer snapshot (protocol/explorer-text.ts) to the command's stdin,
   * then end it: how a lesson check reads the same picture the page shows.
   */
  explorer: z.boolean().optional(),
});

/** Explorer snapshots and deltas of the session's sandbox (protocol/explorer.ts). */
const ExplorerChannel = z.strictObject({ kind: z.literal('explorer') });

/** End the session's sandbox now (the learner's "Reset sandbox"); closes with 1000 when done. */
const DisposeChannel = z.strictObject({
  kind: z.literal('dispose'),
  reason: z.string().min(1).max(200),
});

export const AgentChannel = z.discriminatedUnion('kind', [TerminalChannel, RunChannel, ExplorerChannel, DisposeChannel]);
export type AgentChannel = z.infer<typeof AgentChannel>;

export const AgentHello = z.strictObject({
  type: z.literal('hello'),
  v: Version,
  token: z.string().min(16).max(256),
  session: z.strictObject({
    id: SessionId,
    /** Create the sandbox if the agent has none under this id. */
    create: z.boolean().default(true),
    /** Dispose the whole sandbox when this channel closes (lab run / lab shell). */
    disposeOnClose: z.boolean().default(false),
  }),
  channel: AgentChannel,
});
export type AgentHello = z.infer<typeof AgentHello>;

export const Ready = z.strictObject({
  type: z.literal('ready'),
  session: SessionId,
  terminal: TerminalId.optional(),
  /** Output will continue from this sequence number (replay included). */
  from: Seq,
  /** True when `from` is later than what the client asked for: the gap was lost. */
  gap: z.boolean(),
  cols: Cols.optional(),
  rows: Rows.optional(),
  /** Every terminal the sandbox has open, so a reloaded page can bring them all back. */
  terminals: z.array(TerminalId),
});
export type Ready = z.infer<typeof Ready>;

export const Exit = z.strictObject({
  type: z.literal('exit'),
  code: z.number().int().nullable(),
  signal: z.number().int().nullable(),
});
export type Exit = z.infer<typeof Exit>;

/** Something the learner should read (a limit was hit, the sandbox ended…). */
export const Notice = z.strictObject({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string().max(2000),
});
export type Notice = z.infer<typeof Notice>;

export const ServerControl = z.discriminatedUnion('type', [Ready, Exit, Notice, ExplorerFull, ExplorerDelta]);
export type ServerControl = z.infer<typeof ServerControl>;

/**
 * WebSocket close codes (4000-4999 are for applications, RFC 6455 §7.4.2). The reason string
 * carries a sentence for a person.
 */
export const CloseCode = {
  /** Frame or message did not parse / validate. */
  BAD_FRAME: 4000,
  /** Missing or wrong cookie / token. */
  UNAUTHORIZED: 4001,
  /** Hello had another protocol version. */
  VERSION: 4002,
  /** No such session, and not allowed to create one. */
  NO_SESSION: 4004,
  /** A frame exceeded the size bound. */
  TOO_LARGE: 4008,
  /** A limit refused the request (terminals per sandbox, sandboxes in total…). */
  LIMIT: 4029,
  /** The sandbox ended (disposed, timed out). */
  ENDED: 4010,
  /** The agent failed to do what was asked. */
  INTERNAL: 4500,
} as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parse JSON text against a schema, returning a sentence instead of throwing. */
export function parseControl<T>(schema: z.ZodType<T>, json: string): ParseResult<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, error: 'control message is not valid JSON' };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const first = r.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return { ok: false, error: `invalid message${where}: ${first?.message ?? 'unknown error'}` };
}
