/**
 * One simulated learner of `lab loadtest`: a browser tab on the lesson pages, driven by the
 * scenario (cli/loadtest-scenario.ts). It never throws: every problem is counted in LoadStats
 * (an error, or a dropped terminal), and the learner carries on where a person could (a dropped
 * terminal is reopened, as the page reconnects) or stops where a person could not.
 *
 * Its life: load `/` (the cookie), open terminal 1 and wait for the prompt, then lesson after
 * lesson until the run's end: load the lesson page, ask for its set-up, and per step type the
 * solution's commands key by key (Ctrl-C first where the lesson says so), wait for the output
 * to settle, think, and check the step, while the page's quiet auto-check runs every 5 s. At the
 * end it closes its terminals and resets its sandbox, as the "Reset sandbox" button does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { TerminalId } from '../protocol/messages';
import { LearnerHttp } from './loadtest-http';
import {
  AUTO_CHECK_MS,
  between,
  CHECK_RETRY_MS,
  CHECK_TRIES,
  keyGaps,
  lessonIndex,
  THINK_MS,
  type ScenarioLesson,
  type ScenarioStep,
  type TypedCommand,
} from './loadtest-scenario';
import type { LoadStats } from './loadtest-stats';
import { GatewayTerminal } from './loadtest-terminal';

/** Waiting for a terminal's ready, under load. */
const OPEN_TIMEOUT_MS = 30_000;
const OPEN_TRIES = 3;
/** A command's output counts as settled after this much quiet (a ping never settles: the maximum). */
const SETTLE_QUIET_MS = 400;
const SETTLE_MAX_MS = 8_000;

const CheckReply = z.object({ passed: z.boolean(), message: z.string() });
const ResetReply = z.object({ reset: z.boolean() });

class GaveUp extends Error {}

export interface LearnerSetup {
  index: number;
  base: string;
  lessons: readonly ScenarioLesson[];
  /** Wall clock (Date.now()) after which the learner stops working. */
  endAt: number;
  /** Wall clock when every learner has arrived: echoes after it count as steady state too. */
  steadyAt: number;
  stats: LoadStats;
  random: () => number;
}

export class Learner {
  readonly http: LearnerHttp;
  private readonly terminals = new Map<TerminalId, GatewayTerminal>();
  /** Output position of each terminal, so a reopened one resumes where the old one stopped. */
  private readonly resumeAt = new Map<TerminalId, number>();
  /** The lesson being worked on, to file echo times under. */
  private lesson = '(arriving)';

  constructor(private readonly s: LearnerSetup) {
    this.http = new LearnerHttp(s.base);
  }

  private get over(): boolean {
    return Date.now() >= this.s.endAt;
  }

  private error(what: string): void {
    this.s.stats.error(this.s.index, what);
  }

  /** Work until the run ends, then clean up. Never throws. */
  async run(): Promise<void> {
    try {
      await this.work();
    } catch (e) {
      if (!(e instanceof GaveUp)) this.error(`stopped: ${(e as Error).message}`);
    } finally {
      await this.teardown();
    }
  }

  private async work(): Promise<void> {
    const first = await this.http.page('/').catch((e: Error) => this.fail(`GET /: ${e.message}`));
    if (first.status !== 200) this.fail(`GET / answered ${first.status}`);
    if (!this.http.cookie) this.fail('GET / set no lab_learner cookie');
    await this.terminal('1');
    for (let k = 0; !this.over; k++) {
      const lesson = this.s.lessons[lessonIndex(this.s.lessons.length, this.s.index, k)]!;
      await this.openLesson(lesson);
      for (const step of lesson.steps) {
        if (this.over) break;
        await this.doStep(lesson.slug, step);
      }
    }
  }

  private fail(what: string): never {
    this.error(what);
    throw new GaveUp(what);
  }

  /** The lesson page: load it, then ask for the lesson's set-up as the page does when it opens. */
  private async openLesson(lesson: ScenarioLesson): Promise<void> {
    this.s.stats.lessonsStarted++;
    this.lesson = lesson.slug;
    try {
      const page = await this.http.page(`/lessons/${lesson.slug}`);
      this.s.stats.pageMs.push(page.ms);
      if (page.status !== 200) this.error(`GET /lessons/${lesson.slug} answered ${page.status}`);
    } catch (e) {
      this.error(`GET /lessons/${lesson.slug}: ${(e as Error).message}`);
    }
    try {
      const r = await this.http.post('/api/lesson-setup', { lesson: lesson.slug, lang: 'en' });
      const reply = r.status === 200 ? CheckReply.safeParse(JSON.parse(r.body)) : null;
      if (!reply?.success) this.error(`lesson set-up of ${lesson.slug} answered ${r.status} ${r.body.slice(0, 200)}`);
      else if (!reply.data.passed) this.error(`lesson set-up of ${lesson.slug} failed: ${reply.data.message}`);
    } catch (e) {
      this.error(`lesson set-up of ${lesson.slug}: ${(e as Error).message}`);
    }
  }

