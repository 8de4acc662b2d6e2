/**
 * The web tier's HTTP actions against a real agent: checks run in the learner's own sandbox and
 * record progress; a lesson's set-up runs once per sandbox; bad requests get clear refusals and
 * change nothing.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../protocol/profile';
import { cannotRun, startHarness, TermClient, type Harness } from '../sandbox-agent/test/harness';
import { AgentClient, AgentRegistry } from './agent-client';
import { createApi } from './api';
import { LessonSetups } from './lesson-setup';
import { openSqliteStore } from './db/sqlite';
import type { Store } from './db/store';
import { learnerId } from './identity';
import { newToken } from './test/browser-client';

const reason = cannotRun();
if (reason) console.warn(`[integration] skipped: ${reason}`);

/**
 * A lesson of our own, so these tests do not depend on the course's prose: its set-up counts its
 * runs in a file, one step's check reports that count in the page's language, and another
 * passes once a bash is PID 1 of a new PID namespace.
 */
const STEP_BODY = 'Make a namespace.\n\n```sh run\nunshare --fork --pid --mount-proc bash\n```\n';
async function writeFixtureLessons(root: string): Promise<void> {
  const lesson = (slug: string, order: number, setup: string) => ({
    dir: path.join(root, `0${order}-${slug}`),
    manifest: {
      slug,
      order,
      title: { en: slug, zh: slug },
      summary: { en: 'A test lesson.', zh: '测试课。' },
      setup: 'setup.sh',
      steps: [
        { id: 'count', title: { en: 'Count', zh: '计数' }, body: { en: 's.md', zh: 's.md' }, check: 'checks/count.sh', hint: { en: 'Nothing.', zh: '无。' }, solution: [{ run: 'true' }] },
        { id: 'pid', title: { en: 'PID', zh: 'PID' }, body: { en: 's.md', zh: 's.md' }, check: 'checks/pid.sh', hint: { en: 'unshare.', zh: 'unshare。' }, solution: [{ run: 'unshare --fork --pid --mount-proc bash' }] },
      ],
    },
    setup,
  });
  for (const l of [lesson('counted', 1, 'echo run >> /tmp/setup-runs\n'), lesson('broken', 2, 'echo "no such directory" >&2; exit 3\n')]) {
    await mkdir(path.join(l.dir, 'checks'), { recursive: true });
    await writeFile(path.join(l.dir, 'lesson.json'), JSON.stringify(l.manifest));
    await writeFile(path.join(l.dir, 's.md'), STEP_BODY);
    await writeFile(path.join(l.dir, 'setup.sh'), l.setup);
    await writeFile(path.join(l.dir, 'checks', 'count.sh'), 'n=$(wc -l < /tmp/setup-runs)\nfail "The set-up ran $n time(s)." "准备脚本运行了 $n 次。"\n');
    await writeFile(
      path.join(l.dir, 'checks', 'pid.sh'),
      "grep -lsxE 'NSpid:[[:space:]]+[0-9]+[[:space:]]+1' /proc/[0-9]*/status >/dev/null || fail 'No new PID namespace: run unshare --fork --pid --mount-proc bash.' '还没有新的 PID 命名空间。'\n",
    );
  }
}

