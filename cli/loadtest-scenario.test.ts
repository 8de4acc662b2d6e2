import { describe, expect, it } from 'vitest';
import { listLessons } from '../server/lessons';
import {
  between,
  isTimedKey,
  KEY_GAP_MS,
  keyGaps,
  learnerSeed,
  lessonIndex,
  scenarioLessons,
  seededRandom,
  THINK_MS,
} from './loadtest-scenario';

describe('the load scenario comes from the real lessons', async () => {
  const lessons = await listLessons();
  const scenario = scenarioLessons(lessons);

  it('has every lesson in course order, every step, every solution command', () => {
    expect(scenario.map((l) => l.slug)).toEqual([...lessons].sort((a, b) => a.order - b.order).map((l) => l.slug));
    for (const lesson of scenario) {
      const source = lessons.find((l) => l.slug === lesson.slug)!;
      expect(lesson.steps.map((s) => s.step)).toEqual(source.steps.map((s) => s.id));
      lesson.steps.forEach((step, j) => expect(step.commands).toHaveLength(source.steps[j]!.solution.length));
      expect(lesson.hasSetup).toBe(source.setupScript !== undefined);
    }
  });

  it('types a solution command as its keys, Enter included, into the terminal it names', () => {
    const first = scenario.find((l) => l.slug === 'what-is-a-container')!.steps[0]!;
    expect(first.commands[0]).toEqual({ terminal: '1', keys: 'ps aux\r', ctrlC: false });
    // A command for another terminal than the step's goes there; Ctrl-C is kept where the lesson asks for it.
    const veth = scenario.find((l) => l.slug === 'network-namespaces')!.steps.find((s) => s.step === 'veth')!;
    expect(veth.commands.every((c) => c.terminal === '2')).toBe(true);
    expect(veth.commands.at(-1)).toMatchObject({ ctrlC: true, keys: 'ip -n red -s link show veth-red\r' });
    const pidLeave = scenario.find((l) => l.slug === 'pid-namespaces')!.steps.find((s) => s.step === 'leave')!;
    expect(pidLeave.commands.map((c) => c.terminal)).toEqual(['2', '1', '1', '1', '2']);
  });

  it('turns a multi-line command into one Enter per line', () => {
    const runIt = scenario.find((l) => l.slug === 'putting-it-together')!.steps.find((s) => s.step === 'run-it')!;
    const keys = runIt.commands[0]!.keys;
    expect(keys).not.toContain('\n');
    expect(keys.split('\r').length).toBeGreaterThan(2);
    expect(keys.endsWith('\r')).toBe(true);
  });

  it('starts learners at different lessons and cycles through the course', () => {
    const n = scenario.length;
    expect(lessonIndex(n, 0, 0)).toBe(0);
    expect(lessonIndex(n, 1, 0)).toBe(1);
    expect(lessonIndex(n, n, 0)).toBe(0);
    expect(Array.from({ length: n + 1 }, (_, k) => lessonIndex(n, 3, k))).toEqual([...Array.from({ length: n }, (_, k) => (3 + k) % n), 3]);
    expect(() => lessonIndex(0, 0, 0)).toThrow(RangeError);
  });
});

describe('typing at human speed', () => {
  it('keeps every key gap between 125 and 200 ms (5 to 8 keys per second), with jitter', () => {
    const random = seededRandom(1);
    const gaps = keyGaps('x'.repeat(5000), random);
    expect(gaps).toHaveLength(5000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(KEY_GAP_MS.min);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(KEY_GAP_MS.max);
    expect(KEY_GAP_MS).toEqual({ min: 125, max: 200 });
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(155);
    expect(mean).toBeLessThan(170);
    // Jitter: not one rhythm.
    expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(50);
  });

  it('thinks between 0.5 and 2 s after a command', () => {
    const random = seededRandom(2);
    for (let i = 0; i < 1000; i++) {
      const t = between(random, THINK_MS);
      expect(t).toBeGreaterThanOrEqual(500);
      expect(t).toBeLessThanOrEqual(2000);
    }
  });

  it('is repeatable from a seed, and learners do not type in lockstep', () => {
    const a = keyGaps('hello', seededRandom(learnerSeed(7, 0)));
    expect(keyGaps('hello', seededRandom(learnerSeed(7, 0)))).toEqual(a);
    expect(keyGaps('hello', seededRandom(learnerSeed(7, 1)))).not.toEqual(a);
    expect(keyGaps('hello', seededRandom(learnerSeed(8, 0)))).not.toEqual(a);
    const r = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('times the echo of printable keys only', () => {
    expect(['a', 'Z', '0', ' ', '~', '$', '|'].every(isTimedKey)).toBe(true);
    expect(['\r', '\x03', '\t', '\x7f', 'ab', ''].some(isTimedKey)).toBe(false);
  });
});
