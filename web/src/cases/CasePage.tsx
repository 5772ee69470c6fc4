import { useTranslation } from 'react-i18next';
import type { CaseView } from '../api/client.ts';
import { formatDate, label } from '../ui/format.ts';
import { useCan, useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { Alert, LoadError, Loading, PageTitle, StatusBadge, useLang } from '../ui/index.tsx';
import { AttachmentsSection, NotesSection, ParticipantsSection, ReferralsSection, TimelineSection } from './CaseRecords.tsx';
import { ServicesSection } from './CaseServices.tsx';
import { SummarySection } from './CaseSummary.tsx';
import { SupervisorPanel } from './SupervisorPanel.tsx';
import { ScreeningsSection } from '../screenings/ScreeningsSection.tsx';
import './CasePage.css';

/**
 * A case file: its header, then one section per part, each editable in place by those who may
 * (and saying so in words to those who may not). A case seen through a referral shows only the
 * sections shared with the receiving institution.
 */
export function CasePage({ id }: { id: string }) {
  const { t } = useTranslation(['cases']);
  const { session } = useSession();
  const can = useCan();
  const { data: c, error, isPending, refetch } = useApi<CaseView>(`/api/v1/cases/${id}`);
  if (isPending) return <Loading />;
  if (error || !c) return <LoadError error={error} retry={() => void refetch()} />;

  const shared = c.view === 'shared';
  const supervises = can('cases.assign') && !shared && c.institution.id === session.institution.id;
  const show = (section: string) => !shared || c.shared_sections.includes(section);

  return (
    <>
      {shared && <SharedBanner c={c} />}
      <CaseHeader c={c} supervises={supervises} />
      {!shared && !c.can_edit && <Alert kind="info">{t('cases:case.readOnly')}</Alert>}
      {c.unreadable_fields.length > 0 && <Alert kind="warning">{t('common.unreadableAlert')}</Alert>}
      {supervises && <SupervisorPanel c={c} />}
      {show('summary') && <SummarySection c={c} />}
      {show('participants') && <ParticipantsSection c={c} />}
      {show('services') && <ServicesSection c={c} />}
      {show('notes') && <NotesSection c={c} />}
      {show('attachments') && <AttachmentsSection c={c} />}
      {!shared && <ScreeningsSection c={c} />}
      {!shared && <ReferralsSection c={c} />}
      {!shared && <TimelineSection c={c} />}
    </>
  );
}

function SharedBanner({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  return (
    <div className="banner banner--shared" role="note" aria-labelledby="shared-banner-title">
      <p id="shared-banner-title" className="banner__title">
        {t('cases:case.sharedTitle', { institution: c.institution.name })}
      </p>
      <p>{t('cases:case.sharedBody', { sections: c.shared_sections.map((s) => label('sharedSections', s, lang)).join(', ') })}</p>
    </div>
  );
}

/** Folio, status, programme and the facts that place the case; who may reassign it is said beside "Asignado a". */
function CaseHeader({ c, supervises }: { c: CaseView; supervises: boolean }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  return (
    <div className="case-header">
      <p className="eyebrow">{t('cases:case.caseFile')}</p>
      <PageTitle>{c.folio}</PageTitle>
      <div className="case-header__badges">
        <StatusBadge status={c.status} />
        <span className="badge badge--neutral">{label('programmes', c.programme, lang)}</span>
      </div>
      <dl className="case-header__facts">
        <div>
          <dt>{t('cases:case.institution')}</dt>
          <dd>{c.institution.name}</dd>
        </div>
        <div>
          <dt>{t('cases:case.openedOn')}</dt>
          <dd>{formatDate(c.opened_on, lang)}</dd>
        </div>
        {c.through_consulate && (
          <div>
            <dt>{t('cases:case.throughConsulate')}</dt>
            <dd>{c.through_consulate.name}</dd>
          </div>
        )}
        <div>
          <dt>{t('cases:case.assignedTo')}</dt>
          <dd>
            {c.assigned_to?.display_name ?? t('cases:cases.unassigned')}
            {!supervises && c.view !== 'shared' && <span className="case-header__note">{t('cases:edit.assignSupervisorOnly')}</span>}
          </dd>
        </div>
        {c.closed_on && (
          <div>
            <dt>{t('cases:case.closedOn')}</dt>
            <dd>
              {formatDate(c.closed_on, lang)}
              {c.closure_reason && ` · ${label('closureReasons', c.closure_reason, lang)}`}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
