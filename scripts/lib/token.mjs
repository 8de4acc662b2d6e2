// The shared secret the web tier (and the lab CLI) present to the agent in their hello.
// LAB_AGENT_TOKEN wins; otherwise ${LAB_DATA_DIR}/agent-token, created once with 32 random bytes.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { note, ROOT, SetupError, warn } from './util.mjs';

export function dataDir() {
  return resolve(ROOT, process.env.LAB_DATA_DIR || '.lab');
}

export function ensureAgentToken() {
  const fromEnv = process.env.LAB_AGENT_TOKEN;
  if (fromEnv) {
    // Same bounds as AgentHello.token in protocol/messages.ts.
    if (fromEnv.length < 16 || fromEnv.length > 256) throw new SetupError('LAB_AGENT_TOKEN must be 16 to 256 characters long');
    note('agent token from LAB_AGENT_TOKEN');
    return fromEnv;
  }
  const dir = dataDir();
  const file = join(dir, 'agent-token');
  // 0711: the web tier drops to an unprivileged user (server/privileges.ts) and must still reach
  // its own paths inside (db/, agent.sock), but may neither list the directory nor read the
  // token file, which stays 0600 root.
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16 && token.length <= 256) {
      if ((statSync(file).mode & 0o077) !== 0) {
        warn(`${file} was readable by others; tightened to 0600`);
        chmodSync(file, 0o600);
      }
      note(`agent token from ${file}`);
      return token;
    }
    warn(`${file} does not hold a usable token; generating a new one`);
  }
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  note(`generated a new agent token in ${file}`);
  return token;
}
