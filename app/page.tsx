/** The course page: every lesson in order, with its summary and a link. */
import Link from 'next/link';
import { LessonProgress } from '../components/lesson/lesson-progress';
import { listLessons } from '../server/lessons';
import { UI, withLocale } from '../components/ui-text';
import { requestLocale } from './request-locale';

export default async function CoursePage() {
  const locale = await requestLocale();
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
            const title = lesson.title[locale];
            const summary = lesson.summary[locale];
            const href = withLocale(`/lessons/${lesson.slug}`, locale);
            return (
              <li key={lesson.slug} className="lesson-card">
                <p className="lesson-number">{text.lessonNumber(lesson.order)}</p>
                <h3>
                  <Link href={href}>{title}</Link>
                </h3>
                <p>{summary}</p>
                <LessonProgress slug={lesson.slug} stepIds={lesson.steps.map((s) => s.id)} locale={locale} />
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
