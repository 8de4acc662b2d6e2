/**
 * Step check latency (issue 5 item 6): a learner whose sandbox runs (a terminal connected
 * through the gateway) POSTs /api/check for real lesson steps, one request at a time, every step
 * of every lesson in turn. A failing check is as good a sample as a passing one, but a failing
 * check stops at its first unmet condition, so each learner first types the first lesson's
 * solution and that lesson's checks pass: the samples hold both kinds.
 *
 * To tell the agent's share from the web tier's, each HTTP sample is paired with the same check
 * run straight through the agent (server/checks.ts runCheck on the agent's socket, as the web tier
 * does, minus HTTP, the lesson loader and the database). Two floors show what any check costs:
 * `true` started in the sandbox (labsbx exec) and bash with the prelude and no script.
 */
import { Agent as HttpAgent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Lesson, Locale } from '../../protocol/lesson';
import { decodeServerFrame } from '../../protocol/frames';
import { AgentClient } from '../../server/agent-client';
import { runCheck } from '../../server/checks';
import { COOKIE } from '../../server/identity';
import { getLesson, listLessons } from '../../server/lessons';
import { percentile, type BenchContext, type Figure, type FigureModule } from '../figure';
import { escapeRegExp, openShell, resetSandbox, setPrompt, type GatewayClient } from '../lib/gateway-client';
import { ROOT } from '../lib/server';

export const CHECK_TARGET_P99_MS = 500;

// ---------------------------------------------------------------------------------------------
// Pure parts (check.test.ts)

export interface StepRef {
  lesson: string;
  step: string;
  script: string;
}

/** Every step of every lesson, in course order. */
export function allSteps(lessons: readonly Pick<Lesson, 'slug' | 'steps'>[]): StepRef[] {
  return lessons.flatMap((l) => l.steps.map((s) => ({ lesson: l.slug, step: s.id, script: s.checkScript })));
}

/** Sample i: which learner asks (round robin) and for which step (the course, over and over). */
export function schedule(samples: number, learners: number, steps: number): Array<{ learner: number; step: number }> {
  if (learners < 1 || steps < 1) throw new RangeError('schedule: need at least one learner and one step');
  return Array.from({ length: samples }, (_, i) => ({ learner: i % learners, step: i % steps }));
}

/** What /api/check answers: a verdict (200), or an error (409 no sandbox, 404, 502…). */
export const CheckReply = z.union([z.object({ passed: z.boolean(), message: z.string() }), z.object({ error: z.string() })]);
export type CheckReply = z.infer<typeof CheckReply>;

export function parseCheckReply(status: number, body: string): { ok: true; passed: boolean } | { ok: false; why: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, why: `HTTP ${status}: not JSON: ${body.slice(0, 100)}` };
  }
  const r = CheckReply.safeParse(json);
  if (!r.success) return { ok: false, why: `HTTP ${status}: unexpected body ${body.slice(0, 100)}` };
  if (status !== 200 || 'error' in r.data) return { ok: false, why: `HTTP ${status}: ${'error' in r.data ? r.data.error : body.slice(0, 100)}` };
  return { ok: true, passed: r.data.passed };
}

/** Median of the paired differences a[i] - b[i]: what the HTTP path adds to the same check. */
export function pairedMedian(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError('pairedMedian: the series differ in length');
  return percentile(
    a.map((x, i) => x - b[i]!),
    50,
  );
}