describe.skipIf(reason !== null)('HTTP API (real agent)', () => {
  let h: Harness;
  let store: Store;
  let server: Server;
  let base: string;
  let lessonsRoot: string;

  beforeAll(async () => {
    h = await startHarness();
    lessonsRoot = await mkdtemp(path.join(tmpdir(), 'api-lessons-'));
    await writeFixtureLessons(lessonsRoot);
    store = openSqliteStore(':memory:');
    const agents = new AgentRegistry();
    agents.add(new AgentClient('test', h.agent.socketPath, h.token));
    const api = createApi({ store, agents, setups: new LessonSetups(), log: () => undefined, lessonsRoot });
    server = createServer((req, res) => {
      if (!api(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    store?.close();
    await h?.stop();
    if (lessonsRoot) await rm(lessonsRoot, { recursive: true, force: true });
  });

  const post = (path: string, cookie: string, body: unknown, origin = base) =>
    fetch(base + path, { method: 'POST', headers: { Cookie: `lab_learner=${cookie}`, Origin: origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** A learner with a sandbox, as the gateway makes one when their first terminal connects. */
  async function learnerWithSandbox(id: string): Promise<{ cookie: string; session: string }> {
    const cookie = newToken();
    const learner = learnerId(cookie);
    store.touchLearner(learner);
    const row = store.createSession({ id, learnerId: learner, agent: 'test' });
    await h.agent.sessions.getOrCreate(row.id, DEFAULT_PROFILE);
    return { cookie, session: row.id };
  }

  it('runs a step check in the learner’s own sandbox, reports why it fails, and records a pass', async () => {
    const cookie = newToken();
    // No sandbox yet: a clear 409, nothing recorded.
    let r = await post('/api/check', cookie, { lesson: 'counted', step: 'pid' });
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: string }).error).toMatch(/open a terminal first/);

    const { cookie: c, session } = await learnerWithSandbox('apitest-session-1');
    r = await post('/api/check', c, { lesson: 'counted', step: 'pid' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ passed: false, message: 'No new PID namespace: run unshare --fork --pid --mount-proc bash.' });

    // Do the step the way a learner would, in their sandbox, then check again.
    const t = new TermClient(h.client, session);
    await t.command('unshare --fork --pid --mount-proc bash');
    r = await post('/api/check', c, { lesson: 'counted', step: 'pid' });
    expect(await r.json()).toEqual({ passed: true, message: 'Passed' });

    const progress = await fetch(`${base}/api/progress`, { headers: { Cookie: `lab_learner=${c}` } });
    expect(await progress.json()).toEqual({ passed: { counted: ['pid'] } });
    // Another learner's progress is their own.
    const other = await fetch(`${base}/api/progress`, { headers: { Cookie: `lab_learner=${newToken()}` } });
    expect(await other.json()).toEqual({ passed: {} });
    t.close();
    await h.agent.sessions.get(session)!.dispose('test over');
  });

  it('runs a lesson’s set-up once per sandbox, before its checks, and gives reasons in the page’s language', async () => {
    const { cookie, session } = await learnerWithSandbox('apitest-session-2');
    // The page asks for the set-up, twice (two tabs); a check asks again: it runs once.
    const setups = await Promise.all([post('/api/lesson-setup', cookie, { lesson: 'counted' }), post('/api/lesson-setup', cookie, { lesson: 'counted', lang: 'zh' })]);
    for (const s of setups) expect(await s.json()).toEqual({ passed: true, message: 'Passed' });
    let r = await post('/api/check', cookie, { lesson: 'counted', step: 'count', lang: 'zh' });
    expect(await r.json()).toEqual({ passed: false, message: '准备脚本运行了 1 次。' });
    r = await post('/api/check', cookie, { lesson: 'counted', step: 'count' });
    expect(await r.json()).toEqual({ passed: false, message: 'The set-up ran 1 time(s).' });

    // A set-up that fails is reported, by the check too, and retried rather than remembered.
    r = await post('/api/lesson-setup', cookie, { lesson: 'broken' });
    expect(await r.json()).toEqual({ passed: false, message: "This lesson's set-up failed: no such directory" });
    r = await post('/api/check', cookie, { lesson: 'broken', step: 'count', lang: 'zh' });
    expect(await r.json()).toEqual({ passed: false, message: '本课的准备脚本失败了：no such directory' });
    await h.agent.sessions.get(session)!.dispose('test over');
  });

  it('refuses bad requests clearly', async () => {
    const cookie = newToken();
    expect((await post('/api/check', cookie, { lesson: 'counted', step: 'pid' }, 'http://elsewhere.invalid')).status).toBe(403);
    expect((await post('/api/lesson-setup', cookie, { lesson: 'counted' }, 'http://elsewhere.invalid')).status).toBe(403);
    expect((await post('/api/check', cookie, { lesson: 'no-such-lesson', step: 'x' })).status).toBe(404);
    expect((await post('/api/check', cookie, { lesson: 'counted', step: 'no-such-step' })).status).toBe(404);
    expect((await post('/api/lesson-setup', cookie, { lesson: 'no-such-lesson' })).status).toBe(404);
    expect((await post('/api/check', cookie, { lesson: 'counted', step: 'pid', lang: 'fr' })).status).toBe(400);
    expect((await post('/api/check', cookie, { lesson: '../etc', step: 'x' })).status).toBe(400);
    expect((await post('/api/check', cookie, 'x'.repeat(10_000))).status).toBe(400);
    expect((await fetch(`${base}/api/check`, { headers: { Cookie: `lab_learner=${cookie}` } })).status).toBe(405);
    expect((await fetch(`${base}/api/progress`)).status).toBe(401);
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
  });
});
