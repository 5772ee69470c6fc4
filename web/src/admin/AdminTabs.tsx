import './Admin.css';
import { useTranslation } from 'react-i18next';
import { Link, paths, useLocation } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import type { Capability } from '../api/client.ts';

const tabs: { href: string; label: string; needs: Capability[] }[] = [
  { href: paths.admin, label: 'tabs.users', needs: ['users.manage', 'users.manage_any'] },
  { href: paths.adminInstitutions, label: 'tabs.institutions', needs: ['institutions.manage', 'institutions.manage_any'] },
  { href: paths.adminSettings, label: 'tabs.settings', needs: ['complaints.configure', 'missing.configure'] },
  { href: paths.adminImport, label: 'tabs.import', needs: ['records.import'] },
  { href: paths.adminScreenings, label: 'tabs.screenings', needs: ['screenings.manage_instruments'] },
  { href: paths.adminResources, label: 'tabs.resources', needs: ['resources.manage'] },
  { href: paths.adminPublicSite, label: 'tabs.publicSite', needs: ['public_site.configure'] },
  { href: paths.adminInformation, label: 'tabs.information', needs: ['information.edit'] },
];

/** The administration screens' own navigation: each tab shown when the session's capabilities open it. */
export function AdminTabs() {
  const { t } = useTranslation(['admin']);
  const can = useCan();
  const { path } = useLocation();
  const here = path.replace(/\/$/, '').replace(/^(\/administracion\/informacion)\/.+$/, '$1');
  return (
    <nav className="tabs admin-tabs" aria-label={t('admin:tabs.label')}>
      {tabs
        .filter((tab) => tab.needs.some(can))
        .map((tab) => (
          <Link key={tab.href} href={tab.href} className="tab" aria-current={here === tab.href ? 'page' : undefined}>
            {t(`admin:${tab.label}`)}
          </Link>
        ))}
    </nav>
  );
}
