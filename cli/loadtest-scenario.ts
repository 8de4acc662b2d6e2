/**
 * What a simulated learner does, as data (pure: no sockets, no clock), so the scenario is
 * unit-tested. Taken from the real lessons (server/lessons.ts): a learner opens a lesson, works
 * through its steps typing each step's reference solution commands into their terminals at human
 * speed, checks the step, and goes on to the next lesson, cycling through the course.
 *
 * Learners start at different lessons (learner i at lesson i mod count), so a class exercises
 * every lesson at once rather than all typing `ps aux` together.
 */
import { commandKeystrokes } from '../components/terminal/client-frames';
import type { Lesson } from '../protocol/lesson';
import type { TerminalId } from '../protocol/messages';

/** One command as a learner types it: into which terminal, whether Ctrl-C goes first. */
export interface TypedCommand {
  terminal: TerminalId;
  /** The keys, Enter included (`\r`, one per line of a multi-line command). */
  keys: string;
  ctrlC: boolean;
}

export interface ScenarioStep {
  step: string;
  commands: TypedCommand[];
}

export interface ScenarioLesson {
  slug: string;
  /** Whether the lesson page asks for a set-up when it opens (it always asks; this says if it does anything). */
  hasSetup: boolean;
  steps: ScenarioStep[];
}

/**
 * Human typing: 5 to 8 keys per second. Each gap is drawn uniformly between these bounds, so a
 * learner's rhythm has jitter but never bursts faster than a person or stalls mid-word.
 */
export const KEY_GAP_MS = { min: 1000 / 8, max: 1000 / 5 } as const;
/** After a command's output has settled: reading it before typing on. */
export const THINK_MS = { min: 500, max: 2_000 } as const;
/** The lesson page's quiet auto-check while a step is open (components/lesson/step-check.tsx). */
export const AUTO_CHECK_MS = 5_000;
/** A check that does not pass yet is clicked again this often, this many times, then the learner moves on. */
export const CHECK_RETRY_MS = 2_000;
export const CHECK_TRIES = 3;

/** The steps of every lesson, in course order, with the keys their solutions type. */
export function scenarioLessons(lessons: readonly Lesson[]): ScenarioLesson[] {
  return [...lessons]
    .sort((a, b) => a.order - b.order)
    .map((lesson) => ({
      slug: lesson.slug,
      hasSetup: lesson.setupScript !== undefined,
      steps: lesson.steps.map((step) => ({
        step: step.id,
        commands: step.solution.map((c) => ({ terminal: c.terminal ?? step.terminal, keys: commandKeystrokes(c.run), ctrlC: c.ctrlC ?? false })),
      })),
    }));
}

/** Index into the course of the `k`-th lesson learner `learner` works on (0-based both). */
export function lessonIndex(lessonCount: number, learner: number, k: number): number {
  if (lessonCount <= 0) throw new RangeError('no lessons');
  return (learner + k) % lessonCount;
}

/**
 * A key's echo is measurable when the terminal prints that very character back: printable ASCII.
 * Enter prints a newline and the command's output, Ctrl-C prints `^C`: not an echo to time.
 */
export function isTimedKey(key: string): boolean {
  return key.length === 1 && key >= ' ' && key <= '~';
}

/** Small seeded generator (mulberry32): the same seed gives the same typing rhythm. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A value drawn uniformly from [min, max]. */
export function between(random: () => number, range: { min: number; max: number }): number {
  return range.min + random() * (range.max - range.min);
}

/** Per-learner seed from the run's seed, so learners do not type in lockstep. */
export function learnerSeed(runSeed: number, learner: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 2_654_435_761) + learner * 40_503) >>> 0;
}

/** Key gaps for typing `keys`: one per key, the first one included (the hand moves to the keyboard). */
export function keyGaps(keys: string, random: () => number): number[] {
  return [...keys].map(() => between(random, KEY_GAP_MS));
}
