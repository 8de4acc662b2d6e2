/**
 * Every figure module, in the order bench/run.ts runs them. Each is loaded only when selected
 * (`--only`), so a module with heavy imports (Chromium for the page figures) costs nothing
 * otherwise, and one that fails to load is reported without stopping the others.
 */
import type { FigureModule } from '../figure';

export interface ModuleEntry {
  name: string;
  load(): Promise<FigureModule>;
}

export const MODULES: readonly ModuleEntry[] = [
  { name: 'start', load: async () => (await import('./start')).module },
  { name: 'echo', load: async () => (await import('./echo')).module },
  { name: 'flood', load: async () => (await import('./flood')).module },
  { name: 'density', load: async () => (await import('./density')).module },
  { name: 'check', load: async () => (await import('./check')).module },
  { name: 'classroom', load: async () => (await import('./classroom')).module },
  { name: 'page', load: async () => (await import('./page')).module },
];
