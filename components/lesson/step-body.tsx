/**
 * One step's content: prose HTML produced by marked from our own lesson files (raw HTML in
 * them is escaped, see markdown.ts), interleaved with React code blocks.
 */
import type { Locale } from '../ui-text';
import { CodeBlock } from './code-block';
import type { Segment } from './markdown';

export function StepBody({ segments, idPrefix, locale }: { segments: Segment[]; idPrefix: string; locale: Locale }) {
  return (
    <div className="step-body">
      {segments.map((segment, i) =>
        segment.kind === 'prose' ? (
          <div key={i} className="prose" dangerouslySetInnerHTML={{ __html: segment.html }} />
        ) : (
          <CodeBlock key={i} code={segment.code} lang={segment.lang} run={segment.run} ctrlC={segment.ctrlC} codeId={`${idPrefix}-code-${i}`} locale={locale} />
        ),
      )}
    </div>
  );
}
