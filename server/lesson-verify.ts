/**
 * Lessons are tested like code (DESIGN.md §5): against real sandboxes,
 *  1. no check passes vacuously: on an untouched sandbox (set up as the lesson page would) every
 *     step's check fails, with a reason in each language the learner can act on;
 *  2. the reference solution works: each step's solution commands, typed into their terminals in
 *     order, make that step's check pass;
 *  3. the Run buttons work: each step's Run blocks, typed in order as a learner clicking them
 *     would, make that step's check pass;
 *  and, for the whole course, 4. the Run buttons of every lesson, in course order in ONE sandbox,
 *     pass every check: what one lesson leaves behind must not break the next.
 * One owner for `lab lessons verify` and the integration test that runs it for every lesson.
 *
 * Typing follows a learner, not a script: a command is typed, then the driver waits until the
 * terminal is quiet (not until the command ends: a ping never does), and a check that fails is
 * asked again for a while, as the page's auto-check does.
 */
import { randomBytes } from 'node:crypto';
import type { Lesson, Locale } from '../protocol/lesson';
import type { TerminalId } from '../protocol/messages';
import { commandKeystrokes } from '../components/terminal/client-frames';
import type { AgentClient } from './agent-client';
import { runCheck, type CheckResult } from './checks';
import { LessonSetups } from './lesson-setup';
import { runBlocks } from './lessons';
import { TermClient } from './terminal-driver';

export type Phase = 'untouched' | 'solution' | 'run-buttons' | 'course';

export interface StepVerdict {
  lesson: string;
  step: string;
  phase: Phase;
  ok: boolean;
  detail: string;
}

/** A check's reason must be a sentence, not a bare status. */
const MIN_REASON = 10;
/** How long a failing check is retried after its step's commands were typed. */
const PASS_WITHIN_MS = 20_000;
const RETRY_MS = 500;
const HAS_CHINESE = /[\u4e00-\u9fff]/;

interface Keystrokes {
  terminal: TerminalId;
  text: string;
  ctrlC: boolean;
}

function sessionId(): string {
  return `verify-${randomBytes(9).toString('base64url')}`;
}

/** One fresh sandbox, its terminals opened on demand, disposed in one place. */
class Sandbox {
  readonly id = sessionId();
  private readonly terminals = new Map<TerminalId, TermClient>();
  private readonly setups = new LessonSetups();

  constructor(private readonly agent: AgentClient) {}

  async terminal(id: TerminalId): Promise<TermClient> {
    let t = this.terminals.get(id);
    if (!t) {
      t = new TermClient(this.agent, this.id, id);
      this.terminals.set(id, t);
      await t.opened();
      await t.settle();
    }
    return t;
  }

  /** The lesson page runs the set-up when it opens; a set-up that fails fails the lesson. */
  async setUp(lesson: Lesson): Promise<CheckResult> {
    await this.terminal('1');
    return this.setups.ensure(this.agent, this.id, lesson, 'en');
  }

  async type(k: Keystrokes): Promise<void> {
    const t = await this.terminal(k.terminal);
    if (k.ctrlC) {
      t.type('\x03');
      await t.settle(400, 2_000);
    }
    t.type(commandKeystrokes(k.text));
    await t.settle();
  }

  check(script: string, lang: Locale = 'en'): Promise<CheckResult> {
    return runCheck(this.agent, this.id, script, { lang, explorer: true });
  }

  /** Ask until the check passes or PASS_WITHIN_MS is over; the last answer is the verdict. */
  async checkUntilPassed(script: string): Promise<CheckResult> {
    const deadline = Date.now() + PASS_WITHIN_MS;
    for (;;) {
      const r = await this.check(script);
      if (r.passed || Date.now() >= deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  async close(): Promise<void> {
    for (const t of this.terminals.values()) t.close();
    await this.agent.dispose(this.id, 'verification over').catch(() => undefined);
  }
}

async function inSandbox<T>(agent: AgentClient, body: (s: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = new Sandbox(agent);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.close();
  }
}

type StepKeystrokes = (step: Lesson['steps'][number]) => Keystrokes[];

const solutionOf: StepKeystrokes = (step) => step.solution.map((c) => ({ terminal: c.terminal ?? step.terminal, text: c.run, ctrlC: c.ctrlC ?? false }));
const runButtonsOf: StepKeystrokes = (step) => runBlocks(step.markdown.en, step.terminal).map((b) => ({ terminal: b.terminal, text: b.code, ctrlC: b.ctrlC }));

/** Type each step's keystrokes, then expect its check to pass; appends one verdict per checked step. */
async function replay(sandbox: Sandbox, lesson: Lesson, phase: Phase, keys: StepKeystrokes, out: StepVerdict[]): Promise<void> {
  const setup = await sandbox.setUp(lesson);
  if (!setup.passed) {
    out.push({ lesson: lesson.slug, step: '(setup)', phase, ok: false, detail: setup.message });
    return;
  }
  for (const step of lesson.steps) {
    for (const k of keys(step)) await sandbox.type(k);
    const r = await sandbox.checkUntilPassed(step.checkScript);
    out.push({ lesson: lesson.slug, step: step.id, phase, ok: r.passed, detail: r.message });
  }
}

/** Phases 1–3 for one lesson, each in a fresh sandbox. */
export async function verifyLesson(agent: AgentClient, lesson: Lesson): Promise<StepVerdict[]> {
  const out: StepVerdict[] = [];
  await inSandbox(agent, async (sandbox) => {
    const setup = await sandbox.setUp(lesson);
    if (!setup.passed) out.push({ lesson: lesson.slug, step: '(setup)', phase: 'untouched', ok: false, detail: setup.message });
    for (const step of lesson.steps) {
      const en = await sandbox.check(step.checkScript, 'en');
      const zh = await sandbox.check(step.checkScript, 'zh');
      const problem = en.passed
        ? 'passed on an untouched sandbox'
        : en.message.length < MIN_REASON
          ? `the reason "${en.message}" does not tell the learner what to do`
          : !HAS_CHINESE.test(zh.message)
            ? `the reason has no Chinese version (use fail "English" "中文"): "${zh.message}"`
            : null;
      out.push({ lesson: lesson.slug, step: step.id, phase: 'untouched', ok: problem === null, detail: problem ?? en.message });
    }
  });
  await inSandbox(agent, (sandbox) => replay(sandbox, lesson, 'solution', solutionOf, out));
  await inSandbox(agent, (sandbox) => replay(sandbox, lesson, 'run-buttons', runButtonsOf, out));
  return out;
}

/** Phase 4: every lesson's Run buttons in course order, in one sandbox, as one learner. */
export function verifyCourse(agent: AgentClient, lessons: readonly Lesson[]): Promise<StepVerdict[]> {
  return inSandbox(agent, async (sandbox) => {
    const out: StepVerdict[] = [];
    for (const lesson of lessons) await replay(sandbox, lesson, 'course', runButtonsOf, out);
    return out;
  });
}
