/**
 * The web tier's own HTTP endpoints, answered before Next.js: actions that need the database and
 * the agents (which live in this process, not in Next's bundles).
 *   POST /api/sandbox/reset   end the learner's sandbox now; the page reconnects to a fresh one
 *   POST /api/check           run a lesson step's check in the learner's sandbox
 *   POST /api/lesson-setup    prepare the learner's sandbox for a lesson (its set-up script)
 *   GET  /api/progress        the steps the learner has passed
 * POSTs are same-origin only (the cookie would ride along on a cross-site form post).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LessonSlug, Locale, type Lesson } from '../protocol/lesson';
import type { AgentRegistry } from './agent-client';
import { NoSandboxError, runCheck } from './checks';
import type { Store } from './db/store';
import { learnerId, readLearnerToken } from './identity';
import type { LessonSetups } from './lesson-setup';
import { getLesson } from './lessons';
import { asLogger, requestIdOf, type Logger, type LogSink } from './log';
import { webMetrics } from './metrics';

type Reply = { status: number; body: Record<string, unknown> };
interface Deps {
  store: Store;
  agents: AgentRegistry;
  setups: LessonSetups;
  log: LogSink;
  /** Where the lessons are (tests use their own); the loader's default otherwise. */
  lessonsRoot?: string;
}

const MAX_BODY = 4 * 1024;
const CheckRequest = z.strictObject({ lesson: LessonSlug, step: z.string().regex(/^[a-z0-9-]{1,40}$/), lang: Locale.default('en') });
const SetupRequest = z.strictObject({ lesson: LessonSlug, lang: Locale.default('en') });
const NOT_RUNNING = 'Your sandbox is not running yet: open a terminal first.';

/** Same origin: an Origin header naming this host. Browsers send one on every POST. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The body as text, or null past MAX_BODY (the rest is read and dropped, so we can still answer). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let body = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooLarge) return;
      body += chunk;
      if (body.length > MAX_BODY) {
        tooLarge = true;
        body = '';
        resolve(null);
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(null));
  });
}

/** What one request's handlers need: the shared deps and a logger carrying the request id. */
type Ctx = Omit<Deps, 'log'> & { log: Logger };

async function reset(req: IncomingMessage, learner: string, deps: Ctx): Promise<Reply> {
  // The request body is ignored; drain it so the connection can be reused.
  req.resume();
  const row = deps.store.activeSession(learner);
  if (!row) return { status: 200, body: { reset: false, message: 'You had no sandbox; a new one starts when a terminal connects.' } };
  // End the row first: whatever happens at the agent, the next connection gets a new sandbox.
  deps.store.endSession(row.id, 'reset by the learner');
  deps.log.info('sandbox reset by the learner', { session: row.id });
  const agent = deps.agents.get(row.agent);
  try {
    if (agent) await agent.dispose(row.id, 'You reset your sandbox; a fresh one is starting.');
    return { status: 200, body: { reset: true } };
  } catch (e) {
    webMetrics.error('reset');
    deps.log.warn(`reset of ${row.id}: ${(e as Error).message}`, { session: row.id });
    return { status: 200, body: { reset: true, message: 'Your old sandbox will be cleaned up shortly.' } };
  }
}

/** The request body as JSON validated by `schema`, or the reply that explains what is wrong. */
async function readRequest<T>(req: IncomingMessage, schema: z.ZodType<T>, shape: string): Promise<{ ok: true; value: T } | { ok: false; reply: Reply }> {
  const text = await readBody(req);
  if (text === null) return { ok: false, reply: { status: 400, body: { error: 'request body too large' } } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reply: { status: 400, body: { error: `body must be JSON: ${shape}` } } };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, reply: { status: 400, body: { error: `body must be ${shape}` } } };
  return { ok: true, value: parsed.data };
}

/** Run the lesson's set-up in the learner's sandbox (once per sandbox); a reply when it could not. */
async function setUp(learner: string, lesson: Lesson, lang: Locale, deps: Ctx): Promise<Reply | null> {
  const row = deps.store.activeSession(learner);
  const agent = row && deps.agents.get(row.agent);
  if (!row || !agent) return { status: 409, body: { error: NOT_RUNNING } };
  try {
    const r = await deps.setups.ensure(agent, row.id, lesson, lang);
    if (r.passed) return null;
    deps.log.warn(`set-up of ${lesson.slug} in ${row.id} failed: ${r.message}`, { session: row.id });
    const why = lang === 'zh' ? `本课的准备脚本失败了：${r.message}` : `This lesson's set-up failed: ${r.message}`;
    return { status: 200, body: { passed: false, message: why } };
  } catch (e) {
    if (e instanceof NoSandboxError) return { status: 409, body: { error: NOT_RUNNING } };
    webMetrics.error('setup');
    deps.log.warn(`set-up of ${lesson.slug}: ${(e as Error).message}`, { session: row.id });
    return { status: 502, body: { error: 'The lesson set-up could not run; try again.' } };
  }
}

