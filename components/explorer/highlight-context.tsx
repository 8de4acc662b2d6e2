'use client';
/**
 * Which explorer object the open lesson step points at (its `explorer` field, protocol/lesson.ts):
 * the step navigator sets it, the explorer panel outlines it. A context of its own, so changing
 * steps re-renders the panel and not every terminal.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ExplorerHighlight } from '../../protocol/lesson';

interface HighlightValue {
  highlight: ExplorerHighlight | null;
  setHighlight(highlight: ExplorerHighlight | null): void;
}

const HighlightContext = createContext<HighlightValue | null>(null);

export function ExplorerHighlightProvider({ children }: { children: ReactNode }) {
  const [highlight, setHighlight] = useState<ExplorerHighlight | null>(null);
  // setHighlight is a state setter, stable: the value changes only with `highlight`.
  const value = useMemo<HighlightValue>(() => ({ highlight, setHighlight }), [highlight]);
  return <HighlightContext.Provider value={value}>{children}</HighlightContext.Provider>;
}

function useHighlightContext(): HighlightValue {
  const value = useContext(HighlightContext);
  if (!value) throw new Error('the explorer highlight needs <ExplorerHighlightProvider>');
  return value;
}

/** What the open step points at, if anything. */
export function useExplorerHighlight(): ExplorerHighlight | null {
  return useHighlightContext().highlight;
}

/** Point the explorer at `highlight` while the calling component (the open step) shows it. */
export function useShowInExplorer(highlight: ExplorerHighlight | undefined): void {
  const { setHighlight } = useHighlightContext();
  useEffect(() => {
    setHighlight(highlight ?? null);
    return () => setHighlight(null);
  }, [highlight, setHighlight]);
}
