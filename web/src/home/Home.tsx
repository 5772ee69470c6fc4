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
  const { t } = useTranslation(['app', 'cases', 'home', 'statistics']);
  const lang = useLang();
  const { session } = useSession();
  const can = useCan();
  const { data, error, isFetching: loading, refetch } = useApi<Dashboard>('/api/v1/dashboard');
  const personal = can('cases.read');

  return (
    <>
      <PageTitle lead={t('home:home.lead', { institution: session.institution.name })}>{t('home:home.title', { name: session.user.display_name })}</PageTitle>
      {personal && (
        <div className="quick-actions">
          <Link className="button button--primary" href={paths.caseNew}>
            {t('app:nav.openCase')}
          </Link>
          <Link className="button button--secondary" href={paths.personNew}>
            {t('app:nav.registerPerson')}
          </Link>
        </div>
      )}
      {!personal && can('statistics.read') && (
        <div className="quick-actions">
          <Link className="button button--primary" href={paths.statistics}>
            {t('app:nav.statistics')}
          </Link>
          <Link className="button button--secondary" href={paths.statisticsReport}>
            {t('statistics:report.title')}
          </Link>
        </div>
      )}
      {loading && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && (
        <>
          <section aria-labelledby="counts-title" className="section">
            <h2 id="counts-title">{data.scope === 'own' ? t('home:home.myCounts') : t('home:home.institutionCounts')}</h2>
            <dl className="stats">
              {(['open', 'in_progress', 'reopened', 'closed'] as const).map((status) => (
                <div className="stat" key={status}>
                  <dt>{t(`status.${status}`)}</dt>
                  <dd>
                    <Count value={data.cases_by_status[status]} lang={lang} />
                  </dd>
                </div>
              ))}
              <div className="stat">
                <dt>{t('home:home.servicesThisMonth')}</dt>
                <dd>
                  <Count value={data.services_this_month} lang={lang} />
                </dd>
              </div>
              {data.pending_incoming_referrals !== undefined && (
                <div className="stat">
                  <dt>{t('home:home.pendingReferrals')}</dt>
                  <dd>
                    <Count value={data.pending_incoming_referrals} lang={lang} />
                  </dd>
                </div>
              )}
            </dl>
            {data.figures === 'controlled' && <p className="hint">{t('home:home.controlledNote')}</p>}
          </section>

          {personal && (
            <div className="grid-2">
              <section aria-labelledby="mine-title" className="section card">
                <h2 id="mine-title">{t('home:home.myOpenCases')}</h2>
                {data.my_open_cases.length === 0 ? (
                  <Empty>{t('home:home.noOpenCases')}</Empty>
                ) : (
                  <ul className="item-list">
                    {data.my_open_cases.map((c) => (
                      <li key={c.id}>
                        <Link href={paths.case(c.id)} className="item-list__title">
                          {c.folio}
                        </Link>
                        <span className="item-list__meta">
                          {label('programmes', c.programme, lang)} · {t('home:home.openedOn', { date: formatDate(c.opened_on, lang) })}
                        </span>
                        <StatusBadge status={c.status} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="tasks-title" className="section card">
                <h2 id="tasks-title">{t('home:home.tasks')}</h2>
                {data.tasks.length === 0 ? (
                  <Empty>{t('home:home.noTasks')}</Empty>
                ) : (
                  <ul className="item-list">
                    {data.tasks.map((task) => (
                      <li key={`${task.kind}-${task.record_id}`}>
                        {task.kind === 'referral_to_answer' ? (
                          <Link href={paths.referrals} className="item-list__title">
                            {t('home:home.taskReferral', { folio: task.folio })}
                          </Link>
                        ) : task.kind === 'child_measure_overdue' || task.kind === 'tracing_match_to_review' ? (
                          <Link href={paths.child(task.record_id)} className="item-list__title">
                            {t(task.kind === 'child_measure_overdue' ? 'home:home.taskMeasures' : 'home:home.taskTracing', { folio: task.folio })}
                          </Link>
                        ) : (
                          <Link href={paths.case(task.record_id)} className="item-list__title">
                            {t('home:home.taskNoService', { folio: task.folio })}
                          </Link>
                        )}
                        <span className="item-list__meta">{t('home:home.since', { date: formatDate(task.since, lang) })}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
          )}

          <section aria-labelledby="programmes-title" className="section card">
            <h2 id="programmes-title">{t('home:home.byProgramme')}</h2>
            {Object.keys(data.cases_by_programme).length === 0 ? (
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
                  {Object.entries(data.cases_by_programme)
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
        </>
      )}
    </>
  );
}
