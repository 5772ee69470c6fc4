import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Session } from '../api/client.ts';
import { Link, matchRoute, navigate, paths, useLocation, type Route } from './router.tsx';
import { SessionContext, roleCan, useSession } from './session.tsx';
import { AnnouncerProvider, LoadError, Loading, PageTitle, useAnnounce } from '../ui/index.tsx';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { SignIn } from '../account/SignIn.tsx';
import { Home } from '../home/Home.tsx';
import { CaseList } from '../cases/CaseList.tsx';
import { CasePage } from '../cases/CasePage.tsx';
import { OpenCase } from '../cases/OpenCase.tsx';
import { RegisterPersonPage, PersonPage } from '../people/People.tsx';
import { Referrals } from '../referrals/Referrals.tsx';
import { AuditLog } from '../audit/AuditLog.tsx';
import { Admin } from '../admin/Admin.tsx';
import { ComplaintsInbox } from '../complaints/Inbox.tsx';
import { ComplaintPage } from '../complaints/ComplaintPage.tsx';
import { Duplicates } from '../people/Duplicates.tsx';
import { StatisticsExplorer, StatisticsReport } from '../statistics/Statistics.tsx';
import { RecordComplaint } from '../complaints/RecordComplaint.tsx';
import { MissingFoundForm, MissingFoundPage, MissingList, MissingReportForm, MissingReportPage } from '../missing/Missing.tsx';
import { MissingCandidatePage, MissingNotifications, MissingReviewQueue } from '../missing/MissingReview.tsx';

type Boot = { kind: 'loading' } | { kind: 'signed-out'; pending?: Session['state'] } | { kind: 'signed-in'; session: Session } | { kind: 'error'; error: unknown };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const session = await api.get<Session>('/api/v1/auth/session');
      setCsrfToken(session.csrf_token);
      setBoot(session.state === 'active' ? { kind: 'signed-in', session } : { kind: 'signed-out', pending: session.state });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        setCsrfToken('');
        setBoot({ kind: 'signed-out' });
      } else setBoot({ kind: 'error', error });
    }
  }, []);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => setBoot({ kind: 'signed-out' }));
    return () => {
      setUnauthenticatedHandler(null);
    };
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } finally {
      setCsrfToken('');
      setBoot({ kind: 'signed-out' });
      navigate(paths.home, { replace: true });
    }
  }, []);

  return (
    <AnnouncerProvider>
      {boot.kind === 'loading' && (
        <main className="boot">
          <Loading />
        </main>
      )}
      {boot.kind === 'error' && (
        <main className="boot">
          <LoadError error={boot.error} retry={() => void refresh()} />
        </main>
      )}
      {boot.kind === 'signed-out' && <SignIn pending={boot.pending} onSignedIn={refresh} onCancel={signOut} />}
      {boot.kind === 'signed-in' && (
        <SessionContext.Provider value={{ session: boot.session, refresh, signOut }}>
          <Shell />
        </SessionContext.Provider>
      )}
    </AnnouncerProvider>
  );
}

