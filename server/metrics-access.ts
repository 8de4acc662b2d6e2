/**
 * Who may read the web tier's /metrics. Metrics say how many learners are on, what fails and how
 * fast: nothing secret, but not for the whole internet either. So:
 *   - bound to loopback only (HOST 127.0.0.1, ::1, localhost): open, only this machine can ask;
 *   - bound beyond loopback: `Authorization: Bearer <LAB_METRICS_TOKEN>` required, and without
 *     LAB_METRICS_TOKEN set, refused with a sentence saying how to set it.
 * Pure, unit-tested; server/health.ts applies it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** Whether a listen address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The verdict for a scrape of /metrics on a server listening on `host`. */
export function metricsAccess(o: { host: string; token: string | undefined }, authorization: string | undefined): MetricsAccess {
  if (isLoopbackHost(o.host)) return { ok: true };
  if (!o.token) {
    return {
      ok: false,
      status: 403,
      message:
        `/metrics is refused: this server listens on ${o.host}, beyond loopback, and LAB_METRICS_TOKEN is not set. ` +
        'Set LAB_METRICS_TOKEN to a secret of at least 16 characters and scrape with the header "Authorization: Bearer <that secret>".',
    };
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
  if (m && timingSafeEqual(digest(m[1]!), digest(o.token))) return { ok: true };
  return { ok: false, status: 401, message: '/metrics needs the header "Authorization: Bearer <LAB_METRICS_TOKEN>".' };
}
