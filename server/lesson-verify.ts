/**
 * Lessons are tested like code (DESIGN.md §5): against real sandboxes,
 *  1. no check passes vacuously: on an untouched sandbox every step's check must fail, with a
 *     reason the learner can act on;
 *  2. the reference solution works: each step's solution commands, typed into their terminals in
 *     order, make that step's check pass.
 * One owner for both `lab lessons verify` and the integration test that runs it for every lesson.
 */
import { randomBytes } from 'node:crypto';
import type { Lesson } from '../protocol/lesson';
import type { AgentClient } from './agent-client';
import { runCheck } from './checks';
import { TermClient } from './terminal-driver';

export interface StepVerdict {
  step: string;
  phase: 'untouched' | 'solution';
  ok: boolean;
  detail: string;
}

/** A check's reason must be a sentence, not a bare status. */
const MIN_REASON = 10;

function sessionId(): string {
  return `verify-${randomBytes(9).toString('base64url')}`;
}

export async function verifyLesson(agent: AgentClient, lesson: Lesson): Promise<StepVerdict[]> {
  const out: StepVerdict[] = [];
  const checked = lesson.steps.filter((s) => s.checkScript !== undefined);

  // 1. Untouched: one fresh sandbox with a terminal open, nothing typed.
  const fresh = sessionId();
  const first = new TermClient(agent, fresh);
  try {
    await first.opened();
    for (const step of checked) {
      const r = await runCheck(agent, fresh, step.checkScript!);
      const ok = !r.passed && r.message.length >= MIN_REASON;
      out.push({ step: step.id, phase: 'untouched', ok, detail: r.passed ? 'passed on an untouched sandbox' : r.message });
    }
  } finally {
    first.close();
    await agent.dispose(fresh, 'verification over').catch(() => undefined);
  }

  // 2. Solution: another fresh sandbox, the solutions replayed step by step.
  const replay = sessionId();
  const terminals = new Map<string, TermClient>();
  const terminal = async (id: string) => {
    let t = terminals.get(id);
    if (!t) {
      t = new TermClient(agent, replay, id);
      terminals.set(id, t);
      await t.opened();
    }
    return t;
  };
  try {
    for (const step of lesson.steps) {
      for (const cmd of step.solution ?? []) await (await terminal(cmd.terminal ?? step.terminal)).command(cmd.run);
      if (step.checkScript === undefined) continue;
      const r = await runCheck(agent, replay, step.checkScript);
      out.push({ step: step.id, phase: 'solution', ok: r.passed, detail: r.message });
    }
  } finally {
    for (const t of terminals.values()) t.close();
    await agent.dispose(replay, 'verification over').catch(() => undefined);
  }
  return out;
}
