/**
 * The one lesson loader (DESIGN.md §3, §5). Runs on the server only (Node: it reads the
 * filesystem); pages call it, components never do. Lessons are data: `lessons/<NN-slug>/lesson.json`
 * validated with protocol/lesson.ts, plus one Markdown file per step and language.
 *
 * Every problem is reported as a LessonError whose message names the file and says what is wrong,
 * so a broken lesson fails the build and the unit tests with a sentence an author can act on.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { LessonManifest, LessonSlug, type Lesson } from '../protocol/lesson';
import { TerminalId } from '../protocol/messages';

/** Lessons live next to the app; the custom server and `next build` both run from the repo root. */
export const DEFAULT_LESSONS_ROOT = path.join(process.cwd(), 'lessons');

/** `02-pid-namespaces`: the number is the lesson's `order`, the rest is its `slug`. */
const FOLDER_NAME = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export class LessonError extends Error {
  override name = 'LessonError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/**
 * Code-fence convention of step Markdown. The info string's first word is the language; a `run`
 * attribute makes the block clickable: `sh run` types into the step's terminal, `sh run=2` into
 * terminal 2, and the word `ctrl-c` (`sh run ctrl-c`) sends Ctrl-C first. Anything without `run`
 * is display only.
 */
export interface FenceInfo {
  lang: string;
  /** null: display only. 'step': the step's terminal. Otherwise the terminal named by the fence. */
  run: null | 'step' | TerminalId;
  /** Send Ctrl-C before typing (only with `run`). */
  ctrlC: boolean;
}

export function parseFenceInfo(info: string | undefined): FenceInfo {
  const words = (info ?? '').trim().split(/\s+/).filter((w) => w.length > 0);
  const lang = words[0] ?? '';
  let run: FenceInfo['run'] = null;
  let ctrlC = false;
  for (const word of words.slice(1)) {
    if (word === 'run') {
      run = 'step';
    } else if (word.startsWith('run=')) {
      const id = TerminalId.safeParse(word.slice('run='.length));
      if (!id.success) throw new Error(`code fence "${info}" names no terminal: use run=1 … run=9`);
      run = id.data;
    } else if (word === 'ctrl-c') {
      ctrlC = true;
    }
  }
  if (ctrlC && run === null) throw new Error(`code fence "${info}" has ctrl-c but no run: ctrl-c only goes with a Run button`);
  return { lang, run, ctrlC };
}

/** A Run button of a step, as the learner clicks it: where it types, what, and whether Ctrl-C goes first. */
export interface RunBlock {
  terminal: TerminalId;
  code: string;
  ctrlC: boolean;
}

/** The Run buttons of one step's Markdown, top to bottom (nested blocks are refused at load time). */
export function runBlocks(markdown: string, stepTerminal: TerminalId): RunBlock[] {
  const blocks: RunBlock[] = [];
  for (const token of new Lexer().lex(markdown)) {
    if (token.type !== 'code') continue;
    const code = token as Tokens.Code;
    const fence = parseFenceInfo(code.codeBlockStyle === 'indented' ? undefined : code.lang);
    if (fence.run === null) continue;
    blocks.push({ terminal: fence.run === 'step' ? stepTerminal : fence.run, code: code.text, ctrlC: fence.ctrlC });
  }
  return blocks;
}

/** Run fences must sit at the top level of a step: the renderer turns only those into buttons. */
function checkFences(tokens: readonly Token[], nested: boolean): void {
  for (const token of tokens) {
    if (token.type === 'code') {
      const code = token as Tokens.Code;
      const fence = parseFenceInfo(code.codeBlockStyle === 'indented' ? undefined : code.lang);
      if (fence.run !== null && nested) {
        throw new Error(`the runnable block "${code.text.split('\n')[0]}" is nested in a list or quote; run blocks must be top-level`);
      }
    }
    const children: Token[] = [];
    if ('tokens' in token && Array.isArray(token.tokens)) children.push(...token.tokens);
    if (token.type === 'list') children.push(...(token as Tokens.List).items);
    if (children.length > 0) checkFences(children, true);
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LessonError(file, code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(err)})`);
  }
}

/** A step file must stay inside its lesson folder (the schema alone would allow `../x.md`). */
function resolveStepFile(folder: string, relative: string): string {
  const file = path.resolve(folder, relative);
  if (!file.startsWith(folder + path.sep)) {
    throw new LessonError(path.join(folder, 'lesson.json'), `step file "${relative}" points outside the lesson folder`);
  }
  return file;
}

async function readStepMarkdown(file: string): Promise<string> {
  const markdown = await readText(file);
  if (markdown.trim().length === 0) throw new LessonError(file, 'step file is empty');
  try {
    checkFences(new Lexer().lex(markdown), false);
  } catch (err) {
    throw new LessonError(file, (err as Error).message);
  }
  return markdown;
}

/** A check travels to the agent inside one control message: keep it small. */
const MAX_CHECK_BYTES = 8 * 1024;

async function readScript(file: string): Promise<string> {
  const script = await readText(file);
  if (script.trim().length === 0) throw new LessonError(file, 'script is empty');
  if (Buffer.byteLength(script) > MAX_CHECK_BYTES) throw new LessonError(file, `script is over ${MAX_CHECK_BYTES} bytes`);
  return script;
}

/**
 * Both languages click the same buttons: the end-to-end course run and `lab lessons verify` replay
 * the English blocks, so a translation that drifted would teach commands nobody tested.
 */
function sameRunBlocks(zhFile: string, en: string, zh: string, terminal: TerminalId): void {
  const a = runBlocks(en, terminal);
  const b = runBlocks(zh, terminal);
  const describe = (r: RunBlock | undefined) => (r ? `${r.ctrlC ? 'ctrl-c, ' : ''}terminal ${r.terminal}: ${r.code.split('\n')[0]}` : 'nothing');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || x.code !== y.code || x.terminal !== y.terminal || x.ctrlC !== y.ctrlC) {
      throw new LessonError(zhFile, `Run block ${i + 1} differs from the English step (English: ${describe(x)}; here: ${describe(y)})`);
    }
  }
}

/** Load one lesson folder: manifest, folder-name check, then every step's Markdown and check. */
async function loadLessonFolder(root: string, folderName: string): Promise<Lesson> {
  const folder = path.join(root, folderName);
  const manifestFile = path.join(folder, 'lesson.json');
  const naming = FOLDER_NAME.exec(folderName);
  if (!naming) throw new LessonError(folder, 'lesson folders are named NN-slug, e.g. 02-pid-namespaces');

  let raw: unknown;
  try {
    raw = JSON.parse(await readText(manifestFile));
  } catch (err) {
    if (err instanceof LessonError) throw err;
    throw new LessonError(manifestFile, `is not valid JSON (${(err as Error).message})`);
  }
  const parsed = LessonManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new LessonError(manifestFile, `${where}${issue?.message ?? 'does not match the lesson schema'}`);
  }
  const manifest = parsed.data;

  const [, number, folderSlug] = naming;
  if (folderSlug !== manifest.slug) {
    throw new LessonError(manifestFile, `slug "${manifest.slug}" does not match the folder name "${folderName}"`);
  }
  if (Number(number) !== manifest.order) {
    throw new LessonError(manifestFile, `order ${manifest.order} does not match the folder number "${number}"`);
  }
  const stepIds = new Set<string>();
  for (const step of manifest.steps) {
    if (stepIds.has(step.id)) throw new LessonError(manifestFile, `step id "${step.id}" is used twice`);
    stepIds.add(step.id);
  }

  const setupScript = manifest.setup === undefined ? undefined : await readScript(resolveStepFile(folder, manifest.setup));
  const steps = await Promise.all(
    manifest.steps.map(async (step) => {
      const en = await readStepMarkdown(resolveStepFile(folder, step.body.en));
      const zhFile = resolveStepFile(folder, step.body.zh);
      const zh = await readStepMarkdown(zhFile);
      sameRunBlocks(zhFile, en, zh, step.terminal);
      const checkScript = await readScript(resolveStepFile(folder, step.check));
      return { ...step, markdown: { en, zh }, checkScript };
    }),
  );
  return { ...manifest, steps, ...(setupScript === undefined ? {} : { setupScript }) };
}

/** Lesson folder names under root; dot- and underscore-prefixed entries are ignored (drafts, assets). */
async function lessonFolders(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new LessonError(root, `lessons folder cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

/**
 * Load and check every lesson; throws a LessonError naming the first broken file. Also checks
 * what no single manifest can: slugs and orders are unique across the course.
 */
export async function validateAllLessons(root: string = DEFAULT_LESSONS_ROOT): Promise<Lesson[]> {
  const lessons: Lesson[] = [];
  const seenOrder = new Map<number, string>();
  const seenSlug = new Set<string>();
  for (const folder of await lessonFolders(root)) {
    const lesson = await loadLessonFolder(root, folder);
    const file = path.join(root, folder, 'lesson.json');
    const clash = seenOrder.get(lesson.order);
    if (clash !== undefined) throw new LessonError(file, `order ${lesson.order} is also used by lesson "${clash}"`);
    if (seenSlug.has(lesson.slug)) throw new LessonError(file, `slug "${lesson.slug}" is used by two lessons`);
    seenOrder.set(lesson.order, lesson.slug);
    seenSlug.add(lesson.slug);
    lessons.push(lesson);
  }
  return lessons.sort((a, b) => a.order - b.order);
}

/**
 * A production server reads the course once: lessons change with a deploy (which restarts it),
 * and loading them costs tens of milliseconds that every page and check would otherwise pay.
 * In development, tests and `lab`, every call reads the files again, so an edit shows at once.
 */
const loaded = new Map<string, Promise<Lesson[]>>();

function cacheLessons(): boolean {
  return process.env.NODE_ENV === 'production';
}

/** Every lesson in course order. A broken lesson throws rather than silently vanishing. */
export async function listLessons(root: string = DEFAULT_LESSONS_ROOT): Promise<Lesson[]> {
  if (!cacheLessons()) return validateAllLessons(root);
  let course = loaded.get(root);
  if (!course) {
    course = validateAllLessons(root);
    loaded.set(root, course);
    // A failed load (a lesson broken on disk) is not remembered: the next request says why again.
    course.catch(() => loaded.delete(root));
  }
  return course;
}

/** One lesson by slug, or null when there is none. The slug comes from a URL: it is checked
 * against the slug pattern and matched against folder names, never joined into a path raw. */
export async function getLesson(slug: string, root: string = DEFAULT_LESSONS_ROOT): Promise<Lesson | null> {
  if (!LessonSlug.safeParse(slug).success) return null;
  if (cacheLessons()) return (await listLessons(root)).find((l) => l.slug === slug) ?? null;
  const folder = (await lessonFolders(root)).find((name) => FOLDER_NAME.exec(name)?.[2] === slug);
  return folder === undefined ? null : loadLessonFolder(root, folder);
}
