/**
 * System clipboard access from the page. The async Clipboard API only exists in secure contexts
 * (https, or localhost); a classroom server reached over plain http on the LAN has none, so
 * copying falls back to the old execCommand path and pasting falls back to the browser's own
 * paste event, which xterm.js handles.
 */

export function canReadClipboard(): boolean {
  return typeof navigator !== 'undefined' && window.isSecureContext && typeof navigator.clipboard?.readText === 'function';
}

export async function readClipboard(): Promise<string> {
  return navigator.clipboard.readText();
}

export async function writeClipboard(text: string): Promise<boolean> {
  if (window.isSecureContext && typeof navigator.clipboard?.writeText === 'function') {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: try the legacy path below.
    }
  }
  return legacyCopy(text);
}

/** Copy through a hidden textarea; works over plain http while a user gesture is in progress. */
function legacyCopy(text: string): boolean {
  const previous = document.activeElement;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  if (previous instanceof HTMLElement) previous.focus();
  return ok;
}