async function lessonSetup(req: IncomingMessage, learner: string, deps: Ctx): Promise<Reply> {
  const request = await readRequest(req, SetupRequest, '{"lesson": "<slug>"}');
  if (!request.ok) return request.reply;
  const lesson = await getLesson(request.value.lesson, deps.lessonsRoot);
  if (!lesson) return { status: 404, body: { error: 'no such lesson' } };
  return (await setUp(learner, lesson, request.value.lang, deps)) ?? { status: 200, body: { passed: true, message: 'Passed' } };
}

async function check(req: IncomingMessage, learner: string, deps: Ctx): Promise<Reply> {
  const request = await readRequest(req, CheckRequest, '{"lesson": "<slug>", "step": "<id>"}');
  if (!request.ok) return request.reply;
  const { lang } = request.value;
  const lesson = await getLesson(request.value.lesson, deps.lessonsRoot);
  const step = lesson?.steps.find((s) => s.id === request.value.step);
  if (!lesson || !step) return { status: 404, body: { error: 'no such lesson step' } };
  const notReady = await setUp(learner, lesson, lang, deps);
  if (notReady) return notReady;
  const row = deps.store.activeSession(learner);
  const agent = row && deps.agents.get(row.agent);
  if (!row || !agent) return { status: 409, body: { error: NOT_RUNNING } };
  const stopTimer = webMetrics.checkSeconds.startTimer();
  try {
    const result = await runCheck(agent, row.id, step.checkScript, { lang, explorer: true });
    const seconds = stopTimer();
    webMetrics.checks.inc({ result: result.passed ? 'passed' : 'failed' });
    deps.log.info(`check ${lesson.slug}/${step.id} ${result.passed ? 'passed' : 'failed'}`, { session: row.id, ms: Math.round(seconds * 1000) });
    if (result.passed) deps.store.markPassed(learner, lesson.slug, step.id);
    return { status: 200, body: { ...result } };
  } catch (e) {
    if (e instanceof NoSandboxError) {
      webMetrics.checks.inc({ result: 'no_sandbox' });
      return { status: 409, body: { error: NOT_RUNNING } };
    }
    webMetrics.checks.inc({ result: 'error' });
    webMetrics.error('check');
    deps.log.warn(`check ${lesson.slug}/${step.id}: ${(e as Error).message}`, { session: row.id });
    return { status: 502, body: { error: 'The check could not run; try again.' } };
  }
}

export function createApi(deps: Deps) {
  const log = asLogger(deps.log);
  const send = (res: ServerResponse, r: Reply) =>
    res.writeHead(r.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(r.body));

  return function handleApi(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith('/api/')) return false;
    const routes: Record<string, { method: 'GET' | 'POST'; run: (learner: string, ctx: Ctx) => Promise<Reply> | Reply }> = {
      '/api/sandbox/reset': { method: 'POST', run: (l, c) => reset(req, l, c) },
      '/api/check': { method: 'POST', run: (l, c) => check(req, l, c) },
      '/api/lesson-setup': { method: 'POST', run: (l, c) => lessonSetup(req, l, c) },
      '/api/progress': { method: 'GET', run: (l) => ({ status: 200, body: { passed: deps.store.passedSteps(l) } }) },
    };
    const route = routes[path];
    if (!route) {
      send(res, { status: 404, body: { error: 'no such endpoint' } });
      return true;
    }
    if (req.method !== route.method) {
      res.setHeader('allow', route.method);
      send(res, { status: 405, body: { error: `use ${route.method}` } });
      return true;
    }
    if (route.method === 'POST' && !sameOrigin(req)) {
      send(res, { status: 403, body: { error: 'cross-origin request refused' } });
      return true;
    }
    const token = readLearnerToken(req);
    if (!token) {
      send(res, { status: 401, body: { error: 'no learner cookie; reload the page' } });
      return true;
    }
    const learner = learnerId(token);
    deps.store.touchLearner(learner);
    const ctx: Ctx = { ...deps, log: log.child({ request: requestIdOf(req) }) };
    Promise.resolve(route.run(learner, ctx)).then(
      (r) => send(res, r),
      (e: Error) => {
        webMetrics.error('internal');
        ctx.log.error(`${path}: ${e.message}`);
        send(res, { status: 500, body: { error: 'internal error' } });
      },
    );
    return true;
  };
}