/** The step whose checks took longest at the median, with that median. */
export function slowestStep(byStep: ReadonlyMap<string, readonly number[]>): { step: string; p50: number } | null {
  let worst: { step: string; p50: number } | null = null;
  for (const [step, xs] of byStep) {
    if (xs.length === 0) continue;
    const p50 = percentile(xs, 50);
    if (!worst || p50 > worst.p50) worst = { step, p50 };
  }
  return worst;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------------------------------------

/** `agent`: keep-alive, as a browser does, so the figure is the server's time, not a TCP handshake's. */
function post(agent: HttpAgent, baseUrl: string, path: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
  const url = new URL(path, baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { Origin: url.origin, Cookie: `${COOKIE}=${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A bare command through the agent's `run` channel, resolved at exit (the floor of any check). */
function runBare(agent: AgentClient, session: string, argv: string[]): Promise<void> {
  const ws = agent.open({ session: { id: session, create: false, disposeOnClose: false }, channel: { kind: 'run', argv, tty: false } });
  return new Promise((resolve, reject) => {
    ws.on('message', (d: Buffer) => void decodeServerFrame(d));
    ws.on('close', (code, reason) => (code === 1000 ? resolve() : reject(new Error(`run ${argv[0]}: closed ${code} ${reason.toString()}`))));
    ws.on('error', reject);
  });
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  return (await timedValue(f)).ms;
}

async function timedValue<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

const PROMPT = 'bench-check# ';

/**
 * Type a lesson's solution commands into the learner's terminal, each after the previous one's
 * prompt, as a learner would. Best effort: a command that does not come back to the prompt
 * (an interactive one) ends the typing, and fewer checks pass.
 */
async function typeSolutions(shell: GatewayClient, lesson: Lesson, ctx: BenchContext): Promise<void> {
  await setPrompt(shell, PROMPT);
  const prompt = new RegExp(`${escapeRegExp(PROMPT)}$`);
  for (const step of lesson.steps) {
    for (const cmd of step.solution) {
      if ((cmd.terminal ?? step.terminal) !== '1') continue;
      const from = shell.received;
      shell.type(`${cmd.run}\r`);
      try {
        await shell.waitFor(prompt, { fromSeq: from, timeoutMs: 10_000 });
      } catch (e) {
        ctx.log(`check: typing ${lesson.slug}'s solution stopped at ${JSON.stringify(cmd.run)}: ${(e as Error).message.split('\n')[0]}`);
        return;
      }
    }
  }
}

interface Learner {
  shell: GatewayClient;
  session: string;
}

