import { lazy, Suspense, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api/client.ts';
import { HeaderSearch } from '../find/index.tsx';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';
import { Loading, PageTitle, useAnnounce } from '../ui/index.tsx';
import { navigationFor, type NavLink } from './navigation.ts';
import { Link, matchRoute, navigate, paths, useLocation, type Route } from './router.tsx';
import { mayOpen, pageFor } from './routes.tsx';
import { useCan, useSession } from './session.tsx';

const OfflineStatus = lazy(() => import('../offline/OfflineStatus.tsx').then((m) => ({ default: m.OfflineStatus })));

/** Header (brand, grouped menu, user menu), the current screen and the footer. */
export function Shell() {
  const { t } = useTranslation();
  const { path } = useLocation();
  const route = matchRoute(path);

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
          <MainMenu route={route} />
          {/* The search box of every staff screen (src/find), in the slot whose width the menu's one line is measured with. */}
          <div className="topbar__search">
            <HeaderSearch />
          </div>
          <UserMenu />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="content">
        <Suspense fallback={null}>
          <OfflineStatus />
        </Suspense>
        <Suspense fallback={<Loading />}>
          <Screen route={route} />
        </Suspense>
      </main>
      <footer className="footer">
        <p>{t('app:shell.footer')}</p>
      </footer>
    </>
  );
}

/** Open/closed state of a disclosure that closes on Escape, on a click elsewhere and on navigation. */
function useDisclosure(path: string) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement & HTMLLIElement>(null);
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      ref.current?.querySelector<HTMLButtonElement>('button[aria-expanded]')?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  return { open, setOpen, ref };
}

function MainMenu({ route }: { route: Route }) {
  const { t } = useTranslation();
  const can = useCan();
  const { path } = useLocation();
  const { open, setOpen, ref } = useDisclosure(path);
  const entries = navigationFor(can, t);
  return (
    <nav className="mainnav" aria-label={t('app:shell.mainNav')}>
      <div ref={ref}>
        <button type="button" className="mainnav__toggle" aria-expanded={open} aria-controls="mainnav-list" onClick={() => setOpen((o) => !o)}>
          <span className="mainnav__burger" aria-hidden="true" />
          {t('app:shell.menu')}
        </button>
        <ul id="mainnav-list" className={open ? 'mainnav__list is-open' : 'mainnav__list'}>
          {entries.map((entry) =>
            entry.kind === 'link' ? (
              <li key={entry.link.href}>
                <MenuLink link={entry.link} route={route} />
              </li>
            ) : (
              <MenuGroup key={entry.id} label={entry.label} links={entry.links} route={route} />
            ),
          )}
        </ul>
      </div>
    </nav>
  );
}

function MenuLink({ link, route }: { link: NavLink; route: Route }) {
  return (
    <Link href={link.href} aria-current={link.match.includes(route.name) ? 'page' : undefined}>
      {link.label}
    </Link>
  );
}

/** A disclosure (button + list of links), the pattern screen readers announce as "collapsed/expanded". */
function MenuGroup({ label, links, route }: { label: string; links: NavLink[]; route: Route }) {
  const { path } = useLocation();
  const { open, setOpen, ref } = useDisclosure(path);
  const id = useId();
  const current = links.some((link) => link.match.includes(route.name));
  return (
    <li className={`mainnav__group${current ? ' is-current' : ''}`} ref={ref}>
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {label}
        <span className="mainnav__caret" aria-hidden="true" />
      </button>
      <ul id={id} className="mainnav__sublist" hidden={!open}>
        {links.map((link) => (
          <li key={link.href}>
            <MenuLink link={link} route={route} />
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Who is signed in, where, in which language; switching institution and signing out. */
function UserMenu() {
  const { t, i18n } = useTranslation();
  const { session, signOut, refresh } = useSession();
  const { path } = useLocation();
  const { open, setOpen, ref } = useDisclosure(path);
  const announce = useAnnounce();
  const id = useId();
  const role = t(`roles.${session.role}`, { defaultValue: session.role });
  const toggleRef = useRef<HTMLButtonElement>(null);
  // A new language redraws the page: the menu has done its job, focus returns to its button.
  const language = useRef(i18n.language);
  useEffect(() => {
    if (language.current === i18n.language) return;
    language.current = i18n.language;
    setOpen(false);
    toggleRef.current?.focus();
  }, [i18n.language, setOpen]);

  const switchInstitution = async (institutionId: string) => {
    try {
      await api.post('/api/v1/auth/switch-institution', { institution_id: institutionId });
      await refresh();
      navigate(paths.home);
      announce(t('app:shell.switched'));
    } catch (error) {
      announce(errorMessage(error));
    }
  };

  return (
    <div className="usermenu" ref={ref}>
      <button type="button" ref={toggleRef} className="usermenu__toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        <span className="visually-hidden">{t('app:shell.account')}: </span>
        <span className="usermenu__name">{session.user.display_name}</span>
        <span className="mainnav__caret" aria-hidden="true" />
      </button>
      <div id={id} className="usermenu__panel" hidden={!open}>
        <p className="usermenu__who">
          <strong>{session.user.display_name}</strong>
          <span>{session.user.email}</span>
          <span>{t('app:shell.roleAt', { role, institution: session.institution.name })}</span>
        </p>
        {session.memberships.length > 1 && (
          <UserMenuRow>
            <label className="institution-switch">
              <span>{t('app:shell.switchInstitution')}</span>
              <select value={session.institution.id} onChange={(e) => void switchInstitution(e.target.value)}>
                {session.memberships.map((m) => (
                  <option key={m.institution_id} value={m.institution_id}>
                    {m.institution_name}
                  </option>
                ))}
              </select>
            </label>
          </UserMenuRow>
        )}
        <UserMenuRow>
          <Link href={paths.account} className="usermenu__link" aria-current={path === paths.account ? 'page' : undefined}>
            {t('app:shell.myAccount')}
          </Link>
        </UserMenuRow>
        <UserMenuRow>
          <LanguageSwitch onChange={(language) => void api.put('/api/v1/account/language', { language }).catch(() => undefined)} />
        </UserMenuRow>
        <UserMenuRow>
          <button type="button" className="button button--secondary button--small" onClick={() => void signOut()}>
            {t('app:shell.signOut')}
          </button>
        </UserMenuRow>
      </div>
    </div>
  );
}

const UserMenuRow = ({ children }: { children: ReactNode }) => <div className="usermenu__row">{children}</div>;

function Screen({ route }: { route: Route }) {
  const { t } = useTranslation();
  const can = useCan();
  if (route.name === 'not-found')
    return (
      <>
        <PageTitle>{t('errors.notFoundTitle')}</PageTitle>
        <p>{t('errors.notFound')}</p>
        <p>
          <Link href={paths.home}>{t('errors.backHome')}</Link>
        </p>
      </>
    );
  if (!mayOpen(route.name, can))
    return (
      <>
        <PageTitle>{t('errors.forbiddenTitle')}</PageTitle>
        <p>{t('errors.forbidden')}</p>
      </>
    );
  const Page = pageFor(route.name);
  return 'id' in route ? <Page key={route.id} id={route.id} /> : <Page id="" />;
}
