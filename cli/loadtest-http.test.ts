import { describe, expect, it } from 'vitest';
import { learnerCookie } from './loadtest-http';

describe('the learner cookie', () => {
  it('is read from the Set-Cookie headers the server sends', () => {
    const token = 'a'.repeat(43);
    expect(learnerCookie([`theme=dark; Path=/`, `lab_learner=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`])).toBe(token);
    expect(learnerCookie(['other=1'])).toBeUndefined();
    expect(learnerCookie([])).toBeUndefined();
  });
});
