/**
 * Lessons are data (DESIGN.md §5): `lessons/<NN-slug>/lesson.json` plus one Markdown file per
 * step and language. This schema is the contract; server/lessons.ts is the one loader.
 */
import { z } from 'zod';
import { TerminalId } from './messages';

export const Locale = z.enum(['en', 'zh']);
export type Locale = z.infer<typeof Locale>;

/** Text in English and Simplified Chinese: the course is bilingual, every word of it. */
export const Localized = z.strictObject({ en: z.string().min(1), zh: z.string().min(1) });
export type Localized = z.infer<typeof Localized>;

export const LessonSlug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug must be kebab-case');

/** One command of a reference solution. */
export const SolutionCommand = z.strictObject({
  /** Typed into this terminal instead of the step's. */
  terminal: TerminalId.optional(),
  run: z.string().min(1).max(2000),
  /** Send Ctrl-C first: whatever still runs in that terminal (a ping, a server) is stopped. */
  ctrlC: z.boolean().optional(),
});
export type SolutionCommand = z.infer<typeof SolutionCommand>;

/**
 * Objects a step can point at in the explorer: the newest namespace of a type that the learner
 * made (not the sandbox's own), the cgroups, the seccomp denials, or the capabilities of the
 * selected process.
 */
export const EXPLORER_HIGHLIGHTS = [
  'pid-namespace',
  'net-namespace',
  'mnt-namespace',
  'uts-namespace',
  'ipc-namespace',
  'user-namespace',
  'cgroups',
  'seccomp',
  'capabilities',
] as const;
export const ExplorerHighlight = z.enum(EXPLORER_HIGHLIGHTS);
export type ExplorerHighlight = z.infer<typeof ExplorerHighlight>;

export const LessonStep = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  title: Localized,
  /** Markdown file per locale, relative to the lesson folder. */
  body: z.strictObject({ en: z.string().regex(/^[\w./-]+\.md$/), zh: z.string().regex(/^[\w./-]+\.md$/) }),
  /** Terminal that this step's Run buttons type into unless a code block names another. */
  terminal: TerminalId.default('1'),
  /**
   * A shell script, relative to the lesson folder, that the agent runs inside the learner's
   * sandbox (never in their terminal) to see whether the step is done: exit 0 passes, otherwise
   * its last line of output says why, to the learner.
   */
  check: z.string().regex(/^checks\/[\w.-]+\.sh$/, 'check must be checks/<name>.sh'),
  /** A nudge the learner can reveal. */
  hint: Localized,
  /** The commands that complete the step, in order: revealed on request, replayed by tests. */
  solution: z.array(SolutionCommand).min(1).max(20),
  /** What the explorer panel highlights while this step is open (the step's text points at it). */
  explorer: ExplorerHighlight.optional(),
});
export type LessonStep = z.infer<typeof LessonStep>;

export const LessonManifest = z.strictObject({
  slug: LessonSlug,
  order: z.number().int().min(1).max(999),
  title: Localized,
  summary: Localized,
  /** Profile the sandbox runs with; profiles live in the agent, lessons only name one. */
  profile: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/).default('default'),
  /**
   * A shell script in the lesson folder that prepares the sandbox before the first step (files,
   * processes the lesson needs). The agent runs it like a check, once per sandbox, before the
   * lesson's first check and when the lesson page opens; it must be idempotent.
   */
  setup: z.string().regex(/^[\w-]+\.sh$/, 'setup must be <name>.sh in the lesson folder').optional(),
  steps: z.array(LessonStep).min(1).max(50),
});
export type LessonManifest = z.infer<typeof LessonManifest>;

/** A loaded lesson: the manifest with each step's Markdown (and check script) read in. */
export interface Lesson extends LessonManifest {
  steps: Array<LessonStep & { markdown: Localized; checkScript: string }>;
  setupScript?: string;
}
