'use client';
/**
 * Page-wide terminal state shared by the lesson text (Run buttons) and the terminal column:
 * which terminals are open, the screen reader preference, notices from the server, and whether
 * the sandbox ended. Also installs `window.__lab` for the end-to-end tests.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../../protocol/lesson';
import { TerminalId } from '../../protocol/messages';
import { commandKeystrokes } from './client-frames';
import { TerminalRegistry } from './registry';

/** What end-to-end tests read instead of pixels. */
export interface LabTestApi {
  /** Whole buffer of terminal `id`, scrollback included, as lines joined by "\n". */
  read(id: string): string;
  /** True once terminal `id` is connected and its shell is ready. */
  ready(id: string): boolean;
}

declare global {
  interface Window {
    __lab?: LabTestApi;
  }
}

export type NoticeLevel = 'info' | 'warning' | 'error';
export interface LabNotice {
  key: number;
  level: NoticeLevel;
  message: string;
}

interface LabContextValue {
  locale: Locale;
  registry: TerminalRegistry;
  openIds: TerminalId[];
  openTerminal(id: TerminalId): void;
  /** Opens the lowest free id; false when all nine are open. */
  openNextTerminal(): boolean;
  closeTerminal(id: TerminalId): void;
  /** Terminals the server says exist: open a pane for each (after a reload, all come back). */
  ensureOpen(ids: readonly TerminalId[]): void;
  /** Type `command` and Enter into terminal `id`, opening it and waiting for it if needed; `ctrlC` stops what runs there first. */
  run(id: TerminalId, command: string, options?: { ctrlC?: boolean }): Promise<void>;
  screenReaderMode: boolean;
  setScreenReaderMode(on: boolean): void;
  notices: LabNotice[];
  addNotice(level: NoticeLevel, message: string): void;
  dismissNotice(key: number): void;
  /** Set once any terminal learns the sandbox ended. */
  endedReason: string | null;
  markEnded(reason: string): void;
  /**
   * The sandbox session the terminals last connected to (from their Ready); null until one did.
   * The explorer waits for it, so the terminal (not the explorer) is what starts a sandbox, and
   * reconnects when it changes, to follow a new sandbox after the old one ended.
   */
  sandboxSession: string | null;
  noteSandbox(session: string): void;
}

const LabContext = createContext<LabContextValue | null>(null);

export function useLab(): LabContextValue {
  const value = useContext(LabContext);
  if (!value) throw new Error('useLab must be used inside <LabProvider>');
  return value;
}

