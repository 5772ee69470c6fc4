import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Dashboard } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatNumber, label } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { Empty, LoadError, Loading, PageTitle, StatusBadge, useLang } from '../ui/index.tsx';

/** A count as the server gives it: null when disclosure control withholds it (fewer than 5). */
function Count({ value, lang }: { value: number | null | undefined; lang: 'es' | 'en' }) {
  const { t } = useTranslation(['home']);
  if (value === null) return <span title={t('home:home.withheldHint')}>{t('home:home.withheld')}</span>;
  return <>{formatNumber(value ?? 0, lang)}</>;
}

export function Home() {
  const { t } = useTranslation(['app', 'home', 'statistics']);
  const { session } = useSession();
  const can = useCan();
  const { data, error, isFetching: loading, refetch } = useApi<Dashboard>('/api/v1/dashboard');
  const personal = can('cases.read');

  return (
    <>
      <PageTitle lead={t('home:home.lead', { institution: session.institution.name })}>{t('home:home.title', { name: session.user.display_name })}</PageTitle>
      {personal && <QuickActions links={[[paths.caseNew, t('app:nav.openCase')], [paths.personNew, t('app:nav.registerPerson')]]} />}
      {!personal && can('statistics.read') && <QuickActions links={[[paths.statistics, t('app:nav.statistics')], [paths.statisticsReport, t('statistics:report.title')]]} />}
      {loading && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && (
        <>
          <Counts data={data} />
          {personal && (
            <div className="grid-2">
              <MyOpenCases cases={data.my_open_cases} />
              <MyTasks tasks={data.tasks} />
            </div>
          )}
          <ByProgramme counts={data.cases_by_programme} />
        </>
      )}
    </>
  );
}

/** The first thing one does here, as buttons: the first one primary. */
function QuickActions({ links }: { links: [href: string, text: string][] }) {
  return (
    <div className="quick-actions">
      {links.map(([href, text], i) => (
        <Link key={href} className={`button ${i === 0 ? 'button--primary' : 'button--secondary'}`} href={href}>
          {text}
        </Link>
      ))}
    </div>
  );
}

/** Cases by status, services this month and referrals waiting: the user's own or the institution's. */
function Counts({ data }: { data: Dashboard }) {
  const { t } = useTranslation(['home']);
  const lang = useLang();
  const stat = (term: string, value: number | null | undefined, key = term) => (
    <div className="stat" key={key}>
      <dt>{term}</dt>
      <dd>
        <Count value={value} lang={lang} />
      </dd>
    </div>
  );
  return (
    <section aria-labelledby="counts-title" className="section">
      <h2 id="counts-title">{data.scope === 'own' ? t('home:home.myCounts') : t('home:home.institutionCounts')}</h2>
      <dl className="stats">
        {(['open', 'in_progress', 'reopened', 'closed'] as const).map((status) => stat(t(`status.${status}`), data.cases_by_status[status], status))}
        {stat(t('home:home.servicesThisMonth'), data.services_this_month)}
        {data.pending_incoming_referrals !== undefined && stat(t('home:home.pendingReferrals'), data.pending_incoming_referrals)}
      </dl>
      {data.figures === 'controlled' && <p className="hint">{t('home:home.controlledNote')}</p>}
    </section>
  );
}

/** A card with a list of what waits for the user, or a sentence when nothing does. */
function HomeList<T>({ id, title, items, empty, children }: { id: string; title: string; items: T[]; empty: string; children: (item: T) => ReactNode }) {
  return (
    <section aria-labelledby={id} className="section card">
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? <Empty>{empty}</Empty> : <ul className="item-list">{items.map(children)}</ul>}
    </section>
  );
}

function MyOpenCases({ cases }: { cases: Dashboard['my_open_cases'] }) {
  const { t } = useTranslation(['home']);
  const lang = useLang();
  return (
    <HomeList id="mine-title" title={t('home:home.myOpenCases')} items={cases} empty={t('home:home.noOpenCases')}>
      {(c) => (
        <li key={c.id}>
          <Link href={paths.case(c.id)} className="item-list__title">
            {c.folio}
          </Link>
          <span className="item-list__meta">
            {label('programmes', c.programme, lang)} · {t('home:home.openedOn', { date: formatDate(c.opened_on, lang) })}
          </span>
          <StatusBadge status={c.status} />
        </li>
      )}
    </HomeList>
  );
}

/** What each kind of task says, and where it leads (a child's file for the child-protection tasks). */
const TASK_WORDS = {
  referral_to_answer: 'home:home.taskReferral',
  case_without_recent_service: 'home:home.taskNoService',
  child_measure_overdue: 'home:home.taskMeasures',
  tracing_match_to_review: 'home:home.taskTracing',
} as const satisfies Record<Dashboard['tasks'][number]['kind'], string>;

function taskHref(task: Dashboard['tasks'][number]): string {
  if (task.kind === 'referral_to_answer') return paths.referrals;
  if (task.kind === 'child_measure_overdue' || task.kind === 'tracing_match_to_review') return paths.child(task.record_id);
  return paths.case(task.record_id);
}

function MyTasks({ tasks }: { tasks: Dashboard['tasks'] }) {
  const { t } = useTranslation(['home']);
  const lang = useLang();
  return (
    <HomeList id="tasks-title" title={t('home:home.tasks')} items={tasks} empty={t('home:home.noTasks')}>
      {(task) => (
        <li key={`${task.kind}-${task.record_id}`}>
          <Link href={taskHref(task)} className="item-list__title">
            {t(TASK_WORDS[task.kind], { folio: task.folio })}
          </Link>
          <span className="item-list__meta">{t('home:home.since', { date: formatDate(task.since, lang) })}</span>
        </li>
      )}
    </HomeList>
  );
}

/** Active cases per programme, most first. */
function ByProgramme({ counts }: { counts: Dashboard['cases_by_programme'] }) {
  const { t } = useTranslation(['cases', 'home']);
  const lang = useLang();
  return (
    <section aria-labelledby="programmes-title" className="section card">
      <h2 id="programmes-title">{t('home:home.byProgramme')}</h2>
      {Object.keys(counts).length === 0 ? (
        <Empty>{t('home:home.noCases')}</Empty>
      ) : (
        <table className="table table--compact">
          <caption className="visually-hidden">{t('home:home.byProgramme')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases:case.programme')}</th>
              <th scope="col" className="num">
                {t('home:home.activeCases')}
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(counts)
              .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
              .map(([programme, n]) => (
                <tr key={programme}>
                  <td>{label('programmes', programme, lang)}</td>
                  <td className="num">
                    <Count value={n} lang={lang} />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
