/**
 * Reconnect delays after an abnormal close: exponential from 250 ms, capped at 5 s
 * (terminal.md §8.5). The jitter matters most at the cap: when the server restarts, a whole
 * class reconnects at once, and a random 0-30 % shave spreads them out instead of hammering
 * it in lock-step.
 */
export const BACKOFF_BASE_MS = 250;
export const BACKOFF_MAX_MS = 5_000;
const JITTER = 0.3;

/** Delay before reconnect attempt `attempt` (0 for the first retry). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(ceiling * (1 - JITTER * random()));
}
