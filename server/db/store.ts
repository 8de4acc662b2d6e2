/**
 * The data-access layer: everything the web tier stores goes through this interface, so a
 * PostgreSQL backend can replace SQLite without touching callers.
 */
export interface LearnerRow {
  id: string;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionStatus = 'active' | 'ended';

export interface SessionRow {
  id: string;
  learnerId: string;
  agent: string;
  status: SessionStatus;
  createdAt: number;
  endedAt: number | null;
  endReason: string | null;
}

export interface Store {
  /** Create the learner if new; always bump last-seen. */
  touchLearner(id: string, now?: number): LearnerRow;
  /** The learner's active session, if any. */
  activeSession(learnerId: string): SessionRow | undefined;
  createSession(row: { id: string; learnerId: string; agent: string }, now?: number): SessionRow;
  endSession(id: string, reason: string, now?: number): void;
  /** End every active session placed on `agent` (it restarted, so its sandboxes are gone). */
  endSessionsOnAgent(agent: string, reason: string, now?: number): number;
  /** Record that the learner passed a lesson step's check (idempotent). */
  markPassed(learnerId: string, lesson: string, step: string, now?: number): void;
  /** Every step the learner has passed, by lesson slug. */
  passedSteps(learnerId: string): Record<string, string[]>;
  close(): void;
}
