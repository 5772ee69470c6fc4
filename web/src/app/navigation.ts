import type { Capability } from '../api/client.ts';
import type { Route } from './router.tsx';
import { paths } from './router.tsx';

export type NavLink = { href: string; label: string; match: Route['name'][] };
export type NavEntry = { kind: 'link'; link: NavLink } | { kind: 'group'; id: string; label: string; links: NavLink[] };

type Item = NavLink & { needs: Capability[]; unless?: Capability };
type Group = { id: string; items: Item[] };

/**
 * The menu as data: areas (groups of screens), each screen shown when the session's capabilities allow
 * it. An area with one visible screen becomes a plain link with the area's name, so that a role sees
 * as few menus as it needs and the top line fits at 1280 px beside the search box.
 * Labels are keys of the `app` namespace.
 */
const menu: (Item | Group)[] = [
  { href: paths.home, label: 'nav.home', match: ['home'], needs: [] },
  {
    id: 'care',
    items: [
      { href: paths.cases, label: 'nav.cases', match: ['cases', 'case', 'screening'], needs: ['cases.read'] },
      { href: paths.caseNew, label: 'nav.openCase', match: ['case-new'], needs: ['cases.write'] },
      { href: paths.personNew, label: 'nav.registerPerson', match: ['person-new', 'person'], needs: ['people.write'] },
      { href: paths.offline, label: 'nav.offline', match: ['offline'], needs: ['cases.write'] },
      { href: paths.referrals, label: 'nav.referrals', match: ['referrals'], needs: ['cases.read'] },
      { href: paths.duplicates, label: 'nav.duplicates', match: ['duplicates'], needs: ['people.merge'] },
      // Child protection is casework too: its files sit with the cases (a supervisor's one line stays one line).
      { href: paths.children, label: 'nav.children', match: ['children', 'child', 'child-new', 'tracing', 'tracing-match'], needs: ['children.read'] },
      { href: paths.childNew, label: 'nav.childNew', match: ['child-new'], needs: ['children.write'] },
      // A supervisor publishes the directory entries of her institution: a casework screen for her (the
      // services her caseworkers refer people to), so her line keeps its areas; editors have their own area.
      { href: paths.directory, label: 'nav.directoryReview', match: ['directory', 'directory-entry'], needs: ['directory.review', 'cases.read'], unless: 'directory.edit' },
      // A consulate's (or any unit's) outreach is part of its daily work with people: its events, and
      // for its head the unit's dashboard. A new event is recorded from either screen.
      { href: paths.outreach, label: 'nav.outreach', match: ['outreach', 'outreach-event', 'outreach-new'], needs: ['outreach.record'] },
      { href: paths.outreachDashboard, label: 'nav.outreachDashboard', match: ['outreach-dashboard'], needs: ['outreach.dashboard'] },
      // Rescues and transfers are field work of the same staff (a deployment point's officers, a unit's
      // caseworkers): counts of people, beside the institution's other daily records.
      { href: paths.operations, label: 'nav.operations', match: ['operations'], needs: ['operations.record'] },
    ],
  },
  {
    id: 'complaints',
    items: [
      { href: paths.complaints, label: 'nav.complaints', match: ['complaints', 'complaint'], needs: ['complaints.handle'] },
      { href: paths.complaintNew, label: 'nav.recordComplaint', match: ['complaint-new'], needs: ['complaints.record'] },
    ],
  },
  {
    id: 'missing',
    items: [
      // Search officers and supervisors read the institution's records; a caseworker only opens reports for families.
      { href: paths.missing, label: 'nav.missing', match: ['missing', 'missing-report-new', 'missing-found-new', 'missing-report', 'missing-found'], needs: ['missing.read'] },
      { href: paths.missingReportNew, label: 'nav.missingNewReport', match: ['missing-report-new'], needs: ['missing.record'], unless: 'missing.read' },
      { href: paths.missingReview, label: 'nav.missingReview', match: ['missing-review', 'missing-candidate'], needs: ['missing.review'] },
    ],
  },
  {
    id: 'directory',
    items: [
      { href: paths.directory, label: 'nav.directory', match: ['directory', 'directory-entry'], needs: ['directory.edit'] },
      { href: paths.directoryNew, label: 'nav.directoryNew', match: ['directory-new'], needs: ['directory.edit'] },
    ],
  },
  { href: paths.statistics, label: 'nav.statistics', match: ['statistics', 'statistics-report'], needs: ['statistics.read'] },
  // The auditors' one screen keeps its own name: "Administración" would say the wrong thing.
  { href: paths.audit, label: 'nav.audit', match: ['audit'], needs: ['audit.read'] },
  // One entry, an area of its own: the administration screens have their own tabs (admin/AdminTabs.tsx).
  { id: 'admin', items: [{ href: paths.admin, label: 'nav.admin', match: ['admin', 'admin-institutions', 'admin-settings', 'admin-import', 'admin-screenings', 'admin-resources', 'admin-public-site', 'admin-information', 'admin-information-page'], needs: ['users.manage'] }] },
];

export function navigationFor(can: (capability: Capability) => boolean, t: (key: string) => string): NavEntry[] {
  const visible = (item: Item) => item.needs.every(can) && !(item.unless && can(item.unless));
  const link = ({ href, label, match }: Item): NavLink => ({ href, label: t(`app:${label}`), match });
  return menu.flatMap((entry): NavEntry[] => {
    if (!('items' in entry)) return visible(entry) ? [{ kind: 'link', link: link(entry) }] : [];
    const links = entry.items.filter(visible).map(link);
    if (links.length === 0) return [];
    // One screen of an area: a plain link, named by the area, so the top line stays a short list of areas.
    if (links.length === 1) return [{ kind: 'link', link: { ...links[0]!, label: t(`app:nav.groups.${entry.id}`) } }];
    return [{ kind: 'group', id: entry.id, label: t(`app:nav.groups.${entry.id}`), links }];
  });
}
