import { useTranslation } from 'react-i18next';
import { useApi } from '../api/queries.ts';
import { Link, navigate, paths, useLocation, withQueryPath } from '../app/router.tsx';
import { Section } from '../ui/Section.tsx';
import { formatDate, formatNumber, label } from '../ui/format.ts';
import { Empty, LoadError, Loading, PageTitle, SelectField, useLang } from '../ui/index.tsx';
import { EventTable } from './EventList.tsx';
import { ageBandKeys, outreachLabel, sexKeys } from './words.ts';
import type { UnitDashboard as Dashboard } from './types.ts';
import './Outreach.css';

const PERIODS = ['month', 'quarter', 'year'] as const;

/**
 * What a consulate head (a unit's supervisor) needs to see today: the case files opened this period
 * and those still open, the referrals sent and waiting for an answer, the events held and who came,
 * and what is coming.
 */
export function UnitDashboard() {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const { query } = useLocation();
  const period = (PERIODS as readonly string[]).includes(query.get('period') ?? '') ? (query.get('period') as (typeof PERIODS)[number]) : 'month';
  const result = useApi<Dashboard>('/api/v1/outreach/dashboard', { period });
  const d = result.data;
  const title = d?.institution.type === 'consulate' ? t('outreach:dashboard.titleConsulate') : t('outreach:dashboard.title');
  return (
    <>
      <PageTitle lead={d ? `${d.institution.name} · ${t('outreach:dashboard.range', { from: formatDate(d.period.from, lang), to: formatDate(d.period.to, lang) })}` : undefined}>{title}</PageTitle>
      <div className="dashboard-controls">
        <SelectField id="dashboard-period" label={t('outreach:dashboard.period')} value={period} onChange={(value) => navigate(withQueryPath(paths.outreachDashboard, { period: value }), { replace: true })} options={PERIODS.map((p) => [p, t(`outreach:dashboard.periods.${p}`)])} />
        <Link className="button button--primary" href={paths.outreachNew}>
          {t('outreach:list.new')}
        </Link>
      </div>
      {result.isPending && <Loading />}
      {!!result.error && <LoadError error={result.error} retry={() => void result.refetch()} />}
      {d && <DashboardBody d={d} />}
    </>
  );
}

function Figure({ value, label: text, href }: { value: number; label: string; href?: string }) {
  const lang = useLang();
  return (
    <div className="stat">
      <dt>{href ? <Link href={href}>{text}</Link> : text}</dt>
      <dd>{formatNumber(value, lang)}</dd>
    </div>
  );
}

function DashboardBody({ d }: { d: Dashboard }) {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const topics = Object.entries(d.events.by_topic).sort((a, b) => b[1] - a[1]);
  const programmes = Object.entries(d.cases.by_programme).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <Section id="dash-cases" title={t('outreach:dashboard.cases')}>
        <dl className="stats">
          <Figure value={d.cases.opened} label={t('outreach:dashboard.casesOpened')} />
          <Figure value={d.cases.open_now} label={t('outreach:dashboard.casesOpen')} href={paths.cases} />
          <Figure value={d.cases.referrals_sent} label={t('outreach:dashboard.referralsSent')} />
          <Figure value={d.cases.referrals_received_pending} label={t('outreach:dashboard.referralsPending')} href={paths.referrals} />
        </dl>
        {programmes.length > 0 && (
          <ul className="plain-list">
            {programmes.map(([key, n]) => (
              <li key={key}>{t('outreach:dashboard.byProgramme', { programme: label('programmes', key, lang), count: n, n: formatNumber(n, lang) })}</li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="dash-events" title={t('outreach:dashboard.events')}>
        <dl className="stats">
          <Figure value={d.events.held} label={t('outreach:dashboard.eventsHeld')} href={withQueryPath(paths.outreach, { from: d.period.from, to: d.period.to })} />
          <Figure value={d.events.attendees} label={t('outreach:dashboard.attendees')} />
          <Figure value={d.events.by_sex.female ?? 0} label={outreachLabel('attendanceSexes', 'female', lang)} />
          <Figure value={d.events.by_sex.male ?? 0} label={outreachLabel('attendanceSexes', 'male', lang)} />
        </dl>
        {d.events.attendees > 0 && (
          <div className="dashboard-columns">
            <div>
              <h3>{t('outreach:dashboard.byAge')}</h3>
              <ul className="plain-list">
                {ageBandKeys
                  .filter((b) => d.events.by_age_band[b])
                  .map((b) => (
                    <li key={b}>
                      {outreachLabel('attendanceAgeBands', b, lang)}: {formatNumber(d.events.by_age_band[b]!, lang)}
                    </li>
                  ))}
                {sexKeys
                  .filter((s) => s !== 'female' && s !== 'male' && d.events.by_sex[s])
                  .map((s) => (
                    <li key={s}>
                      {outreachLabel('attendanceSexes', s, lang)}: {formatNumber(d.events.by_sex[s]!, lang)}
                    </li>
                  ))}
              </ul>
            </div>
            <div>
              <h3>{t('outreach:dashboard.byTopic')}</h3>
              <ul className="plain-list">
                {topics.map(([key, n]) => (
                  <li key={key}>{t('outreach:dashboard.topicEvents', { topic: outreachLabel('eventTopics', key, lang), count: n, n: formatNumber(n, lang) })}</li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </Section>
      <Section id="dash-upcoming" title={t('outreach:dashboard.upcoming')} count={d.events.upcoming.length}>
        {d.events.upcoming.length === 0 ? <Empty>{t('outreach:dashboard.noUpcoming')}</Empty> : <EventTable items={d.events.upcoming} caption={t('outreach:dashboard.upcoming')} region="dash-upcoming-title" />}
      </Section>
      <Section id="dash-recent" title={t('outreach:dashboard.recent')} count={d.events.recent.length}>
        {d.events.recent.length === 0 ? <Empty>{t('outreach:dashboard.noRecent')}</Empty> : <EventTable items={d.events.recent} caption={t('outreach:dashboard.recent')} region="dash-recent-title" />}
      </Section>
    </>
  );
}
