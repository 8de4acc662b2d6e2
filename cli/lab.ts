/**
 * `lab`: a tool for content authors and operators.
 *   lab run -- CMD [ARG...]   run CMD in a fresh sandbox (default profile); stdout and stderr
 *                             pass through, the exit status is CMD's (128+N when killed by N)
 *   lab shell                 an interactive shell in a fresh sandbox
 *   lab lessons verify [SLUG] replay lessons in fresh sandboxes (server/lesson-verify.ts): every
 *                             check must fail untouched and pass after its step's solution and
 *                             after its Run buttons; without SLUG, also the whole course's Run
 *                             buttons in one sandbox
 *   lab loadtest --learners N --duration D [--url URL] [--ramp S]
 *                             a class of simulated learners against a running web tier
 *                             (cli/loadtest.ts); needs no agent of its own
 * It talks to the running agent (LAB_AGENT_SOCKET, token from LAB_AGENT_TOKEN or
 * .lab/agent-token) when one answers, and otherwise starts an embedded agent in this process.
 * Either way the sandbox is disposed when the command ends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeServerFrame, encodeClientFrame } from '../protocol/frames';
import { MAX_COLS, MAX_ROWS, MIN_COLS, MIN_ROWS } from '../protocol/limits';
import { parseControl, ServerControl } from '../protocol/messages';
import type { Agent } from '../sandbox-agent/src/agent';
import { startPrivateAgent } from '../sandbox-agent/src/private-agent';
import type { Lesson } from '../protocol/lesson';
import { AgentClient } from '../server/agent-client';
import { verifyCourse, verifyLesson, type StepVerdict } from '../server/lesson-verify';
import { getLesson, LessonError, listLessons } from '../server/lessons';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LESSONS = join(root, 'lessons');
const USAGE = `usage: lab run -- CMD [ARG...]   run CMD in a fresh sandbox
       lab shell               interactive shell in a fresh sandbox
       lab lessons verify [SLUG]  check every lesson (or one) against its reference solution
       lab loadtest --learners N --duration D [--url URL] [--ramp S]  simulate a class (lab loadtest --help)`;

function fail(message: string, status = 2): never {
  process.stderr.write(`lab: ${message}\n`);
  process.exit(status);
}

type Args = { mode: 'run'; cmd: string[] } | { mode: 'shell' } | { mode: 'verify'; slug?: string } | { mode: 'loadtest'; argv: string[] };

function parseArgs(argv: string[]): Args {
  const [verb, ...rest] = argv;
  if (verb === 'shell' && rest.length === 0) return { mode: 'shell' };
  if (verb === 'loadtest') return { mode: 'loadtest', argv: rest };
  if (verb === 'lessons' && rest[0] === 'verify' && rest.length <= 2) return { mode: 'verify', slug: rest[1] };
  if (verb === 'run') {
    const cmd = rest[0] === '--' ? rest.slice(1) : rest;
    if (cmd.length === 0) fail(`run needs a command\n${USAGE}`);
    return { mode: 'run', cmd };
  }
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(verb === undefined ? 2 : 0);
  }
  fail(`unknown command '${verb}'\n${USAGE}`);
}

/** The running agent if it answers with our token; otherwise an embedded one in this process. */
async function connect(): Promise<{ client: AgentClient; embedded?: Agent }> {
  const dataDir = resolve(process.env.LAB_DATA_DIR ?? join(root, '.lab'));
  const socket = resolve(process.env.LAB_AGENT_SOCKET ?? join(dataDir, 'agent.sock'));
  const tokenFile = join(dataDir, 'agent-token');
  const token = process.env.LAB_AGENT_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (token && existsSync(socket)) {
    const client = new AgentClient('running', socket, token);
    if (await client.probe()) return { client };
  }
  // Far from the server's id ranges (README "Settings") and from the test harness's.
  const { agent: embedded, token: ownToken } = await startPrivateAgent({ purpose: 'cli', slots: 4, uidBase: 4_000_000, subidBase: 1_500_000_000 });
  return { client: new AgentClient('embedded', embedded.socketPath, ownToken), embedded };
}

function termSize(): { cols: number; rows: number } {
  const clamp = (v: number | undefined, lo: number, hi: number, d: number) => Math.min(hi, Math.max(lo, v ?? d));
  return { cols: clamp(process.stdout.columns, MIN_COLS, MAX_COLS, 80), rows: clamp(process.stdout.rows, MIN_ROWS, MAX_ROWS, 24) };
}

