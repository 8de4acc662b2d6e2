'use client';
/**
 * The terminal's right-click menu (Copy, Paste, Select all, Clear). A small WAI-ARIA menu:
 * focus moves into it, arrows move between items, Escape or Tab closes it and returns focus to
 * the terminal, a click elsewhere closes it.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  disabled?: boolean;
  act(): void;
}

export function ContextMenu({ x, y, label, items, onClose }: { x: number; y: number; label: string; items: MenuItem[]; onClose(): void }) {
  const listRef = useRef<HTMLUListElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  const buttons = (): HTMLButtonElement[] => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];

  useEffect(() => {
    buttons()[0]?.focus();
    const onPointerDown = (event: PointerEvent): void => {
      if (!listRef.current?.contains(event.target as Node)) onCloseRef.current();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const list = buttons();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number): void => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <ul ref={listRef} role="menu" aria-label={label} className="terminal-menu" style={{ left: x, top: y }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <li role="none" key={item.label}>
          <button
            type="button"
            role="menuitem"
            disabled={item.disabled}
            onClick={() => {
              item.act();
              onClose();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
