/** SQLite implementation of the Store (better-sqlite3 12: synchronous, one file, WAL). */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LearnerRow, SessionRow, Store } from './store';

/** Ordered migrations; the index + 1 is the schema version kept in `PRAGMA user_version`. */
const MIGRATIONS = [
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     learner_id TEXT NOT NULL REFERENCES learners(id),
     agent TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
     created_at INTEGER NOT NULL,
     ended_at INTEGER,
     end_reason TEXT
   );
   CREATE UNIQUE INDEX one_active_session ON sessions(learner_id) WHERE status = 'active';`,
  `CREATE TABLE progress (
     learner_id TEXT NOT NULL REFERENCES learners(id),
     lesson TEXT NOT NULL,
     step TEXT NOT NULL,
     passed_at INTEGER NOT NULL,
     PRIMARY KEY (learner_id, lesson, step)
   );`,
];

interface SessionDbRow {
  id: string;
  learner_id: string;
  agent: string;
  status: 'active' | 'ended';
  created_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

function toSession(r: SessionDbRow): SessionRow {
  return {
    id: r.id,
    learnerId: r.learner_id,
    agent: r.agent,
    status: r.status,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
  };
}

export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }

  const upsertLearner = db.prepare(
    `INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
  );
  const getLearner = db.prepare(`SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt FROM learners WHERE id = ?`);
  const getActive = db.prepare(`SELECT * FROM sessions WHERE learner_id = ? AND status = 'active'`);
  const insertSession = db.prepare(
    `INSERT INTO sessions (id, learner_id, agent, status, created_at) VALUES (?, ?, ?, 'active', ?)`,
  );
  const getSession = db.prepare(`SELECT * FROM sessions WHERE id = ?`);
  const endOnAgent = db.prepare(`UPDATE sessions SET status = 'ended', ended_at = ?, end_reason = ? WHERE agent = ? AND status = 'active'`);
  const pass = db.prepare(`INSERT INTO progress (learner_id, lesson, step, passed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const passed = db.prepare(`SELECT lesson, step FROM progress WHERE learner_id = ? ORDER BY passed_at`);
  const end = db.prepare(`UPDATE sessions SET status = 'ended', ended_at = ?, end_reason = ? WHERE id = ? AND status = 'active'`);

  return {
    touchLearner(id, now = Date.now()) {
      upsertLearner.run(id, now, now);
      return getLearner.get(id) as LearnerRow;
    },
    activeSession(learnerId) {
      const r = getActive.get(learnerId) as SessionDbRow | undefined;
      return r && toSession(r);
    },
    createSession(row, now = Date.now()) {
      insertSession.run(row.id, row.learnerId, row.agent, now);
      return toSession(getSession.get(row.id) as SessionDbRow);
    },
    endSession(id, reason, now = Date.now()) {
      end.run(now, reason.slice(0, 500), id);
    },
    endSessionsOnAgent(agent, reason, now = Date.now()) {
      return endOnAgent.run(now, reason.slice(0, 500), agent).changes;
    },
    markPassed(learnerId, lesson, step, now = Date.now()) {
      pass.run(learnerId, lesson, step, now);
    },
    passedSteps(learnerId) {
      const out: Record<string, string[]> = {};
      for (const r of passed.all(learnerId) as Array<{ lesson: string; step: string }>) (out[r.lesson] ??= []).push(r.step);
      return out;
    },
    close() {
      db.close();
    },
  };
}