/** The lessons `lab lessons verify` names (all, or one), found before any sandbox starts. */
async function lessonsToVerify(slug: string | undefined): Promise<Lesson[]> {
  try {
    if (slug === undefined) return await listLessons(LESSONS);
    const lesson = await getLesson(slug, LESSONS);
    if (!lesson) fail(`no lesson "${slug}"`);
    return [lesson];
  } catch (e) {
    // A broken lesson: the message names the file and the problem; a stack trace adds nothing.
    if (e instanceof LessonError) fail(e.message, 1);
    throw e;
  }
}

/** `lab lessons verify`: one line per check and phase; status 1 if any failed. */
async function verify(client: AgentClient, lessons: Lesson[], wholeCourse: boolean): Promise<number> {
  let failed = 0;
  const print = (verdicts: StepVerdict[]) => {
    for (const v of verdicts) {
      if (!v.ok) failed++;
      process.stdout.write(`${v.ok ? 'ok  ' : 'FAIL'} ${v.lesson}/${v.step} (${v.phase}): ${v.detail}\n`);
    }
  };
  for (const lesson of lessons) print(await verifyLesson(client, lesson));
  if (wholeCourse) print(await verifyCourse(client, lessons));
  process.stdout.write(failed ? `${failed} check(s) failed\n` : 'every check holds\n');
  return failed ? 1 : 0;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // A client of a running web tier: no agent, no root needed (root only lets it count sandboxes).
  if (args.mode === 'loadtest') return (await import('./loadtest')).loadtestMain(args.argv);
  if (process.getuid?.() !== 0) fail('needs root (sandboxes use cgroups and user namespaces)');
  const lessons = args.mode === 'verify' ? await lessonsToVerify(args.slug) : [];
  const { client, embedded } = await connect().catch((e: Error) => fail(e.message, 125));
  if (args.mode === 'verify') {
    try {
      return await verify(client, lessons, args.slug === undefined);
    } finally {
      // A private agent removes its sandboxes and cgroups only when closed.
      await embedded?.close();
    }
  }
  const tty = args.mode === 'shell';
  const ws = client.open({
    session: { id: `cli-${randomBytes(9).toString('base64url')}`, create: true, disposeOnClose: true },
    channel: { kind: 'run', argv: args.mode === 'run' ? args.cmd : ['/bin/bash', '-l'], tty, ...termSize() },
  });
  const status = await new Promise<number>((resolveStatus) => {
    let exit = 125;
    ws.on('open', () => {
      if (tty) {
        process.stdin.setRawMode?.(true);
        process.stdout.on('resize', () => {
          const { cols, rows } = termSize();
          ws.send(encodeClientFrame({ op: 'resize', cols, rows }));
        });
      }
      if (tty || !process.stdin.isTTY) {
        process.stdin.on('data', (d: Buffer) => {
          for (let off = 0; off < d.length; off += 16 * 1024) ws.send(encodeClientFrame({ op: 'input', data: d.subarray(off, off + 16 * 1024) }));
        });
        process.stdin.on('end', () => ws.send(encodeClientFrame({ op: 'eof' })));
      } else {
        ws.send(encodeClientFrame({ op: 'eof' }));
      }
    });
    ws.on('message', (data: Buffer) => {
      const f = decodeServerFrame(data);
      if (f.op === 'output') {
        process.stdout.write(f.data);
        if (tty) ws.send(encodeClientFrame({ op: 'ack', seq: f.seq + f.data.length }));
      } else if (f.op === 'stderr') {
        process.stderr.write(f.data);
      } else {
        const m = parseControl(ServerControl, f.json);
        if (m.ok && m.value.type === 'exit') exit = m.value.code ?? 128 + (m.value.signal ?? 0);
        if (m.ok && m.value.type === 'notice') process.stderr.write(`lab: ${m.value.message}\n`);
      }
    });
    ws.on('close', (code, reason) => {
      if (code !== 1000) process.stderr.write(`lab: the sandbox closed the connection (${code}${reason.length ? `: ${reason}` : ''})\n`);
      resolveStatus(exit);
    });
    ws.on('error', (e) => {
      process.stderr.write(`lab: ${e.message}\n`);
      resolveStatus(125);
    });
  });
  if (tty) process.stdin.setRawMode?.(false);
  process.stdin.destroy();
  await embedded?.close();
  return status;
}

process.exitCode = await main();