const ALL_IDS: readonly TerminalId[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const SCREEN_READER_KEY = 'lab.screenReaderMode';
/** How long a Run button waits for its terminal: a sandbox starts in well under a second. */
const RUN_WAIT_MS = 20_000;
const PROMPT_QUIET_MS = 150;
/** After a Ctrl-C the shell handles the signal before it reads on; typing sooner can be lost under load. */
const INTERRUPT_QUIET_MS = 400;
const PROMPT_WAIT_MS = 2_000;

function sortedIds(ids: Iterable<TerminalId>): TerminalId[] {
  return [...new Set(ids)].sort((a, b) => Number(a) - Number(b));
}

export function LabProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const [registry] = useState(() => new TerminalRegistry());
  const [openIds, setOpenIds] = useState<TerminalId[]>(['1']);
  const [screenReaderMode, setScreenReaderModeState] = useState(false);
  const [notices, setNotices] = useState<LabNotice[]>([]);
  const [endedReason, setEndedReason] = useState<string | null>(null);
  const [sandboxSession, setSandboxSession] = useState<string | null>(null);

  // The preference lives in localStorage, which only exists in the browser: read it after mount.
  useEffect(() => {
    try {
      if (window.localStorage.getItem(SCREEN_READER_KEY) === 'on') setScreenReaderModeState(true);
    } catch {
      // Storage disabled (private mode policies): keep the default.
    }
  }, []);

  const setScreenReaderMode = useCallback((on: boolean) => {
    setScreenReaderModeState(on);
    try {
      window.localStorage.setItem(SCREEN_READER_KEY, on ? 'on' : 'off');
    } catch {
      // Not persisted; the toggle still works for this page.
    }
  }, []);

  const openTerminal = useCallback((id: TerminalId) => {
    setOpenIds((ids) => (ids.includes(id) ? ids : sortedIds([...ids, id])));
  }, []);

  const ensureOpen = useCallback((more: readonly TerminalId[]) => {
    setOpenIds((ids) => (more.every((id) => ids.includes(id)) ? ids : sortedIds([...ids, ...more])));
  }, []);

  const openNextTerminal = useCallback((): boolean => {
    const free = ALL_IDS.find((id) => !openIds.includes(id));
    if (free === undefined) return false;
    openTerminal(free);
    return true;
  }, [openIds, openTerminal]);

  const closeTerminal = useCallback((id: TerminalId) => {
    setOpenIds((ids) => ids.filter((x) => x !== id));
  }, []);

  const addNotice = useCallback((level: NoticeLevel, message: string) => {
    // Every terminal's connection may relay the same sandbox-wide notice: show it once.
    setNotices((list) => (list.some((n) => n.message === message) ? list : [...list, { key: Date.now() + Math.random(), level, message }]));
  }, []);

  const dismissNotice = useCallback((key: number) => {
    setNotices((list) => list.filter((n) => n.key !== key));
  }, []);

  const markEnded = useCallback((reason: string) => setEndedReason((r) => r ?? reason), []);
  const noteSandbox = useCallback((session: string) => setSandboxSession(session), []);

  const run = useCallback(
    async (id: TerminalId, command: string, options: { ctrlC?: boolean } = {}) => {
      const wasReady = registry.ready(id);
      openTerminal(id);
      registry.revive(id);
      try {
        const pane = await registry.whenReady(id, RUN_WAIT_MS);
        // A terminal that just opened is still printing its prompt (or replaying its screen);
        // typing into the middle of that would garble the echo.
        if (!wasReady) await pane.settle(PROMPT_QUIET_MS, PROMPT_WAIT_MS);
        if (options.ctrlC) {
          // The interrupted program prints its farewell and the shell a fresh prompt: wait for
          // both, or the command's echo lands in the middle of them.
          pane.type('\x03');
          await pane.settle(INTERRUPT_QUIET_MS, PROMPT_WAIT_MS);
        }
        pane.type(commandKeystrokes(command));
        pane.focus();
      } catch (err) {
        addNotice('error', err instanceof Error ? err.message : String(err));
      }
    },
    [registry, openTerminal, addNotice],
  );

  useEffect(() => {
    const parse = (id: string): TerminalId | null => {
      const r = TerminalId.safeParse(id);
      return r.success ? r.data : null;
    };
    const api: LabTestApi = {
      read: (id) => {
        const t = parse(id);
        return t ? registry.read(t) : '';
      },
      ready: (id) => {
        const t = parse(id);
        return t ? registry.ready(t) : false;
      },
    };
    window.__lab = api;
    return () => {
      if (window.__lab === api) delete window.__lab;
    };
  }, [registry]);

  const value = useMemo<LabContextValue>(
    () => ({
      locale,
      registry,
      openIds,
      openTerminal,
      openNextTerminal,
      closeTerminal,
      ensureOpen,
      run,
      screenReaderMode,
      setScreenReaderMode,
      notices,
      addNotice,
      dismissNotice,
      endedReason,
      markEnded,
      sandboxSession,
      noteSandbox,
    }),
    [
      locale,
      registry,
      openIds,
      openTerminal,
      openNextTerminal,
      closeTerminal,
      ensureOpen,
      run,
      screenReaderMode,
      setScreenReaderMode,
      notices,
      addNotice,
      dismissNotice,
      endedReason,
      markEnded,
      sandboxSession,
      noteSandbox,
    ],
  );

  return <LabContext.Provider value={value}>{children}</LabContext.Provider>;
}
