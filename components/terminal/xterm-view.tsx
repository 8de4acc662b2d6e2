'use client';
/**
 * The xterm.js instance of one pane and everything attached to it: fit-to-size, clickable links,
 * copy/paste keys and menu, and the TerminalConnection. xterm.js touches `self` when imported,
 * so this module is only ever loaded with `dynamic(..., { ssr: false })` (see terminal-pane.tsx).
 */
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITheme } from '@xterm/xterm';
import { useEffect, useEffectEvent, useRef, useState, type MouseEvent as ReactMouseEvent, type RefObject } from 'react';
import type { Locale } from '../../protocol/lesson';
import type { Notice, Ready, TerminalId } from '../../protocol/messages';
import { UI } from '../ui-text';
import { bufferText } from './buffer-text';
import { canReadClipboard, readClipboard, writeClipboard } from './clipboard';
import { clipboardAction } from './clipboard-keys';
import { gatewayUrl, TerminalConnection, type ConnectionState, type TerminalView } from './connection';
import { ContextMenu, type MenuItem } from './context-menu';
import type { PaneHandle, TerminalRegistry } from './registry';
import { stateMessage } from './state-text';

/** What the pane's header needs to drive the connection (reconnect buttons). */
export interface PaneControls {
  retry(): void;
}

export interface XtermViewProps {
  id: TerminalId;
  locale: Locale;
  registry: TerminalRegistry;
  screenReaderMode: boolean;
  controlsRef: RefObject<PaneControls | null>;
  onState(state: ConnectionState): void;
  onReady(ready: Ready): void;
  onNotice(notice: Notice): void;
  /** A short message for the pane's status line (paste refused…); null clears it. */
  onMessage(message: string | null): void;
}

/** Fit waits for layout to settle: a drag resize fires many observer callbacks. */
const RESIZE_DEBOUNCE_MS = 60;

const THEME: ITheme = {
  background: '#111418',
  foreground: '#e4e6eb',
  cursor: '#f5c451',
  cursorAccent: '#111418',
  selectionBackground: '#3d5a80',
  black: '#1b1f24',
  red: '#f07178',
  green: '#a6d189',
  yellow: '#e5c890',
  blue: '#82aaff',
  magenta: '#c792ea',
  cyan: '#89ddff',
  white: '#d0d4db',
  brightBlack: '#6b7280',
  brightRed: '#ff8b92',
  brightGreen: '#c3e88d',
  brightYellow: '#ffcb6b',
  brightBlue: '#a0bfff',
  brightMagenta: '#dcb5ff',
  brightCyan: '#a6ecff',
  brightWhite: '#ffffff',
};

/** Locally installed fonts only: the classroom is offline, nothing is fetched. */
const FONT_FAMILY = '"DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", Menlo, Consolas, ui-monospace, monospace';

