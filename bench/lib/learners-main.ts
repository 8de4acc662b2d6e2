/**
 * Child-process entry for simulated learners (learners.ts). Options arrive as JSON in argv[2];
 * the parent is told {type:'running', stats} once all have started, sends {type:'stop'}, and
 * gets {type:'stopped', stats} before this process exits.
 */
import { z } from 'zod';
import { LearnerGroup } from './learners';

const Options = z.strictObject({
  baseUrl: z.string().url(),
  count: z.number().int().min(1).max(1000),
  startConcurrency: z.number().int().min(1).max(100).optional(),
});

const opts = Options.parse(JSON.parse(process.argv[2] ?? '{}'));
const group = new LearnerGroup(opts);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const stats = await group.stop();
  process.send?.({ type: 'stopped', stats });
  process.disconnect?.();
  process.exit(0);
};
process.on('message', (m: unknown) => {
  if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'stop') void stop();
});
// The parent went away: clean up our sandboxes anyway.
process.on('disconnect', () => void stop());
await group.start();
process.send?.({ type: 'running', stats: group.stats });
