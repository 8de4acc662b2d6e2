/**
 * A lesson: step text on the left (one step at a time), terminals and the explorer on the right.
 * Markdown is rendered here on the server; terminals and explorer connect from the browser.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExplorerPanel } from '../../../components/explorer/explorer-panel';
import { ExplorerHighlightProvider } from '../../../components/explorer/highlight-context';
import { CodeBlock } from '../../../components/lesson/code-block';
import { LessonSetup } from '../../../components/lesson/lesson-setup';
import { renderStepMarkdown } from '../../../components/lesson/markdown';
import { StepBody } from '../../../components/lesson/step-body';
import { StepNavigator, type StepView } from '../../../components/lesson/step-navigator';
import { LabProvider } from '../../../components/terminal/lab-context';
import { TerminalWorkspace } from '../../../components/terminal/terminal-workspace';
import { UI, withLocale } from '../../../components/ui-text';
import { requestLocale } from '../../request-locale';
import { getLesson, listLessons } from '../../../server/lessons';

type Params = Promise<{ slug: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Runs during `next build` too, so a broken lesson fails the build with the loader's sentence. */
export async function generateStaticParams(): Promise<Array<{ slug: string }>> {
  return (await listLessons()).map((lesson) => ({ slug: lesson.slug }));
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug } = await params;
  const lesson = await getLesson(slug);
  if (!lesson) return { title: 'Page not found' };
  const locale = await requestLocale();
  return {
    title: lesson.title[locale],
    description: lesson.summary[locale],
  };
}

export default async function LessonPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const lesson = await getLesson(slug);
  if (!lesson) notFound();
  const locale = await requestLocale();
  const text = UI[locale];

  const steps: StepView[] = lesson.steps.map((step, i) => ({
    id: step.id,
    title: step.title[locale],
    explorer: step.explorer,
    content: <StepBody segments={renderStepMarkdown(step.markdown[locale], step.terminal)} idPrefix={`step-${i + 1}`} locale={locale} />,
    hint: <p>{step.hint[locale]}</p>,
    // The same Run-button code blocks as the step text, so a solution is one click per command.
    solution: step.solution.map((cmd, j) => (
      <CodeBlock key={j} code={cmd.run} lang="sh" run={cmd.terminal ?? step.terminal} ctrlC={cmd.ctrlC ?? false} codeId={`step-${i + 1}-solution-${j}`} locale={locale} />
    )),
  }));
  const wanted = Array.isArray(query.step) ? query.step[0] : query.step;
  const initialIndex = Math.max(0, steps.findIndex((s) => s.id === wanted));
  const title = lesson.title[locale];
  const lessons = await listLessons();
  const following = lessons[lessons.findIndex((l) => l.slug === lesson.slug) + 1];
  const nextLesson = following ? { href: withLocale(`/lessons/${following.slug}`, locale), title: following.title[locale] } : null;

  return (
    <LabProvider locale={locale}>
      <ExplorerHighlightProvider>
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
            {lesson.setup !== undefined && <LessonSetup lesson={lesson.slug} />}
            <StepNavigator lesson={lesson.slug} steps={steps} initialIndex={initialIndex} nextLesson={nextLesson} locale={locale} />
          </main>
          <div className="lab-column">
            <TerminalWorkspace />
            <ExplorerPanel />
          </div>
        </div>
      </ExplorerHighlightProvider>
    </LabProvider>
  );
}