async function run(ctx: BenchContext): Promise<Figure[]> {
  const samples = ctx.quick ? 12 : 240;
  const floors = ctx.quick ? 4 : 60;
  const learnerCount = ctx.quick ? 1 : 3;
  const lang: Locale = 'en';
  const lessonsRoot = join(ROOT, 'lessons');
  const lessons = await listLessons(lessonsRoot);
  const steps = allSteps(lessons);
  const agent = new AgentClient('bench', ctx.agentSocket, ctx.agentToken);
  const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 4 });

  const learners: Learner[] = [];
  try {
    for (let i = 0; i < learnerCount; i++) {
      const shell = await openShell(ctx.baseUrl);
      if (!shell.ready) throw new Error('the gateway said nothing about the session');
      learners.push({ shell, session: shell.ready.session });
    }
    // Each learner has done the first lesson (its solution typed in the terminal), so its checks
    // pass and the samples mix passing checks, which run to their end, with failing ones.
    const done = lessons[0];
    if (done) for (const l of learners) await typeSolutions(l.shell, done, ctx);
    // A lesson's set-up runs once per sandbox, before its first check: a one-off, timed apart.
    const setups: number[] = [];
    for (const l of learners) {
      for (const lesson of lessons.filter((x) => x.setupScript !== undefined)) {
        const ms = await timed(async () => {
          const r = await post(keepAlive, ctx.baseUrl, '/api/lesson-setup', l.shell.token, { lesson: lesson.slug, lang });
          const v = parseCheckReply(r.status, r.body);
          if (!v.ok) throw new Error(`set-up of ${lesson.slug}: ${v.why}`);
        });
        setups.push(ms);
      }
    }

    const http: number[] = [];
    const direct: number[] = [];
    const lessonLoads: number[] = [];
    const byStep = new Map<string, number[]>();
    const passing: number[] = [];
    const failing: number[] = [];
    let errors = 0;
    for (const [i, { learner, step }] of schedule(samples, learners.length, steps.length).entries()) {
      const l = learners[learner]!;
      const s = steps[step]!;
      // Alternate which of the pair goes first, so neither always finds the caches warm.
      const viaAgent = () => timed(() => runCheck(agent, l.session, s.script, { lang, explorer: true }));
      const agentFirst = i % 2 === 1 ? await viaAgent() : undefined;
      const { ms, value: reply } = await timedValue(() => post(keepAlive, ctx.baseUrl, '/api/check', l.shell.token, { lesson: s.lesson, step: s.step, lang }));
      const verdict = parseCheckReply(reply.status, reply.body);
      if (!verdict.ok) {
        // A check that could not run is an error to report, not a latency sample.
        errors++;
        ctx.log(`check: ${s.lesson}/${s.step}: ${verdict.why}`);
        if (errors > samples / 10) throw new Error(`too many checks could not run (${errors}); last: ${verdict.why}`);
        continue;
      }
      (verdict.passed ? passing : failing).push(ms);
      http.push(ms);
      direct.push(agentFirst ?? (await viaAgent()));
      // What the web tier spends per check re-reading and re-validating the lesson (server/api.ts
      // calls getLesson on every request; there is no cache): the same call, timed here.
      lessonLoads.push(await timed(() => getLesson(s.lesson, lessonsRoot)));
      const key = `${s.lesson}/${s.step}`;
      byStep.set(key, [...(byStep.get(key) ?? []), ms]);
    }

    const execTrue: number[] = [];
    const bashPrelude: number[] = [];
    for (let i = 0; i < floors; i++) {
      const l = learners[i % learners.length]!;
      execTrue.push(await timed(() => runBare(agent, l.session, ['true'])));
      bashPrelude.push(await timed(() => runCheck(agent, l.session, 'exit 0', { lang, explorer: true })));
    }

    const slowest = slowestStep(byStep);
    const p99 = percentile(http, 99);
    ctx.log(`check: ${http.length} checks over ${byStep.size} steps, ${passing.length} passed; slowest ${slowest?.step} ${slowest?.p50.toFixed(1)} ms`);
    return [
      {
        name: 'check_latency',
        unit: 'ms',
        p50: round2(percentile(http, 50)),
        p99: round2(p99),
        baseline_p50: null,
        ratio: null,
        target: `p99 ≤ ${CHECK_TARGET_P99_MS} ms`,
        met: p99 <= CHECK_TARGET_P99_MS && errors === 0,
        detail: {
          n: http.length,
          errors,
          learners: learners.length,
          steps: byStep.size,
          passed: passing.length,
          ...(passing.length > 0 ? { passing_p50_ms: round2(percentile(passing, 50)) } : {}),
          ...(failing.length > 0 ? { failing_p50_ms: round2(percentile(failing, 50)) } : {}),
          agent_run_p50_ms: round2(percentile(direct, 50)),
          agent_run_p99_ms: round2(percentile(direct, 99)),
          http_overhead_p50_ms: round2(pairedMedian(http, direct)),
          lesson_load_p50_ms: round2(percentile(lessonLoads, 50)),
          exec_true_p50_ms: round2(percentile(execTrue, 50)),
          exec_true_p99_ms: round2(percentile(execTrue, 99)),
          bash_prelude_p50_ms: round2(percentile(bashPrelude, 50)),
          slowest_step: slowest?.step ?? '',
          slowest_step_p50_ms: round2(slowest?.p50 ?? 0),
          setup_max_ms: setups.length > 0 ? round2(Math.max(...setups)) : 0,
        },
      },
    ];
  } finally {
    keepAlive.destroy();
    for (const l of learners) {
      await l.shell.closeAndWait();
      await resetSandbox(ctx.baseUrl, l.shell.token).catch(() => undefined);
    }
  }
}

export const module: FigureModule = { name: 'check', run };
