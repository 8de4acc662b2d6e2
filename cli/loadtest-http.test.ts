import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LearnerHttp, learnerCookie } from './loadtest-http';

describe('the learner cookie', () => {
  it('is read from the Set-Cookie headers the server sends', () => {
    const token = 'a'.repeat(43);
    expect(learnerCookie([`theme=dark; Path=/`, `lab_learner=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`])).toBe(token);
    expect(learnerCookie(['other=1'])).toBeUndefined();
    expect(learnerCookie([])).toBeUndefined();
  });
});

describe('LearnerHttp.request', () => {
  it('sends a request again when the server had closed the reused keep-alive connection', async () => {
    // The second request on any connection is cut off unanswered, as an idle timeout would.
    const perSocket = new WeakMap<object, number>();
    let seen = 0;
    const server = createServer((req, res) => {
      seen++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n > 1) return req.socket.destroy();
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const http = new LearnerHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      expect((await http.request('GET', '/')).status).toBe(200);
      const again = await http.post('/api/check', { step: 'x' });
      expect(again.status).toBe(200);
      expect(seen).toBe(3);
    } finally {
      http.close();
      server.close();
    }
  });
});