export default function XtermView(props: XtermViewProps) {
  const { id, locale, registry, controlsRef } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const menuActions = useRef<{ copy(): void; paste(): void } | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; hasSelection: boolean } | null>(null);

  // Effect events: the socket callbacks always reach the latest props without reconnecting.
  const emitState = useEffectEvent((state: ConnectionState) => props.onState(state));
  const emitReady = useEffectEvent((ready: Ready) => props.onReady(ready));
  const emitNotice = useEffectEvent((notice: Notice) => props.onNotice(notice));
  const emitMessage = useEffectEvent((message: string | null) => props.onMessage(message));
  const initialScreenReaderMode = useEffectEvent(() => props.screenReaderMode);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const text = UI[locale];
    const term = new Terminal({
      fontFamily: FONT_FAMILY,
      fontSize: 14,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: THEME,
      screenReaderMode: initialScreenReaderMode(),
      // Right click opens our menu; do not let it also select a word under the pointer.
      rightClickSelectsWord: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        window.open(uri, '_blank', 'noopener,noreferrer');
      }),
    );
    term.open(host);
    const safeFit = (): void => {
      // A pane with no size (hidden, not laid out yet) has nothing to fit to.
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };
    safeFit();

    // When output last finished parsing: lets a Run button wait for a new shell's prompt.
    let lastOutputAt = 0;
    const view: TerminalView = {
      write: (data, parsed) =>
        term.write(data, () => {
          lastOutputAt = performance.now();
          parsed();
        }),
      // RIS (ESC c) resets in-band, in order with output still queued in xterm.js's write
      // buffer; term.reset() would run now and let older queued bytes repaint afterwards.
      reset: () => term.write('\x1bc'),
      note: (line) => term.write(`\r\n\x1b[2m${line}\x1b[22m\r\n`),
      size: () => ({ cols: term.cols, rows: term.rows }),
    };
    const connection = new TerminalConnection({
      url: gatewayUrl(window.location),
      terminal: id,
      view,
      exitMessage: text.exitMessage,
      newSandboxMessage: text.newSandbox,
      events: {
        state: (state) => {
          if (state.kind === 'ready') registry.markReady(id);
          if (state.kind === 'failed' || state.kind === 'ended' || state.kind === 'closed') {
            registry.markFailed(id, stateMessage(state, text) ?? text.closed);
          }
          emitState(state);
        },
        ready: (ready) => emitReady(ready),
        notice: (notice) => emitNotice(notice),
      },
    });

    // Clipboard calls resolve later; by then the pane may be gone.
    let disposed = false;
    const copySelection = (): void => {
      if (!term.hasSelection()) return;
      void writeClipboard(term.getSelection()).then((ok) => {
        if (!disposed) emitMessage(ok ? null : text.copyFailed);
      });
    };
    const pasteClipboard = (): void => {
      if (!canReadClipboard()) {
        emitMessage(text.pasteUnavailable);
        return;
      }
      readClipboard().then(
        (clip) => {
          if (disposed) return;
          emitMessage(null);
          if (clip) term.paste(clip);
        },
        () => {
          if (!disposed) emitMessage(text.pasteBlocked);
        },
      );
    };

    term.attachCustomKeyEventHandler((event) => {
      const action = clipboardAction(event);
      if (action === null) return true;
      if (event.type === 'keydown') {
        if (action === 'copy') {
          event.preventDefault();
          copySelection();
        } else if (canReadClipboard()) {
          event.preventDefault();
          pasteClipboard();
        }
        // Without the Clipboard API (plain http) the browser's own paste event still fires
        // for these keys and xterm.js pastes it: leave the default alone.
      }
      return false; // never send the chord itself to the shell
    });

    const handle: PaneHandle = {
      read: () => bufferText(term.buffer.active),
      isReady: () => connection.state.kind === 'ready',
      type: (keys) => connection.send(keys),
      focus: () => term.focus(),
      revive: () => {
        const kind = connection.state.kind;
        // Exited: a fresh shell. Closed or refused: ask again (a refusal repeats its reason).
        if (kind === 'exited' || kind === 'closed' || kind === 'failed') connection.retryNow();
      },
      settle: (quietMs, maxMs) =>
        new Promise((resolve) => {
          const start = performance.now();
          const check = (): void => {
            const now = performance.now();
            if (now - start >= maxMs || (lastOutputAt > 0 && now - lastOutputAt >= quietMs)) resolve();
            else setTimeout(check, 25);
          };
          check();
        }),
    };
    registry.register(id, handle);

    const subscriptions = [term.onData((data) => connection.userInput(data)), term.onResize((size) => connection.resize(size))];

    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(safeFit, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(host);

    // Back online: do not sit out the rest of a 5 s backoff.
    const onOnline = (): void => {
      if (connection.state.kind === 'reconnecting') connection.retryNow();
    };
    window.addEventListener('online', onOnline);

    termRef.current = term;
    controlsRef.current = { retry: () => connection.retryNow() };
    menuActions.current = { copy: copySelection, paste: pasteClipboard };
    connection.start();

    return () => {
      disposed = true;
      window.removeEventListener('online', onOnline);
      observer.disconnect();
      clearTimeout(resizeTimer);
      for (const s of subscriptions) s.dispose();
      registry.unregister(id, handle);
      connection.dispose();
      term.dispose(); // also disposes the loaded addons
      termRef.current = null;
      controlsRef.current = null;
      menuActions.current = null;
    };
  }, [id, locale, registry, controlsRef]);

  useEffect(() => {
    if (termRef.current) termRef.current.options.screenReaderMode = props.screenReaderMode;
  }, [props.screenReaderMode]);

  const openMenu = (event: ReactMouseEvent<HTMLDivElement>): void => {
    const term = termRef.current;
    const host = hostRef.current;
    if (!term || !host) return;
    event.preventDefault();
    const box = host.getBoundingClientRect();
    // A keyboard-opened menu (Shift+F10) reports no pointer position: put it at the corner.
    const x = event.clientX > 0 ? Math.min(event.clientX - box.left, box.width - 160) : 8;
    const y = event.clientY > 0 ? Math.min(event.clientY - box.top, box.height - 150) : 8;
    setMenu({ x: Math.max(0, x), y: Math.max(0, y), hasSelection: term.hasSelection() });
  };

  const closeMenu = (): void => {
    setMenu(null);
    termRef.current?.focus();
  };

  const text = UI[locale];
  const items: MenuItem[] = menu
    ? [
        { label: text.copy, disabled: !menu.hasSelection, act: () => menuActions.current?.copy() },
        { label: text.paste, act: () => menuActions.current?.paste() },
        { label: text.selectAll, act: () => termRef.current?.selectAll() },
        { label: text.clear, act: () => termRef.current?.clear() },
      ]
    : [];

  return (
    <div className="xterm-host-frame" onContextMenu={openMenu}>
      <div ref={hostRef} className="xterm-host" data-terminal-id={id} />
      {menu && <ContextMenu x={menu.x} y={menu.y} label={text.menuLabel} items={items} onClose={closeMenu} />}
    </div>
  );
}
