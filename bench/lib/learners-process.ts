/** Run simulated learners (learners.ts) in a child process and talk to it. */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LearnerStats } from './learners';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'learners-main.ts');

export interface LearnersProcess {
  /** Stats when every learner had started (or failed to). */
  started: LearnerStats;
  stop(): Promise<LearnerStats>;
}

export function startLearners(opts: { baseUrl: string; count: number; startConcurrency?: number }, timeoutMs = 300_000): Promise<LearnersProcess> {
  const child = fork(MAIN, [JSON.stringify(opts)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: Array<(m: { type: string; stats: LearnerStats }) => void> = [];
  child.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && 'type' in m && 'stats' in m) for (const h of messages) h(m as { type: string; stats: LearnerStats });
  });
  const next = (type: string, ms: number) =>
    new Promise<LearnerStats>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulated learners: no '${type}' within ${ms / 1000} s`)), ms);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`simulated learners exited (status ${code}) before '${type}'`));
      };
      child.once('exit', onExit);
      messages.push((m) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m.stats);
      });
    });
  return next('running', timeoutMs).then(
    (started) => ({
      started,
      stop: async () => {
        const stopped = next('stopped', 120_000);
        child.send({ type: 'stop' });
        const stats = await stopped;
        await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
        return stats;
      },
    }),
    (e: unknown) => {
      child.kill('SIGTERM');
      throw e;
    },
  );
}
