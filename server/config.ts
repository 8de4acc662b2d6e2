/** Web-tier settings from the environment (README "Settings"), validated at start. */
import { join, resolve } from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LAB_DATA_DIR: z.string().default('.lab'),
  LAB_DB: z.string().optional(),
  LAB_AGENT_SOCKET: z.string().optional(),
  LAB_AGENT_TOKEN: z.string().min(16, 'LAB_AGENT_TOKEN must be at least 16 characters'),
  LAB_AGENT: z.enum(['embedded', 'external']).default('embedded'),
  LAB_WEB_USER: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('container-lab'),
  /** Required to read /metrics when HOST is beyond loopback (server/metrics-access.ts). */
  LAB_METRICS_TOKEN: z.string().min(16, 'LAB_METRICS_TOKEN must be at least 16 characters').max(256).optional(),
  NODE_ENV: z.string().optional(),
});

export interface WebConfig {
  port: number;
  host: string;
  dataDir: string;
  dbPath: string;
  agentSocket: string;
  agentToken: string;
  /** The agent runs beside us (npm start) rather than as our child. */
  externalAgent: boolean;
  /** System user the web tier drops to when started as root. */
  webUser: string;
  /** Bearer token for /metrics when listening beyond loopback; unset = refused there. */
  metricsToken: string | undefined;
  dev: boolean;
}

export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`bad setting ${i.path.join('.')}: ${i.message}`);
  }
  const e = r.data;
  const dataDir = resolve(e.LAB_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    dbPath: resolve(e.LAB_DB ?? join(dataDir, 'db', 'lab.db')),
    agentSocket: resolve(e.LAB_AGENT_SOCKET ?? join(dataDir, 'agent.sock')),
    agentToken: e.LAB_AGENT_TOKEN,
    externalAgent: e.LAB_AGENT === 'external',
    webUser: e.LAB_WEB_USER,
    metricsToken: e.LAB_METRICS_TOKEN,
    dev: e.NODE_ENV === 'development',
  };
}
