/**
 * Learner identity: an opaque random token in an HTTP-only cookie. The database only ever sees
 * its SHA-256, so a leaked database does not let anyone impersonate a learner.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const COOKIE = 'lab_learner';
const MAX_AGE_SEC = 30 * 24 * 3600;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function readLearnerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) {
      const value = v.join('=');
      return TOKEN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function learnerId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Give a browser without a (valid) cookie a new identity before any page renders. */
export function ensureLearnerCookie(req: IncomingMessage, res: ServerResponse): void {
  if (readLearnerToken(req)) return;
  const token = randomBytes(32).toString('base64url');
  const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  res.appendHeader('Set-Cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SEC}${secure}`);
  // Let this very request count as carrying it, so the first page load already has an identity.
  req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${COOKIE}=${token}`;
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}
