/**
 * A terminal buffer as plain text, for tests and tools that must read what the learner sees
 * without pixels (xterm.js's own end-to-end tests do the same). Soft-wrapped rows are joined
 * back into the line the program printed.
 */

/** The slice of xterm.js's IBuffer this needs (structural, so tests can pass a fake). */
export interface BufferLike {
  readonly length: number;
  getLine(y: number): { readonly isWrapped: boolean; translateToString(trimRight?: boolean): string } | undefined;
}

export function bufferText(buffer: BufferLike): string {
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y);
    if (!line) continue;
    // Keep trailing spaces of a row that continues on the next one: they are part of the line.
    const continues = buffer.getLine(y + 1)?.isWrapped ?? false;
    const text = line.translateToString(!continues);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
