/**
 * The open terminal panes of one page, for the parts of the page that are not the pane itself:
 * lesson Run buttons (type a command once the terminal is ready) and the end-to-end tests'
 * `window.__lab` (read a buffer as text). No React and no xterm.js here.
 */
import type { TerminalId } from '../../protocol/messages';

export interface PaneHandle {
  /** The whole buffer, scrollback included, as text lines joined by "\n". */
  read(): string;
  isReady(): boolean;
  /** Send keystrokes to the shell; false when not connected. */
  type(text: string): boolean;
  focus(): void;
  /** Start over if the pane is idle after an exit or a refusal (a Run click is a clear intent). */
  revive(): void;
  /** Resolves once output has been quiet for `quietMs` (a fresh shell has printed its prompt),
   * or after `maxMs` whatever happens. */
  settle(quietMs: number, maxMs: number): Promise<void>;
}

interface Waiter {
  resolve(pane: PaneHandle): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class TerminalRegistry {
  private readonly panes = new Map<TerminalId, PaneHandle>();
  private readonly waiters = new Map<TerminalId, Waiter[]>();

  register(id: TerminalId, pane: PaneHandle): void {
    this.panes.set(id, pane);
    if (pane.isReady()) this.markReady(id);
  }

  unregister(id: TerminalId, pane: PaneHandle): void {
    // React may mount the replacement pane before the old one's cleanup runs.
    if (this.panes.get(id) === pane) this.panes.delete(id);
  }

  /** The pane's connection reached Ready: hand it to whoever was waiting. */
  markReady(id: TerminalId): void {
    const pane = this.panes.get(id);
    if (!pane) return;
    for (const w of this.waiters.get(id)?.splice(0) ?? []) {
      clearTimeout(w.timer);
      w.resolve(pane);
    }
  }

  /** The pane cannot become ready (the server refused it): fail the waiters with its sentence. */
  markFailed(id: TerminalId, reason: string): void {
    for (const w of this.waiters.get(id)?.splice(0) ?? []) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
    }
  }

  whenReady(id: TerminalId, timeoutMs: number): Promise<PaneHandle> {
    const pane = this.panes.get(id);
    if (pane?.isReady()) return Promise.resolve(pane);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(id) ?? [];
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          list.splice(list.indexOf(waiter), 1);
          reject(new Error(`Terminal ${id} did not become ready within ${Math.round(timeoutMs / 1000)} s.`));
        }, timeoutMs),
      };
      list.push(waiter);
      this.waiters.set(id, list);
    });
  }

  revive(id: TerminalId): void {
    this.panes.get(id)?.revive();
  }

  read(id: TerminalId): string {
    return this.panes.get(id)?.read() ?? '';
  }

  ready(id: TerminalId): boolean {
    return this.panes.get(id)?.isReady() ?? false;
  }

  dispose(): void {
    for (const id of [...this.waiters.keys()]) this.markFailed(id, 'The page is closing.');
    this.panes.clear();
  }
}
