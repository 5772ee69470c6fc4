import type { ModuleRoutes } from './platform/http/app.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { institutionRoutes } from './institutions/institution.routes.ts';
import { userRoutes } from './users/user.routes.ts';
import { personRoutes } from './people/person.routes.ts';
import { mergeRoutes } from './people/merge.routes.ts';
import { caseRoutes } from './cases/case.routes.ts';
import { dashboardRoutes } from './cases/dashboard.routes.ts';
import { statisticsRoutes } from './statistics/statistics.routes.ts';
import { complaintRoutes } from './complaints/complaint.routes.ts';
import { missingRoutes } from './missing/missing.routes.ts';
import { missingImportRoutes } from './missing/import.routes.ts';
import { findRoutes } from './find/find.routes.ts';
import { accountRoutes } from './account/account.routes.ts';
import { importJobRoutes } from './imports/import-job.routes.ts';
import { childrenRoutes } from './children/children.routes.ts';
import { directoryRoutes } from './directory/directory.routes.ts';
import { screeningRoutes } from './screenings/screening.routes.ts';
import { outreachRoutes } from './outreach/outreach.routes.ts';
import { metricsRoutes } from './platform/http/metrics.ts';
import { publicSiteRoutes } from './public/public.routes.ts';
import { resourceRoutes } from './resources/resources.routes.ts';
import { offlineRoutes } from './offline/offline.routes.ts';

/** Every feature module's routes, in one list: adding a module is one line here. */
export const modules: ModuleRoutes[] = [authRoutes, auditRoutes, institutionRoutes, userRoutes, personRoutes, mergeRoutes, caseRoutes, dashboardRoutes, complaintRoutes, statisticsRoutes, missingRoutes, missingImportRoutes, findRoutes, accountRoutes, importJobRoutes, childrenRoutes, directoryRoutes, screeningRoutes, outreachRoutes, resourceRoutes, offlineRoutes, publicSiteRoutes, metricsRoutes];

