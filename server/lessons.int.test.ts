/**
 * Every lesson verified against real sandboxes (server/lesson-verify.ts): no check passes on an
 * untouched sandbox; the reference solution and the Run buttons each pass every check, step by
 * step; and the Run buttons of the whole course, in one sandbox, pass them all in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannotRun, startHarness, type Harness } from '../sandbox-agent/test/harness';
import { verifyCourse, verifyLesson } from './lesson-verify';
import { listLessons } from './lessons';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

const lessons = await listLessons();
/** Typing at a learner's pace takes a while: a lesson's three replays, or the whole course. */
const LESSON_MS = 300_000;
const COURSE_MS = 900_000;

describe.skipIf(reason !== null)('lessons verified in real sandboxes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  for (const lesson of lessons) {
    it(
      `${lesson.slug}: no check passes untouched; the solution and the Run buttons pass them all`,
      async () => {
        const verdicts = await verifyLesson(h.client, lesson);
        expect(verdicts.filter((v) => !v.ok)).toEqual([]);
        expect(verdicts).toHaveLength(3 * lesson.steps.length);
      },
      LESSON_MS,
    );
  }

  it(
    'the whole course, Run buttons only, in one sandbox',
    async () => {
      const verdicts = await verifyCourse(h.client, lessons);
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
      expect(verdicts).toHaveLength(lessons.reduce((n, l) => n + l.steps.length, 0));
    },
    COURSE_MS,
  );
});
