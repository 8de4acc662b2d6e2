/** The course page: every lesson in order, with its summary and a link. */
import Link from 'next/link';
import { LessonProgress } from '../components/lesson/lesson-progress';
import { listLessons } from '../server/lessons';
import { resolveLocale, UI, withLocale } from '../components/ui-text';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CoursePage({ searchParams }: { searchParams: SearchParams }) {
  const locale = resolveLocale((await searchParams).lang);
  const text = UI[locale];
  const lessons = await listLessons();
  return (
    <main id="content" className="course">
      <section className="course-intro" aria-labelledby="course-title">
        <h1 id="course-title">{text.courseTitle}</h1>
        <p>{text.courseIntro}</p>
      </section>
      <section aria-labelledby="lessons-heading">
        <h2 id="lessons-heading">{text.lessonsHeading}</h2>
        <ol className="lesson-list">
          {lessons.map((lesson) => {
            const title = (locale === 'zh' && lesson.title.zh) || lesson.title.en;
            const summary = (locale === 'zh' && lesson.summary.zh) || lesson.summary.en;
            const href = withLocale(`/lessons/${lesson.slug}`, locale);
            return (
              <li key={lesson.slug} className="lesson-card">
                <p className="lesson-number">{text.lessonNumber(lesson.order)}</p>
                <h3>
                  <Link href={href}>{title}</Link>
                </h3>
                <p>{summary}</p>
                <LessonProgress slug={lesson.slug} checkedSteps={lesson.steps.filter((s) => s.check !== undefined).map((s) => s.id)} locale={locale} />
                <p className="lesson-card-action">
                  <Link href={href} aria-label={`${text.startLesson}: ${title}`}>
                    {text.startLesson} →
                  </Link>
                </p>
              </li>
            );
          })}
        </ol>
      </section>
    </main>
  );
}
