import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getLesson, LessonError, listLessons, parseFenceInfo, validateAllLessons } from './lessons';

const REAL_ROOT = path.join(import.meta.dirname, '..', 'lessons');

describe('the lessons shipped in lessons/', () => {
  it('all validate, in course order', async () => {
    const lessons = await validateAllLessons(REAL_ROOT);
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((l) => l.order)).toEqual([...lessons.map((l) => l.order)].sort((a, b) => a - b));
  });

  it('include PID namespaces with every step in English and Chinese', async () => {
    const lesson = await getLesson('pid-namespaces', REAL_ROOT);
    expect(lesson?.title.en).toBe('PID namespaces');
    for (const step of lesson?.steps ?? []) {
      expect(step.markdown.en.length).toBeGreaterThan(0);
      expect(step.markdown.zh?.length ?? 0).toBeGreaterThan(0);
    }
    const commands = lesson?.steps.map((s) => s.markdown.en).join('\n') ?? '';
    expect(commands).toContain('```sh run\nunshare --fork --pid --mount-proc bash\n```');
    expect(lesson?.steps.some((s) => s.terminal === '2')).toBe(true);
  });
});

describe('loading from a lessons root', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lessons-test-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writeLesson(folder: string, manifest: unknown, files: Record<string, string> = {}): Promise<void> {
    await mkdir(path.join(root, folder), { recursive: true });
    await writeFile(path.join(root, folder, 'lesson.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, folder, name)), { recursive: true });
      await writeFile(path.join(root, folder, name), text);
    }
  }

  const manifest = (slug: string, order: number) => ({
    slug,
    order,
    title: { en: `Lesson ${slug}`, zh: `第 ${order} 课` },
    summary: { en: 'A summary.', zh: '摘要。' },
    steps: [
      {
        id: 'one',
        title: { en: 'One', zh: '一' },
        body: { en: 'one.md', zh: 'one.zh.md' },
        check: 'checks/one.sh',
        hint: { en: 'Run ps.', zh: '运行 ps。' },
        solution: [{ run: 'ps aux' }],
      },
    ],
  });
  const bodies = {
    'one.md': 'Hello\n\n```sh run\nps aux\n```\n',
    'one.zh.md': '你好\n\n```sh run\nps aux\n```\n',
    'checks/one.sh': 'pgrep -x ps || fail "Run ps aux." "运行 ps aux。"\n',
  };

  it('loads valid lessons with their Markdown, ordered by `order`', async () => {
    await writeLesson('02-second', manifest('second', 2), bodies);
    await writeLesson('01-first', manifest('first', 1), bodies);
    const lessons = await listLessons(root);
    expect(lessons.map((l) => l.slug)).toEqual(['first', 'second']);
    expect(lessons[0]?.steps[0]?.markdown).toEqual({ en: bodies['one.md'], zh: bodies['one.zh.md'] });
    // The schema's default: a step types into terminal 1 unless it says otherwise.
    expect(lessons[0]?.steps[0]?.terminal).toBe('1');
  });

  it('returns null for an unknown or malformed slug', async () => {
    await writeLesson('01-first', manifest('first', 1), bodies);
    expect(await getLesson('nope', root)).toBeNull();
    expect(await getLesson('../01-first', root)).toBeNull();
    expect((await getLesson('first', root))?.slug).toBe('first');
  });

  it('names the file and the field when a manifest breaks the schema', async () => {
    await writeLesson('01-first', { ...manifest('first', 1), steps: [] }, bodies);
    const err = await validateAllLessons(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LessonError);
    expect((err as Error).message).toContain(path.join(root, '01-first', 'lesson.json'));
    expect((err as Error).message).toContain('steps');
  });

  it('reports invalid JSON with the file name', async () => {
    await writeLesson('01-first', '{ "slug": ', bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/01-first\/lesson\.json: is not valid JSON/);
  });

  it('rejects a folder whose name does not match the slug or order', async () => {
    await writeLesson('01-other', manifest('first', 1), bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/slug "first" does not match the folder name "01-other"/);
    await rm(path.join(root, '01-other'), { recursive: true });
    await writeLesson('03-first', manifest('first', 1), bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/order 1 does not match the folder number "03"/);
  });

  it('rejects folders that are not named NN-slug', async () => {
    await writeLesson('first', manifest('first', 1), bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/lesson folders are named NN-slug/);
  });

  it('names a missing step file', async () => {
    await writeLesson('01-first', manifest('first', 1), { 'one.md': 'Hello\n', 'checks/one.sh': 'exit 1\n' });
    await expect(validateAllLessons(root)).rejects.toThrow(/one\.zh\.md: file is missing/);
  });

  it('refuses step files outside the lesson folder', async () => {
    const m = manifest('first', 1);
    await writeLesson('01-first', { ...m, steps: [{ ...m.steps[0], body: { en: '../escape.md', zh: 'one.zh.md' } }] }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/points outside the lesson folder/);
  });

  it('rejects duplicate step ids and duplicate orders', async () => {
    const m = manifest('first', 1);
    await writeLesson('01-first', { ...m, steps: [m.steps[0], m.steps[0]] }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/step id "one" is used twice/);
    await rm(path.join(root, '01-first'), { recursive: true });
    await writeLesson('01-first', manifest('first', 1), bodies);
    await writeLesson('001-again', manifest('again', 1), bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/order 1 is also used/);
  });

  it('rejects a run fence that names no terminal, or one hidden inside a list', async () => {
    await writeLesson('01-first', manifest('first', 1), { ...bodies, 'one.md': '```sh run=0\nps\n```\n' });
    await expect(validateAllLessons(root)).rejects.toThrow(/one\.md: code fence "sh run=0" names no terminal/);
    await writeFile(path.join(root, '01-first', 'one.md'), '- item\n\n  ```sh run\n  ps\n  ```\n');
    await expect(validateAllLessons(root)).rejects.toThrow(/run blocks must be top-level/);
  });

  it('requires a check, a hint, a solution and Chinese for every step', async () => {
    const m = manifest('first', 1);
    const { check: _check, ...noCheck } = m.steps[0]!;
    await writeLesson('01-first', { ...m, steps: [noCheck] }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/lesson\.json: steps\.0\.check/);
    await writeLesson('01-first', { ...m, steps: [{ ...m.steps[0], hint: { en: 'Only English.' } }] }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/steps\.0\.hint\.zh/);
    await writeLesson('01-first', { ...m, steps: [{ ...m.steps[0], solution: [] }] }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/steps\.0\.solution/);
    await writeLesson('01-first', { ...m, title: { en: 'No Chinese' } }, bodies);
    await expect(validateAllLessons(root)).rejects.toThrow(/lesson\.json: title\.zh/);
  });

  it('names a missing check script and loads a set-up script', async () => {
    const { 'checks/one.sh': _gone, ...noCheck } = bodies;
    await writeLesson('01-first', manifest('first', 1), noCheck);
    await expect(validateAllLessons(root)).rejects.toThrow(/checks\/one\.sh: file is missing/);
    await writeLesson('01-first', { ...manifest('first', 1), setup: 'setup.sh' }, { ...bodies, 'setup.sh': 'mkdir -p /tmp/x\n' });
    expect((await getLesson('first', root))?.setupScript).toBe('mkdir -p /tmp/x\n');
  });

  it('refuses a Chinese step whose Run blocks differ from the English ones', async () => {
    await writeLesson('01-first', manifest('first', 1), { ...bodies, 'one.zh.md': '你好\n\n```sh run\nps -ef\n```\n' });
    await expect(validateAllLessons(root)).rejects.toThrow(/one\.zh\.md: Run block 1 differs from the English step \(English: terminal 1: ps aux; here: terminal 1: ps -ef\)/);
    await writeFile(path.join(root, '01-first', 'one.zh.md'), '你好\n\n```sh run ctrl-c\nps aux\n```\n');
    await expect(validateAllLessons(root)).rejects.toThrow(/here: ctrl-c, terminal 1: ps aux/);
    await writeFile(path.join(root, '01-first', 'one.zh.md'), '你好\n');
    await expect(validateAllLessons(root)).rejects.toThrow(/here: nothing/);
  });

  it('reads the files on every call, except in production, where the course is read once', async () => {
    await writeLesson('01-first', manifest('first', 1), bodies);
    expect((await getLesson('first', root))?.title.en).toBe('Lesson first');
    await writeLesson('01-first', { ...manifest('first', 1), title: { en: 'Edited', zh: '改过' } }, bodies);
    expect((await getLesson('first', root))?.title.en).toBe('Edited');
    vi.stubEnv('NODE_ENV', 'production');
    try {
      expect((await getLesson('first', root))?.title.en).toBe('Edited');
      await writeLesson('01-first', { ...manifest('first', 1), title: { en: 'Edited again', zh: '又改了' } }, bodies);
      expect((await getLesson('first', root))?.title.en).toBe('Edited');
      expect((await listLessons(root)).map((l) => l.title.en)).toEqual(['Edited']);
      expect(await getLesson('nope', root)).toBeNull();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('ignores dot- and underscore-prefixed folders and plain files', async () => {
    await writeLesson('01-first', manifest('first', 1), bodies);
    await mkdir(path.join(root, '_drafts'));
    await writeFile(path.join(root, 'README.md'), '# notes');
    expect((await listLessons(root)).map((l) => l.slug)).toEqual(['first']);
  });
});

describe('parseFenceInfo', () => {
  it('reads the language and the run target', () => {
    expect(parseFenceInfo('sh run')).toEqual({ lang: 'sh', run: 'step', ctrlC: false });
    expect(parseFenceInfo('sh run=2')).toEqual({ lang: 'sh', run: '2', ctrlC: false });
    expect(parseFenceInfo('sh')).toEqual({ lang: 'sh', run: null, ctrlC: false });
    expect(parseFenceInfo('text')).toEqual({ lang: 'text', run: null, ctrlC: false });
    expect(parseFenceInfo(undefined)).toEqual({ lang: '', run: null, ctrlC: false });
  });

  it('reads ctrl-c, which needs a run target', () => {
    expect(parseFenceInfo('sh run ctrl-c')).toEqual({ lang: 'sh', run: 'step', ctrlC: true });
    expect(parseFenceInfo('sh run=2 ctrl-c')).toEqual({ lang: 'sh', run: '2', ctrlC: true });
    expect(() => parseFenceInfo('sh ctrl-c')).toThrow(/ctrl-c but no run/);
  });

  it('throws for a terminal id outside 1-9', () => {
    expect(() => parseFenceInfo('sh run=10')).toThrow(/names no terminal/);
    expect(() => parseFenceInfo('sh run=')).toThrow(/names no terminal/);
  });
});
