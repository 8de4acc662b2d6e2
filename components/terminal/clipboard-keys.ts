/**
 * Which keys mean copy or paste in a terminal. Plain Ctrl+C and Ctrl+V belong to the shell
 * (interrupt, literal-next), so terminals use the shifted forms, plus the old Insert pair.
 */
export type ClipboardAction = 'copy' | 'paste';

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export function clipboardAction(e: KeyLike): ClipboardAction | null {
  if (e.altKey || e.metaKey) return null;
  if (e.ctrlKey && e.shiftKey) {
    if (e.code === 'KeyC' || e.key.toLowerCase() === 'c') return 'copy';
    if (e.code === 'KeyV' || e.key.toLowerCase() === 'v') return 'paste';
    return null;
  }
  if (e.key === 'Insert') {
    if (e.shiftKey) return 'paste';
    if (e.ctrlKey) return 'copy';
  }
  return null;
}
