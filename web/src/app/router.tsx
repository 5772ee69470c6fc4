import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny router on the History API: a handful of routes, no hash. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
/** After the first client-side navigation, each page's h1 takes focus (see PageTitle). */
const markNavigated = () => (document.body.dataset.navigated = '1');
window.addEventListener('popstate', () => {
  markNavigated();
  notify();
});

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  markNavigated();
  notify();
}

export function useLocation(): { path: string; query: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const [path, search = ''] = href.split('?');
  return { path: path ?? '/', query: new URLSearchParams(search), href };
}

export type Route =
  | { name: 'home' }
  | { name: 'account' }
  | { name: 'cases' }
  | { name: 'case-new' }
  | { name: 'case'; id: string }
  | { name: 'person-new' }
  | { name: 'person'; id: string }
  | { name: 'duplicates' }
  | { name: 'referrals' }
  | { name: 'audit' }
  | { name: 'admin' }
  | { name: 'admin-institutions' }
  | { name: 'admin-settings' }
  | { name: 'admin-import' }
  | { name: 'admin-screenings' }
  | { name: 'admin-resources' }
  | { name: 'admin-public-site' }
  | { name: 'admin-information' }
  | { name: 'admin-information-page'; id: string }
  | { name: 'complaints' }
  | { name: 'complaint'; id: string }
  | { name: 'complaint-new' }
  | { name: 'statistics' }
  | { name: 'statistics-report' }
  | { name: 'missing' }
  | { name: 'missing-report-new' }
  | { name: 'missing-found-new' }
  | { name: 'missing-report'; id: string }
  | { name: 'missing-found'; id: string }
  | { name: 'missing-review' }
  | { name: 'missing-candidate'; id: string }
  | { name: 'children' }
  | { name: 'child-new' }
  | { name: 'child'; id: string }
  | { name: 'panel'; id: string }
  | { name: 'tracing' }
  | { name: 'tracing-match'; id: string }
  | { name: 'directory' }
  | { name: 'directory-new' }
  | { name: 'directory-entry'; id: string }
  | { name: 'screening'; id: string }
  | { name: 'outreach' }
  | { name: 'outreach-new' }
  | { name: 'outreach-dashboard' }
  | { name: 'outreach-event'; id: string }
  | { name: 'operations' }
  | { name: 'offline' }
  | { name: 'not-found' };

const uuid = '([0-9a-fA-F-]{36})';
const table: [RegExp, (m: RegExpMatchArray) => Route][] = [
  [/^\/personal\/?$/, () => ({ name: 'home' })],
  [/^\/cuenta\/?$/, () => ({ name: 'account' })],
  [/^\/expedientes\/?$/, () => ({ name: 'cases' })],
  [/^\/expedientes\/nuevo\/?$/, () => ({ name: 'case-new' })],
  [new RegExp(`^/expedientes/${uuid}/?$`), (m) => ({ name: 'case', id: m[1]! })],
  [/^\/personas\/nueva\/?$/, () => ({ name: 'person-new' })],
  [/^\/personas\/duplicados\/?$/, () => ({ name: 'duplicates' })],
  [new RegExp(`^/personas/${uuid}/?$`), (m) => ({ name: 'person', id: m[1]! })],
  [/^\/canalizaciones\/?$/, () => ({ name: 'referrals' })],
  [/^\/bitacora\/?$/, () => ({ name: 'audit' })],
  [/^\/administracion\/?$/, () => ({ name: 'admin' })],
  [/^\/administracion\/instituciones\/?$/, () => ({ name: 'admin-institutions' })],
  [/^\/administracion\/ajustes\/?$/, () => ({ name: 'admin-settings' })],
  [/^\/administracion\/importar\/?$/, () => ({ name: 'admin-import' })],
  [/^\/administracion\/detecciones\/?$/, () => ({ name: 'admin-screenings' })],
  [/^\/administracion\/programas\/?$/, () => ({ name: 'admin-resources' })],
  [/^\/administracion\/sitio-publico\/?$/, () => ({ name: 'admin-public-site' })],
  [/^\/administracion\/informacion\/?$/, () => ({ name: 'admin-information' })],
  [/^\/administracion\/informacion\/([a-z0-9-]{1,80})\/?$/, (m) => ({ name: 'admin-information-page', id: m[1]! })],
  [/^\/estadisticas\/?$/, () => ({ name: 'statistics' })],
  [/^\/estadisticas\/informe\/?$/, () => ({ name: 'statistics-report' })],
  [/^\/quejas-bandeja\/?$/, () => ({ name: 'complaints' })],
  [/^\/quejas-bandeja\/nueva\/?$/, () => ({ name: 'complaint-new' })],
  [new RegExp(`^/quejas-bandeja/${uuid}/?$`), (m) => ({ name: 'complaint', id: m[1]! })],
  [/^\/busqueda\/?$/, () => ({ name: 'missing' })],
  [/^\/busqueda\/reportes\/nuevo\/?$/, () => ({ name: 'missing-report-new' })],
  [/^\/busqueda\/localizados\/nuevo\/?$/, () => ({ name: 'missing-found-new' })],
  [new RegExp(`^/busqueda/reportes/${uuid}/?$`), (m) => ({ name: 'missing-report', id: m[1]! })],
  [new RegExp(`^/busqueda/localizados/${uuid}/?$`), (m) => ({ name: 'missing-found', id: m[1]! })],
  [/^\/busqueda\/coincidencias\/?$/, () => ({ name: 'missing-review' })],
  [new RegExp(`^/busqueda/coincidencias/${uuid}/?$`), (m) => ({ name: 'missing-candidate', id: m[1]! })],
  [/^\/nna\/?$/, () => ({ name: 'children' })],
  [/^\/nna\/nuevo\/?$/, () => ({ name: 'child-new' })],
  [new RegExp(`^/nna/comites/${uuid}/?$`), (m) => ({ name: 'panel', id: m[1]! })],
  [/^\/nna\/rastreo\/?$/, () => ({ name: 'tracing' })],
  [new RegExp(`^/nna/rastreo/${uuid}/?$`), (m) => ({ name: 'tracing-match', id: m[1]! })],
  [new RegExp(`^/nna/${uuid}/?$`), (m) => ({ name: 'child', id: m[1]! })],
  [/^\/directorio\/?$/, () => ({ name: 'directory' })],
  [/^\/directorio\/nueva\/?$/, () => ({ name: 'directory-new' })],
  [new RegExp(`^/directorio/${uuid}/?$`), (m) => ({ name: 'directory-entry', id: m[1]! })],
  [new RegExp(`^/detecciones/${uuid}/?$`), (m) => ({ name: 'screening', id: m[1]! })],
  [/^\/difusion\/?$/, () => ({ name: 'outreach' })],
  [/^\/difusion\/nuevo\/?$/, () => ({ name: 'outreach-new' })],
  [/^\/difusion\/tablero\/?$/, () => ({ name: 'outreach-dashboard' })],
  [new RegExp(`^/difusion/${uuid}/?$`), (m) => ({ name: 'outreach-event', id: m[1]! })],
  [/^\/rescates-y-traslados\/?$/, () => ({ name: 'operations' })],
  // Offline work routes its own paths below this one (web/src/offline/OfflineWork.tsx).
  [/^\/sin-conexion(\/.*)?$/, () => ({ name: 'offline' })],
];

