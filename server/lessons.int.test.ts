/**
 * Lessons are tested like code (DESIGN.md §5), against a real sandbox, for every lesson:
 *  - no check passes vacuously: on an untouched sandbox every step's check fails, with a reason;
 *  - the reference solution works: replaying each step's solution commands in its terminals,
 *    in order, makes that step's check pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, newId, startHarness, TermClient, type Harness } from '../sandbox-agent/test/harness';
import { runCheck } from './checks';
import { listLessons } from './lessons';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const lessons = await listLessons();

describe.skipIf(reason !== null)('lessons replayed in real sandboxes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  for (const lesson of lessons) {
    const checked = lesson.steps.filter((s) => s.checkScript !== undefined);

    it(`${lesson.slug}: every check fails on an untouched sandbox, with a reason`, async () => {
      const id = newId();
      const t = new TermClient(h.client, id);
      await t.opened();
      for (const step of checked) {
        const r = await runCheck(h.client, id, step.checkScript!);
        expect(r.passed, `${step.id} passed on an untouched sandbox`).toBe(false);
        expect(r.message.length, `${step.id} gave no reason`).toBeGreaterThan(10);
      }
      t.close();
      await h.agent.sessions.get(id)!.dispose('test over');
    });

    it(`${lesson.slug}: the reference solution passes every check, step by step`, async () => {
      const id = newId();
      const terminals = new Map<string, TermClient>();
      const term = async (tid: string) => {
        let t = terminals.get(tid);
        if (!t) {
          t = new TermClient(h.client, id, tid);
          terminals.set(tid, t);
          await t.opened();
        }
        return t;
      };
      for (const step of lesson.steps) {
        for (const cmd of step.solution ?? []) await (await term(cmd.terminal ?? step.terminal)).command(cmd.run);
        if (step.checkScript === undefined) continue;
        const r = await runCheck(h.client, id, step.checkScript);
        expect(r, `step ${step.id}`).toEqual({ passed: true, message: 'Passed' });
      }
      for (const t of terminals.values()) t.close();
      await h.agent.sessions.get(id)!.dispose('test over');
    });
  }
});
