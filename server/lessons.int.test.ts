/**
 * Every lesson verified against real sandboxes (server/lesson-verify.ts): no check passes on an
 * untouched sandbox, and the reference solution passes every check, step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, startHarness, type Harness } from '../sandbox-agent/test/harness';
import { verifyLesson } from './lesson-verify';
import { listLessons } from './lessons';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const lessons = await listLessons();

describe.skipIf(reason !== null)('lessons verified in real sandboxes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  for (const lesson of lessons) {
    it(`${lesson.slug}: no check passes untouched; the reference solution passes them all`, async () => {
      const verdicts = await verifyLesson(h.client, lesson);
      const checked = lesson.steps.filter((s) => s.checkScript !== undefined).length;
      expect(verdicts).toHaveLength(2 * checked);
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    });
  }
});