export function matchRoute(path: string): Route {
  for (const [pattern, build] of table) {
    const m = path.match(pattern);
    if (m) return build(m);
  }
  return { name: 'not-found' };
}

export function withQueryPath(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const paths = {
  /** The staff home; `/` is the public front door, rendered by the server (src/public). */
  home: '/personal',
  /** My account: password, second factor, sessions, API tokens, language. (`/cuenta/restablecer` is the public page of a reset link.) */
  account: '/cuenta',
  cases: '/expedientes',
  caseNew: '/expedientes/nuevo',
  /** Work without a connection: the device's outbox, recent cases, offline registration (docs/offline.md). */
  offline: '/sin-conexion',
  case: (id: string) => `/expedientes/${id}`,
  personNew: '/personas/nueva',
  person: (id: string) => `/personas/${id}`,
  /** Supervisors' de-duplication screen: proposed pairs, merges and their undoing. */
  duplicates: '/personas/duplicados',
  referrals: '/canalizaciones',
  audit: '/bitacora',
  admin: '/administracion',
  adminInstitutions: '/administracion/instituciones',
  /** Complaint routing, retention and the missing-person settings (platform administrators). */
  adminSettings: '/administracion/ajustes',
  adminImport: '/administracion/importar',
  /** Screening instruments: add one, or a new version, from its definition file (platform administrators). */
  adminScreenings: '/administracion/detecciones',
  /** A programme's points (contact or deployment points) with their coverage and staff (src/resources). */
  adminResources: '/administracion/programas',
  /** Who runs the public service (the home at `/`) and its privacy notice (platform administrators). */
  adminPublicSite: '/administracion/sitio-publico',
  /** The public information pages and their versions. */
  adminInformation: '/administracion/informacion',
  adminInformationPage: (slug: string) => `/administracion/informacion/${slug}`,
  /** Statistics explorer and report builder (analysts and supervisors). */
  statistics: '/estadisticas',
  statisticsReport: '/estadisticas/informe',
  /** The handlers' inbox; `/quejas` itself is the public, server-rendered form. */
  complaints: '/quejas-bandeja',
  complaint: (id: string) => `/quejas-bandeja/${id}`,
  /** Operators record a complaint received by phone or in person. */
  complaintNew: '/quejas-bandeja/nueva',
  /** The search for missing persons (officers); families use the public pages under /familias/busqueda. */
  missing: '/busqueda',
  missingReportNew: '/busqueda/reportes/nuevo',
  missingFoundNew: '/busqueda/localizados/nuevo',
  missingReport: (id: string) => `/busqueda/reportes/${id}`,
  missingFound: (id: string) => `/busqueda/localizados/${id}`,
  missingReview: '/busqueda/coincidencias',
  missingCandidate: (id: string) => `/busqueda/coincidencias/${id}`,
  /** Child protection (Procuraduría, DIF): the children's files, and a panel member's view of one child. */
  children: '/nna',
  childNew: '/nna/nuevo',
  child: (id: string) => `/nna/${id}`,
  /** A screening given inside a case (src/screenings): its questions, then its result. */
  screening: (id: string) => `/detecciones/${id}`,
  panel: (id: string) => `/nna/comites/${id}`,
  /** Family tracing: the review queue with the requests from relatives, and one proposed match. */
  tracing: '/nna/rastreo',
  tracingMatch: (id: string) => `/nna/rastreo/${id}`,
  /** The services directory: the institution's entries, their review, and the public pages at /servicios. */
  directory: '/directorio',
  directoryNew: '/directorio/nueva',
  directoryEntry: (id: string) => `/directorio/${id}`,
  /** Outreach events (talks, workshops, fairs, mobile consulates) and the unit's dashboard (a consulate head's). */
  outreach: '/difusion',
  outreachNew: '/difusion/nuevo',
  outreachDashboard: '/difusion/tablero',
  outreachEvent: (id: string) => `/difusion/${id}`,
  /** Rescues and transfers (counts of people) recorded by the institution's staff, with their corrections. */
  operations: '/rescates-y-traslados',
};

/** An ordinary link that navigates without reloading (and still opens in a new tab with ctrl/cmd). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
