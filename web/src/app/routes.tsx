import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Capability } from '../api/client.ts';
import type { Route } from './router.tsx';

/**
 * Each screen is its own chunk, fetched the first time it is opened (sign-in needs none of them).
 * `page` names the export; `allowed` says which capability opens it (the server checks again).
 */
function screen<M, K extends keyof M>(load: () => Promise<M>, name: K): LazyExoticComponent<ComponentType<{ id: string }>> {
  return lazy(() => load().then((module) => ({ default: module[name] as ComponentType<{ id: string }> })));
}

const pages = {
  home: screen(() => import('../home/HomePage.tsx'), 'HomePage'),
  account: screen(() => import('../account/Account.tsx'), 'Account'),
  cases: screen(() => import('../cases/CaseList.tsx'), 'CaseList'),
  case: screen(() => import('../cases/CasePage.tsx'), 'CasePage'),
  'case-new': screen(() => import('../cases/OpenCase.tsx'), 'OpenCase'),
  'person-new': screen(() => import('../people/People.tsx'), 'RegisterPersonPage'),
  person: screen(() => import('../people/PersonPage.tsx'), 'PersonPage'),
  duplicates: screen(() => import('../people/Duplicates.tsx'), 'Duplicates'),
  referrals: screen(() => import('../referrals/Referrals.tsx'), 'Referrals'),
  audit: screen(() => import('../audit/AuditLog.tsx'), 'AuditLog'),
  admin: screen(() => import('../admin/Admin.tsx'), 'Admin'),
  'admin-institutions': screen(() => import('../admin/Institutions.tsx'), 'Institutions'),
  'admin-settings': screen(() => import('../admin/Settings.tsx'), 'Settings'),
  'admin-import': screen(() => import('../admin/Import.tsx'), 'Import'),
  'admin-screenings': screen(() => import('../admin/ScreeningInstruments.tsx'), 'ScreeningInstruments'),
  'admin-resources': screen(() => import('../resources/ProgrammePoints.tsx'), 'ProgrammePoints'),
  'admin-public-site': screen(() => import('../admin/PublicSite.tsx'), 'PublicSite'),
  'admin-information': screen(() => import('../admin/InformationPages.tsx'), 'InformationPages'),
  'admin-information-page': screen(() => import('../admin/InformationPages.tsx'), 'InformationPageEditor'),
  statistics: screen(() => import('../statistics/Statistics.tsx'), 'StatisticsExplorer'),
  'statistics-report': screen(() => import('../statistics/Statistics.tsx'), 'StatisticsReport'),
  complaints: screen(() => import('../complaints/Inbox.tsx'), 'ComplaintsInbox'),
  complaint: screen(() => import('../complaints/ComplaintPage.tsx'), 'ComplaintPage'),
  'complaint-new': screen(() => import('../complaints/RecordComplaint.tsx'), 'RecordComplaint'),
  missing: screen(() => import('../missing/MissingList.tsx'), 'MissingList'),
  'missing-report-new': screen(() => import('../missing/MissingReportForm.tsx'), 'MissingReportForm'),
  'missing-found-new': screen(() => import('../missing/MissingFoundForm.tsx'), 'MissingFoundForm'),
  'missing-report': screen(() => import('../missing/MissingReportPage.tsx'), 'MissingReportPage'),
  'missing-found': screen(() => import('../missing/MissingFoundPage.tsx'), 'MissingFoundPage'),
  'missing-review': screen(() => import('../missing/MissingReview.tsx'), 'MissingReviewQueue'),
  'missing-candidate': screen(() => import('../missing/MissingReview.tsx'), 'MissingCandidatePage'),
  children: screen(() => import('../children/ChildrenList.tsx'), 'ChildrenList'),
  directory: screen(() => import('../directory/DirectoryList.tsx'), 'DirectoryList'),
  'directory-new': screen(() => import('../directory/ServiceForm.tsx'), 'NewService'),
  'directory-entry': screen(() => import('../directory/ServiceEntry.tsx'), 'ServiceEntry'),
  'child-new': screen(() => import('../children/ChildrenList.tsx'), 'OpenChildFile'),
  child: screen(() => import('../children/ChildFile.tsx'), 'ChildFile'),
  panel: screen(() => import('../children/PanelPage.tsx'), 'PanelPage'),
  tracing: screen(() => import('../children/TracingReview.tsx'), 'TracingQueue'),
  'tracing-match': screen(() => import('../children/TracingReview.tsx'), 'TracingMatchPage'),
  screening: screen(() => import('../screenings/ScreeningPage.tsx'), 'ScreeningPage'),
  outreach: screen(() => import('../outreach/EventList.tsx'), 'EventList'),
  'outreach-new': screen(() => import('../outreach/EventForm.tsx'), 'NewEvent'),
  'outreach-event': screen(() => import('../outreach/EventPage.tsx'), 'EventPage'),
  'outreach-dashboard': screen(() => import('../outreach/UnitDashboard.tsx'), 'UnitDashboard'),
  offline: screen(() => import('../offline/OfflineWork.tsx'), 'OfflineWork'),
  operations: screen(() => import('../resources/Operations.tsx'), 'Operations'),
} satisfies Record<Exclude<Route['name'], 'not-found'>, unknown>;

export type PageName = keyof typeof pages;

/** Who may open each screen: one capability (or one of several) from the session. */
const allowed: Record<PageName, Capability[]> = {
  home: [],
  account: [],
  cases: ['cases.read'],
  case: ['cases.read'],
  'case-new': ['cases.write'],
  offline: ['cases.write'],
  'person-new': ['people.write'],
  person: ['people.read'],
  duplicates: ['people.merge'],
  referrals: ['cases.read'],
  audit: ['audit.read'],
  admin: ['users.manage', 'users.manage_any'],
  'admin-institutions': ['institutions.manage', 'institutions.manage_any'],
  'admin-settings': ['complaints.configure', 'missing.configure'],
  'admin-import': ['records.import'],
  'admin-screenings': ['screenings.manage_instruments'],
  'admin-resources': ['resources.manage'],
  'admin-public-site': ['public_site.configure'],
  'admin-information': ['information.edit'],
  'admin-information-page': ['information.edit'],
  statistics: ['statistics.read'],
  'statistics-report': ['statistics.read'],
  complaints: ['complaints.handle'],
  complaint: ['complaints.handle'],
  'complaint-new': ['complaints.record'],
  missing: ['missing.record'],
  'missing-report-new': ['missing.record'],
  'missing-found-new': ['missing.record'],
  'missing-report': ['missing.record'],
  'missing-found': ['missing.record'],
  'missing-review': ['missing.review'],
  'missing-candidate': ['missing.review'],
  children: ['children.read'],
  'child-new': ['children.write'],
  child: ['children.read'],
  panel: ['children.panel'],
  tracing: ['children.read'],
  'tracing-match': ['children.read'],
  directory: ['directory.edit', 'directory.review'],
  'directory-new': ['directory.edit'],
  'directory-entry': ['directory.edit', 'directory.review'],
  screening: ['screenings.give'],
  outreach: ['outreach.record'],
  'outreach-new': ['outreach.record'],
  'outreach-event': ['outreach.record'],
  'outreach-dashboard': ['outreach.dashboard'],
  operations: ['operations.record'],
};

export const pageFor = (name: PageName) => pages[name];
export const mayOpen = (name: PageName, can: (capability: Capability) => boolean) => allowed[name].length === 0 || allowed[name].some(can);
