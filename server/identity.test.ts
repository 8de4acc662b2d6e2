import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { COOKIE, ensureLearnerCookie, learnerId, newSessionId, readLearnerToken } from './identity';
import { SessionId } from '../protocol/messages';

const GOOD = 'A'.repeat(20) + 'b_-' + '9'.repeat(20); // 43 base64url characters

function req(headers: Record<string, string | undefined>): IncomingMessage {
  return { headers: { ...headers } } as unknown as IncomingMessage;
}

function res(): { res: ServerResponse; cookies: string[] } {
  const cookies: string[] = [];
  const fake = {
    appendHeader(name: string, value: string | string[]) {
      expect(name.toLowerCase()).toBe('set-cookie');
      cookies.push(...(Array.isArray(value) ? value : [value]));
      return fake;
    },
  };
  return { res: fake as unknown as ServerResponse, cookies };
}

describe('readLearnerToken', () => {
  it('reads a well-formed token among other cookies', () => {
    expect(GOOD).toHaveLength(43);
    expect(readLearnerToken(req({ cookie: `${COOKIE}=${GOOD}` }))).toBe(GOOD);
    expect(readLearnerToken(req({ cookie: `theme=dark; ${COOKIE}=${GOOD}; other=1` }))).toBe(GOOD);
  });

  it.each([
    ['no cookie header', undefined],
    ['an empty header', ''],
    ['only other cookies', `theme=dark; x_lab_learner=${GOOD}`],
    ['a short token', `${COOKIE}=${GOOD.slice(1)}`],
    ['a long token', `${COOKIE}=${GOOD}A`],
    ['a token with a forbidden character', `${COOKIE}=${GOOD.slice(1)}+`],
    ['a token with padding', `${COOKIE}=${GOOD.slice(1)}=`],
    ['an empty value', `${COOKIE}=`],
    ['a token with spaces inside', `${COOKIE}=${GOOD.slice(0, 20)} ${GOOD.slice(21)}`],
  ])('returns nothing for %s', (_what, cookie) => {
    expect(readLearnerToken(req({ cookie }))).toBeUndefined();
  });
});

describe('ensureLearnerCookie', () => {
  it('sets an HttpOnly SameSite=Lax cookie when there is none, and lets this request carry it', () => {
    const r = req({ cookie: 'theme=dark' });
    const { res: response, cookies } = res();
    ensureLearnerCookie(r, response);
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]!;
    const token = /^lab_learner=([A-Za-z0-9_-]{43});/.exec(cookie)?.[1];
    expect(token).toBeDefined();
    const attrs = cookie.split(';').map((s) => s.trim());
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('SameSite=Lax');
    expect(attrs).toContain('Path=/');
    expect(attrs.some((a) => /^Max-Age=\d+$/.test(a))).toBe(true);
    expect(attrs).not.toContain('Secure');
    expect(readLearnerToken(r)).toBe(token);
    expect(r.headers.cookie).toContain('theme=dark');
  });

  it('marks the cookie Secure behind an HTTPS proxy', () => {
    const { res: response, cookies } = res();
    ensureLearnerCookie(req({ 'x-forwarded-proto': 'https' }), response);
    expect(cookies[0]!.split(';').map((s) => s.trim())).toContain('Secure');
  });

  it('replaces a malformed token', () => {
    const { res: response, cookies } = res();
    ensureLearnerCookie(req({ cookie: `${COOKIE}=short` }), response);
    expect(cookies).toHaveLength(1);
  });

  it('sets nothing when a valid cookie is present', () => {
    const r = req({ cookie: `${COOKIE}=${GOOD}` });
    const { res: response, cookies } = res();
    ensureLearnerCookie(r, response);
    expect(cookies).toEqual([]);
    expect(r.headers.cookie).toBe(`${COOKIE}=${GOOD}`);
  });

  it('mints a different token every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { res: response, cookies } = res();
      ensureLearnerCookie(req({}), response);
      seen.add(cookies[0]!.split(';')[0]!);
    }
    expect(seen.size).toBe(20);
  });
});

describe('learnerId', () => {
  it('is a 64-hex SHA-256 digest of the token, stable and never the token itself', () => {
    const id = learnerId(GOOD);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(learnerId(GOOD)).toBe(id);
    expect(learnerId(`${GOOD.slice(1)}x`)).not.toBe(id);
    expect(id).not.toContain(GOOD);
    // Known vector: sha256("abc").
    expect(learnerId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('newSessionId', () => {
  it('is accepted by the protocol and unique', () => {
    const a = newSessionId();
    expect(SessionId.safeParse(a).success).toBe(true);
    expect(newSessionId()).not.toBe(a);
  });
});
