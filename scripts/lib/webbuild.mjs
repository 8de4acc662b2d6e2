// Production build of the Next.js app (`next build` into .next/), skipped when nothing that goes
// into it changed. "What goes into it" is every source file in the repository except the parts
// Next never bundles (the agent, scripts, tests, docs), so a new top-level folder the app imports
// from is covered without editing this list.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { hashTree, note, readIfExists, ROOT, run, SetupError } from './util.mjs';

const STAMP = join(ROOT, '.lab', 'build-stamp');

/** Top-level entries that never end up in the Next.js bundle. */
const NOT_WEB = new Set([
  '.git', '.ci', '.lab', '.next', 'node_modules', 'test-results', 'playwright-report', 'bench',
  'sandbox-agent', 'scripts', 'docs', 'bin', 'cli', 'e2e', 'README.md', 'LICENSE',
  'vitest.config.ts', 'playwright.config.ts', 'next-env.d.ts', 'tsconfig.tsbuildinfo',
]);

/** Files no page imports: unit tests living next to the code they test. */
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

export function webSourcesHash() {
  const top = readdirSync(ROOT).filter((n) => !NOT_WEB.has(n)).sort();
  const h = createHash('sha256');
  h.update(hashTree(top, { skipDirs: ['node_modules', '.next', '.lab', 'test-results', '.git', '__tests__'], skipFile: (n) => TEST_FILE.test(n) || n.endsWith('.tsbuildinfo') }));
  // Public env vars are inlined into the client bundle at build time.
  for (const [k, v] of Object.entries(process.env).sort()) if (k.startsWith('NEXT_PUBLIC_')) h.update(`${k}=${v}\n`);
  return h.digest('hex');
}

export async function ensureWebBuild() {
  const appDir = join(ROOT, 'app');
  if (!existsSync(appDir) || readdirSync(appDir).length === 0) {
    throw new SetupError('app/ has no pages yet, so there is nothing for next build to build.');
  }
  const hash = webSourcesHash();
  if (existsSync(join(ROOT, '.next', 'BUILD_ID')) && readIfExists(STAMP)?.trim() === hash) {
    note('web build up to date');
    return false;
  }
  note('building the web app: next build');
  const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  const code = await run(join(ROOT, 'node_modules', '.bin', 'next'), ['build'], { env });
  if (code !== 0) throw new SetupError(`next build failed (exit ${code}); see the output above.`);
  mkdirSync(join(ROOT, '.lab'), { recursive: true, mode: 0o711 });
  // Hash again: next build may itself touch inputs (it adds entries to tsconfig.json, writes
  // next-env.d.ts), and the stamp must describe the tree as the build left it.
  writeFileSync(STAMP, webSourcesHash() + '\n');
  return true;
}