function Shell() {
  const { t } = useTranslation(['app', 'missing']);
  const { session, signOut, refresh } = useSession();
  const { path } = useLocation();
  const route = matchRoute(path);
  const role = session.role;
  const [menuOpen, setMenuOpen] = useState(false);
  const announce = useAnnounce();

  useEffect(() => {
    setMenuOpen(false);
  }, [path]);
  const nav: { href: string; label: string; match: Route['name'][] }[] = [];
  if (roleCan.dashboard(role) || roleCan.cases(role)) nav.push({ href: paths.home, label: t('app:nav.home'), match: ['home'] });
  if (roleCan.cases(role)) {
    nav.push({ href: paths.cases, label: t('app:nav.cases'), match: ['cases', 'case'] });
    nav.push({ href: paths.caseNew, label: t('app:nav.openCase'), match: ['case-new'] });
    nav.push({ href: paths.personNew, label: t('app:nav.registerPerson'), match: ['person-new', 'person'] });
    nav.push({ href: paths.referrals, label: t('app:nav.referrals'), match: ['referrals'] });
  }
  if (roleCan.supervise(role)) nav.push({ href: paths.duplicates, label: t('app:nav.duplicates'), match: ['duplicates'] });
  if (role === 'complaint_handler') nav.push({ href: paths.complaints, label: t('app:nav.complaints'), match: ['complaints', 'complaint'] });
  if (roleCan.recordComplaints(role)) nav.push({ href: paths.complaintNew, label: t('app:nav.recordComplaint'), match: ['complaint-new'] });
  // Search officers and supervisors: the institution's list; caseworkers: record a report (they see only their own).
  if (roleCan.readMissing(role)) nav.push({ href: paths.missing, label: t('missing:nav.search'), match: ['missing', 'missing-report-new', 'missing-found-new', 'missing-report', 'missing-found'] });
  else if (roleCan.recordMissing(role)) nav.push({ href: paths.missingReportNew, label: t('missing:nav.newReport'), match: ['missing-report-new'] });
  if (roleCan.reviewMissing(role)) nav.push({ href: paths.missingReview, label: t('missing:nav.review'), match: ['missing-review', 'missing-candidate'] });
  if (roleCan.statistics(role)) nav.push({ href: paths.statistics, label: t('app:nav.statistics'), match: ['statistics', 'statistics-report'] });
  if (roleCan.audit(role)) nav.push({ href: paths.audit, label: t('app:nav.audit'), match: ['audit'] });
  if (roleCan.admin(role)) nav.push({ href: paths.admin, label: t('app:nav.admin'), match: ['admin'] });

  const switchInstitution = async (institutionId: string) => {
    try {
      await api.post('/api/v1/auth/switch-institution', { institution_id: institutionId });
      await refresh();
      navigate(paths.home);
      announce(t('app:shell.switched'));
    } catch (error) {
      announce(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app:shell.skip')}
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link href={paths.home} className="brand" aria-label={t('app:shell.brandHome')}>
            <span className="brand__mark" aria-hidden="true">
              A
            </span>
            <span className="brand__name">Amparo</span>
          </Link>
          <div className="topbar__context">
            {session.memberships.length > 1 ? (
              <label className="institution-switch">
                <span className="visually-hidden">{t('app:shell.institution')}</span>
                <select value={session.institution.id} onChange={(e) => void switchInstitution(e.target.value)}>
                  {session.memberships.map((m) => (
                    <option key={m.institution_id} value={m.institution_id}>
                      {m.institution_name}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <span className="institution-name">{session.institution.name}</span>
            )}
            <span className="user-name">
              {session.user.display_name} · {t(`roles.${role}`, { defaultValue: role })}
            </span>
          </div>
          <div className="topbar__actions">
            <LanguageSwitch />
            <button type="button" className="button button--ghost button--small" onClick={() => void signOut()}>
              {t('app:shell.signOut')}
            </button>
          </div>
        </div>
        <nav className="mainnav" aria-label={t('app:shell.mainNav')}>
          <div className="mainnav__inner">
            <button type="button" className="mainnav__toggle" aria-expanded={menuOpen} aria-controls="mainnav-list" onClick={() => setMenuOpen((o) => !o)}>
              <span className="mainnav__burger" aria-hidden="true" />
              {t('app:shell.menu')}
            </button>
            <ul id="mainnav-list" className={menuOpen ? 'is-open' : undefined}>
              {nav.map((item) => {
                const current = item.match.includes(route.name);
                return (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={current ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="content">
        <Page route={route} />
      </main>
      <footer className="footer">
        <p>{t('app:shell.footer')}</p>
      </footer>
    </>
  );
}

function Page({ route }: { route: Route }) {
  const { t } = useTranslation(['app', 'missing']);
  const { session } = useSession();
  const role = session.role;
  const forbidden = (
    <>
      <PageTitle>{t('errors.forbiddenTitle')}</PageTitle>
      <p>{t('errors.forbidden')}</p>
    </>
  );
  switch (route.name) {
    case 'home':
      if (role === 'search_officer')
        return (
          <>
            <MissingReviewQueue />
            <MissingNotifications />
          </>
        );
      return role === 'auditor' ? (
        <AuditLog />
      ) : role === 'complaint_handler' ? (
        <ComplaintsInbox />
      ) : (
        <>
          <Home />
          {roleCan.recordMissing(role) && <MissingNotifications />}
        </>
      );
    case 'cases':
      return roleCan.cases(role) ? <CaseList /> : forbidden;
    case 'case':
      return roleCan.cases(role) ? <CasePage key={route.id} id={route.id} /> : forbidden;
    case 'case-new':
      return roleCan.cases(role) ? <OpenCase /> : forbidden;
    case 'person-new':
      return roleCan.cases(role) ? <RegisterPersonPage /> : forbidden;
    case 'person':
      return roleCan.cases(role) ? <PersonPage key={route.id} id={route.id} /> : forbidden;
    case 'duplicates':
      return roleCan.supervise(role) ? <Duplicates /> : forbidden;
    case 'referrals':
      return roleCan.cases(role) ? <Referrals /> : forbidden;
    case 'audit':
      return roleCan.audit(role) ? <AuditLog /> : forbidden;
    case 'admin':
      return roleCan.admin(role) ? <Admin /> : forbidden;
    case 'statistics':
      return roleCan.statistics(role) ? <StatisticsExplorer /> : forbidden;
    case 'statistics-report':
      return roleCan.statistics(role) ? <StatisticsReport /> : forbidden;
    case 'complaints':
      return role === 'complaint_handler' ? <ComplaintsInbox /> : forbidden;
    case 'complaint':
      return role === 'complaint_handler' ? <ComplaintPage key={route.id} id={route.id} /> : forbidden;
    case 'missing':
      return roleCan.recordMissing(role) ? <MissingList /> : forbidden;
    case 'missing-report-new':
      return roleCan.recordMissing(role) ? <MissingReportForm /> : forbidden;
    case 'missing-found-new':
      return roleCan.recordMissing(role) ? <MissingFoundForm /> : forbidden;
    case 'missing-report':
      return roleCan.recordMissing(role) ? <MissingReportPage key={route.id} id={route.id} /> : forbidden;
    case 'missing-found':
      return roleCan.recordMissing(role) ? <MissingFoundPage key={route.id} id={route.id} /> : forbidden;
    case 'missing-review':
      return roleCan.reviewMissing(role) ? <MissingReviewQueue /> : forbidden;
    case 'missing-candidate':
      return roleCan.reviewMissing(role) ? <MissingCandidatePage key={route.id} id={route.id} /> : forbidden;
    case 'complaint-new':
      return roleCan.recordComplaints(role) ? <RecordComplaint /> : forbidden;
    default:
      return (
        <>
          <PageTitle>{t('errors.notFoundTitle')}</PageTitle>
          <p>{t('errors.notFound')}</p>
          <p>
            <Link href={paths.home}>{t('errors.backHome')}</Link>
          </p>
        </>
      );
  }
}
