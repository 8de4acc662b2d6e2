/**
 * A simulated learner's HTTP side, as a browser tab does it: the first page load gives it its
 * `lab_learner` cookie (server/identity.ts), later requests carry that cookie, and POSTs carry an
 * Origin header naming the server (server/api.ts refuses cross-origin POSTs). Each learner has its
 * own keep-alive connections, as each browser does.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { COOKIE } from '../server/identity';

export const HTTP_TIMEOUT_MS = 30_000;

export interface HttpReply {
  status: number;
  body: string;
  /** From the request being sent to the last byte of the answer. */
  ms: number;
  setCookie: string[];
}

/** The `lab_learner` value among Set-Cookie headers, if any. */
export function learnerCookie(setCookie: readonly string[]): string | undefined {
  for (const c of setCookie) {
    const m = new RegExp(`^${COOKIE}=([A-Za-z0-9_-]+)`).exec(c.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** The server had closed the reused keep-alive connection: the request was never handled. */
class StaleSocketError extends Error {
  override name = 'StaleSocketError';
}

export class LearnerHttp {
  cookie: string | undefined;
  private readonly agent: http.Agent;
  private readonly origin: URL;

  constructor(base: string) {
    this.origin = new URL(base);
    const Agent = this.origin.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 6 });
  }

  /**
   * One request; rejects on a network error or after `timeoutMs`, resolves with any status.
   * A keep-alive connection the server closed just as we reused it (its idle timeout, 5 s by
   * default, racing a learner who checks every 5 s) fails with ECONNRESET before any answer:
   * that request never reached the server, so it is sent once more on a fresh connection, as
   * browsers do (Node's http docs, "agent.keepAlive" / request.reusedSocket).
   */
  async request(method: 'GET' | 'POST', path: string, json?: unknown, timeoutMs = HTTP_TIMEOUT_MS): Promise<HttpReply> {
    try {
      return await this.send(method, path, json, timeoutMs);
    } catch (e) {
      if (!(e instanceof StaleSocketError)) throw e;
      return this.send(method, path, json, timeoutMs);
    }
  }

  private send(method: 'GET' | 'POST', path: string, json: unknown, timeoutMs: number): Promise<HttpReply> {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = `${COOKIE}=${this.cookie}`;
    if (method === 'POST') headers.origin = this.origin.origin;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const lib = this.origin.protocol === 'https:' ? https : http;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = lib.request(new URL(path, this.origin), { method, headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started, setCookie: res.headers['set-cookie'] ?? [] }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} took longer than ${timeoutMs / 1000} s`)));
      req.on('error', (e: NodeJS.ErrnoException) => reject(req.reusedSocket && e.code === 'ECONNRESET' ? new StaleSocketError(e.message) : e));
      req.end(body);
    });
  }

  /** Load a page as a browser does; the first one gives the learner its cookie. */
  async page(path: string): Promise<HttpReply> {
    const r = await this.request('GET', path);
    this.cookie ??= learnerCookie(r.setCookie);
    return r;
  }

  post(path: string, json?: unknown, timeoutMs?: number): Promise<HttpReply> {
    return this.request('POST', path, json, timeoutMs);
  }

  close(): void {
    this.agent.destroy();
  }
}
