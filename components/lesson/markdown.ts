/**
 * Step Markdown → segments, on the server. Prose becomes HTML (marked, from our own lesson files
 * only, with raw HTML escaped so not even a lesson can inject markup); every top-level code fence
 * becomes a code segment that the page renders as React, so `run` fences can carry a Run button.
 */
import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import type { TerminalId } from '../../protocol/messages';
import { parseFenceInfo } from '../../server/lessons';

export type Segment =
  | { kind: 'prose'; html: string }
  | { kind: 'code'; code: string; lang: string; run: TerminalId | null; ctrlC: boolean };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  renderer: {
    // Lesson prose is Markdown, not HTML: show any tag literally instead of trusting it.
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    // Links leave the lesson: open them in a new tab so the terminals keep running.
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const safe = /^(https?:|mailto:|\/|#)/i.test(href) ? href : '#';
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      const external = /^https?:/i.test(safe) ? ' target="_blank" rel="noopener noreferrer"' : '';
      return `<a href="${escapeHtml(safe)}"${titleAttr}${external}>${inner}</a>`;
    },
  },
});

function toHtml(tokens: Token[], links: TokensList['links']): string {
  const list = Object.assign([...tokens], { links }) as TokensList;
  return marked.parser(list);
}

/** Split one step's Markdown into prose and code segments, resolving `run` to a terminal id. */
export function renderStepMarkdown(markdown: string, stepTerminal: TerminalId): Segment[] {
  const tokens = marked.lexer(markdown);
  const segments: Segment[] = [];
  let prose: Token[] = [];
  const flush = (): void => {
    if (prose.some((t) => t.type !== 'space')) segments.push({ kind: 'prose', html: toHtml(prose, tokens.links) });
    prose = [];
  };
  for (const token of tokens) {
    if (token.type !== 'code') {
      prose.push(token);
      continue;
    }
    flush();
    const code = token as Tokens.Code;
    const fence = parseFenceInfo(code.codeBlockStyle === 'indented' ? undefined : code.lang);
    const run = fence.run === 'step' ? stepTerminal : fence.run;
    segments.push({ kind: 'code', code: code.text, lang: fence.lang, run, ctrlC: fence.ctrlC });
  }
  flush();
  return segments;
}
