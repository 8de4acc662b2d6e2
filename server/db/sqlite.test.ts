import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

describe('SQLite store (in memory)', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(() => store.close());

  it('touchLearner creates a learner once and bumps last-seen afterwards', () => {
    expect(store.touchLearner('L1', 1000)).toEqual({ id: 'L1', createdAt: 1000, lastSeenAt: 1000 });
    expect(store.touchLearner('L1', 5000)).toEqual({ id: 'L1', createdAt: 1000, lastSeenAt: 5000 });
    expect(store.touchLearner('L2', 6000)).toEqual({ id: 'L2', createdAt: 6000, lastSeenAt: 6000 });
  });

  it('creates a session and finds it as the learner’s active one', () => {
    store.touchLearner('L1', 1);
    expect(store.activeSession('L1')).toBeUndefined();
    const s = store.createSession({ id: 'S1', learnerId: 'L1', agent: 'embedded' }, 42);
    expect(s).toEqual({ id: 'S1', learnerId: 'L1', agent: 'embedded', status: 'active', createdAt: 42, endedAt: null, endReason: null });
    expect(store.activeSession('L1')).toEqual(s);
    expect(store.activeSession('L2')).toBeUndefined();
  });

  it('allows one active session per learner: a second create throws', () => {
    store.touchLearner('L1');
    store.touchLearner('L2');
    store.createSession({ id: 'S1', learnerId: 'L1', agent: 'a' });
    expect(() => store.createSession({ id: 'S2', learnerId: 'L1', agent: 'a' })).toThrow(/UNIQUE/);
    expect(store.activeSession('L1')?.id).toBe('S1');
    // Another learner is unaffected.
    expect(store.createSession({ id: 'S3', learnerId: 'L2', agent: 'a' }).status).toBe('active');
  });

  it('refuses a session for an unknown learner (foreign keys are on)', () => {
    expect(() => store.createSession({ id: 'S1', learnerId: 'nobody', agent: 'a' })).toThrow(/FOREIGN KEY/);
  });

  it('endSession ends it once, and then a new session may start', () => {
    store.touchLearner('L1');
    store.createSession({ id: 'S1', learnerId: 'L1', agent: 'a' }, 10);
    store.endSession('S1', 'idle', 20);
    expect(store.activeSession('L1')).toBeUndefined();
    // Ending again does not overwrite the first end.
    store.endSession('S1', 'later', 30);
    const s2 = store.createSession({ id: 'S2', learnerId: 'L1', agent: 'a' }, 40);
    expect(store.activeSession('L1')).toEqual(s2);
  });

  it('truncates long end reasons', () => {
    store.touchLearner('L1');
    store.createSession({ id: 'S1', learnerId: 'L1', agent: 'a' });
    expect(() => store.endSession('S1', 'x'.repeat(10_000))).not.toThrow();
    expect(store.activeSession('L1')).toBeUndefined();
  });
});

describe('SQLite store (file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing directories, keeps data across reopen, and migrations are idempotent', () => {
    const path = join(dir, 'nested', 'lab.db');
    const a = openSqliteStore(path);
    a.touchLearner('L1', 1);
    a.createSession({ id: 'S1', learnerId: 'L1', agent: 'a' }, 2);
    a.close();

    const b = openSqliteStore(path); // must not re-run CREATE TABLE
    expect(b.activeSession('L1')?.id).toBe('S1');
    expect(b.touchLearner('L1', 3)).toEqual({ id: 'L1', createdAt: 1, lastSeenAt: 3 });
    b.close();
    const c = openSqliteStore(path);
    c.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['learners', 'progress', 'sessions']);
    raw.close();
  });

  it('enforces one active session per learner across connections to the same file', () => {
    const path = join(dir, 'lab.db');
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    a.touchLearner('L1');
    a.createSession({ id: 'S1', learnerId: 'L1', agent: 'a' });
    expect(() => b.createSession({ id: 'S2', learnerId: 'L1', agent: 'a' })).toThrow();
    expect(b.activeSession('L1')?.id).toBe('S1');
    a.close();
    b.close();
  });

  it('records passed steps once each, by lesson, for one learner only', () => {
    const store = openSqliteStore(':memory:');
    store.touchLearner('a');
    store.touchLearner('b');
    store.markPassed('a', 'pid-namespaces', 'new-pid-namespace', 1);
    store.markPassed('a', 'pid-namespaces', 'new-pid-namespace', 2);
    store.markPassed('a', 'pid-namespaces', 'two-views', 3);
    store.markPassed('a', 'cgroups', 'limit', 4);
    expect(store.passedSteps('a')).toEqual({ 'pid-namespaces': ['new-pid-namespace', 'two-views'], cgroups: ['limit'] });
    expect(store.passedSteps('b')).toEqual({});
    store.close();
  });
});