  private async doStep(slug: string, step: ScenarioStep): Promise<void> {
    let passed = false;
    let inFlight: Promise<void> | null = null;
    const ask = () => {
      inFlight = this.check(slug, step.step).then((r) => {
        if (r?.passed) passed = true;
        inFlight = null;
      });
    };
    // The page's quiet auto-check: every few seconds while the step is open and not passed,
    // never two at once.
    const timer = setInterval(() => {
      if (!passed && !inFlight && !this.over) ask();
    }, AUTO_CHECK_MS);
    try {
      for (const command of step.commands) {
        if (this.over) return;
        await this.type(command);
      }
    } finally {
      clearInterval(timer);
      await (inFlight as Promise<void> | null);
    }
    if (this.over) return;
    // Done typing: click Check, and again a couple of times if it does not pass yet.
    let last = '';
    for (let i = 0; !passed && i < CHECK_TRIES; i++) {
      if (i > 0) await sleep(CHECK_RETRY_MS);
      const r = await this.check(slug, step.step);
      if (r?.passed) passed = true;
      else if (r) last = r.message;
    }
    if (passed) this.s.stats.stepsPassed++;
    else this.s.stats.stepNotPassed(this.s.index, `${slug}/${step.step}`, last || 'the check could not run');
  }

  /** POST /api/check; null when it errored (counted), else the verdict and its latency counted. */
  private async check(lesson: string, step: string): Promise<z.infer<typeof CheckReply> | null> {
    try {
      const r = await this.http.post('/api/check', { lesson, step, lang: 'en' });
      const reply = r.status === 200 ? CheckReply.safeParse(JSON.parse(r.body)) : null;
      if (!reply?.success) {
        this.error(`check ${lesson}/${step} answered ${r.status} ${r.body.slice(0, 200)}`);
        return null;
      }
      this.s.stats.checkMs.push(r.ms);
      if (reply.data.passed) this.s.stats.checksPassed++;
      else this.s.stats.checksNotPassed++;
      return reply.data;
    } catch (e) {
      this.error(`check ${lesson}/${step}: ${(e as Error).message}`);
      return null;
    }
  }

  /** Type one command at human speed into its terminal, then wait for its output and think. */
  private async type(command: TypedCommand): Promise<void> {
    const t = await this.terminal(command.terminal);
    if (command.ctrlC) {
      t.typeKey('\x03');
      this.s.stats.keystrokes++;
      await t.settle(200, 2_000);
    }
    const gaps = keyGaps(command.keys, this.s.random);
    let i = 0;
    for (const key of command.keys) {
      await sleep(gaps[i++]!);
      if (this.over) return;
      // The terminal may have dropped while we waited: reopen it, as the page reconnects.
      const live = await this.terminal(command.terminal);
      live.typeKey(key);
      this.s.stats.keystrokes++;
    }
    await (await this.terminal(command.terminal)).settle(SETTLE_QUIET_MS, SETTLE_MAX_MS);
    await sleep(between(this.s.random, THINK_MS));
  }

  /** The learner's terminal `id`, opened (or reopened after a drop) and showing its prompt. */
  private async terminal(id: TerminalId): Promise<GatewayTerminal> {
    const open = this.terminals.get(id);
    if (open && !open.closed) return open;
    if (open) this.resumeAt.set(id, open.received);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const t = new GatewayTerminal(this.s.base, this.http.cookie!, id, this.resumeAt.get(id) ?? 0, {
        echo: (ms) => this.s.stats.echo(ms, this.lesson, Date.now() >= this.s.steadyAt),
        unechoed: (n) => (this.s.stats.unechoed += n),
        ended: (end) => (end.kind === 'dropped' ? this.s.stats.drop(this.s.index, `terminal ${id}: ${end.why}`) : this.error(`terminal ${id}: ${end.why}`)),
      });
      this.terminals.set(id, t);
      try {
        await t.opened(OPEN_TIMEOUT_MS);
        this.s.stats.openMs.push(Date.now() - started);
        await t.settle(SETTLE_QUIET_MS, SETTLE_MAX_MS);
        return t;
      } catch (e) {
        // A close during the open was counted by `ended`; a timeout was not.
        if (!t.closed) this.error(`terminal ${id} did not open: ${(e as Error).message.split('\n')[0]}`);
        t.close();
        if (attempt >= OPEN_TRIES) throw new GaveUp(`terminal ${id} could not be opened`);
        await sleep(2_000);
      }
    }
  }

  /** Close every terminal, then reset the sandbox so nothing of this learner is left. */
  private async teardown(): Promise<void> {
    await Promise.all([...this.terminals.values()].map((t) => t.closeAndWait()));
    if (this.http.cookie) {
      try {
        const r = await this.http.post('/api/sandbox/reset');
        const reply = r.status === 200 ? ResetReply.safeParse(JSON.parse(r.body)) : null;
        if (!reply?.success) this.error(`reset answered ${r.status} ${r.body.slice(0, 200)}`);
      } catch (e) {
        this.error(`reset: ${(e as Error).message}`);
      }
    }
    this.http.close();
  }
}
