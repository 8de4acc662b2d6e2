/**
 * A lesson: step text on the left (one step at a time), terminals on the right. Markdown is
 * rendered here on the server; the terminals are client-only.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CodeBlock } from '../../../components/lesson/code-block';
import { renderStepMarkdown } from '../../../components/lesson/markdown';
import { StepBody } from '../../../components/lesson/step-body';
import { StepNavigator, type StepView } from '../../../components/lesson/step-navigator';
import { LabProvider } from '../../../components/terminal/lab-context';
import { TerminalWorkspace } from '../../../components/terminal/terminal-workspace';
import { resolveLocale, UI, withLocale } from '../../../components/ui-text';
import { getLesson, listLessons } from '../../../server/lessons';

type Params = Promise<{ slug: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Runs during `next build` too, so a broken lesson fails the build with the loader's sentence. */
export async function generateStaticParams(): Promise<Array<{ slug: string }>> {
  return (await listLessons()).map((lesson) => ({ slug: lesson.slug }));
}

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: SearchParams }): Promise<Metadata> {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const lesson = await getLesson(slug);
  if (!lesson) return { title: 'Page not found' };
  const locale = resolveLocale(query.lang);
  return {
    title: (locale === 'zh' && lesson.title.zh) || lesson.title.en,
    description: (locale === 'zh' && lesson.summary.zh) || lesson.summary.en,
  };
}

export default async function LessonPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const lesson = await getLesson(slug);
  if (!lesson) notFound();
  const locale = resolveLocale(query.lang);
  const text = UI[locale];

  const steps: StepView[] = lesson.steps.map((step, i) => {
    const translated = locale === 'en' || step.markdown.zh !== undefined;
    const markdown = (locale === 'zh' && step.markdown.zh) || step.markdown.en;
    const hint = step.hint ? (locale === 'zh' && step.hint.zh) || step.hint.en : null;
    return {
      id: step.id,
      title: (locale === 'zh' && step.title.zh) || step.title.en,
      translated,
      content: <StepBody segments={renderStepMarkdown(markdown, step.terminal)} idPrefix={`step-${i + 1}`} locale={locale} />,
      hasCheck: step.check !== undefined,
      hint: hint === null ? null : <p>{hint}</p>,
      // The same Run-button code blocks as the step text, so a solution is one click per command.
      solution: step.solution?.length
        ? step.solution.map((cmd, j) => (
            <CodeBlock key={j} code={cmd.run} lang="sh" run={cmd.terminal ?? step.terminal} codeId={`step-${i + 1}-solution-${j}`} locale={locale} />
          ))
        : null,
    };
  });
  const wanted = Array.isArray(query.step) ? query.step[0] : query.step;
  const initialIndex = Math.max(0, steps.findIndex((s) => s.id === wanted));
  const title = (locale === 'zh' && lesson.title.zh) || lesson.title.en;

  return (
    <LabProvider locale={locale}>
      <div className="lesson-layout">
        <main id="content" className="lesson-main" aria-labelledby="lesson-title">
          <p className="breadcrumb">
            <Link href={withLocale('/', locale)}>
              <span aria-hidden="true">← </span>
              {text.allLessons}
            </Link>
          </p>
          <p className="lesson-number">{text.lessonNumber(lesson.order)}</p>
          <h1 id="lesson-title">{title}</h1>
          <StepNavigator lesson={lesson.slug} steps={steps} initialIndex={initialIndex} locale={locale} />
        </main>
        <TerminalWorkspace />
      </div>
    </LabProvider>
  );
}
