import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintTransmission, ComplaintView } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { Alert, LoadError, Loading, PageTitle, useLang } from '../ui/index.tsx';
import { Section } from '../ui/Section.tsx';
import { ComplaintActions, Forwarded } from './ComplaintActions.tsx';
import { ComplaintAttachments, ComplaintContact, ComplaintCustody, ComplaintDetails, ComplaintMessages, ComplaintNotes, ComplaintTransmissions } from './ComplaintRecord.tsx';
import { ComplaintStatusBadge, OverdueBadge, complaintLabel } from './shared.tsx';

/** One complaint as its unit's handler sees it: what was reported, the conversation, notes, custody, and the actions. */
export function ComplaintPage({ id }: { id: string }) {
  const { t } = useTranslation(['complaints']);
  const { data: c, error, isPending, refetch } = useApi<ComplaintView>(`/api/v1/complaints/${id}`);
  const [lastTransmission, setLastTransmission] = useState<ComplaintTransmission | null>(null);
  const [forwarded, setForwarded] = useState<{ folio: string; unit: string } | null>(null);
  if (forwarded) return <Forwarded {...forwarded} />;
  if (isPending) return <Loading />;
  if (error || !c) return <LoadError error={error} retry={() => void refetch()} />;

  return (
    <>
      <p>
        <Link href={paths.complaints}>{t('complaints:complaint.back')}</Link>
      </p>
      <ComplaintHeader c={c} />
      {lastTransmission && (
        <Alert kind="success" role="status">
          <p>{t('complaints:complaint.transmitted', { sha: lastTransmission.package_sha256 })}</p>
        </Alert>
      )}
      <Section id="complaint-actions" title={t('complaints:complaint.actions')}>
        <ComplaintActions c={c} onTransmitted={setLastTransmission} onForwarded={setForwarded} />
      </Section>
      <ComplaintDetails c={c} />
      <ComplaintContact c={c} />
      <ComplaintAttachments c={c} />
      <ComplaintMessages c={c} />
      <ComplaintNotes c={c} />
      <ComplaintTransmissions c={c} />
      <ComplaintCustody c={c} />
    </>
  );
}

/** Folio, status badges and the facts of the handling: kind, channel, dates, unit, who has it, outcome, hold. */
function ComplaintHeader({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const facts: [string, ReactNode][] = [
    [t('complaints:complaint.kind'), complaintLabel('complaintKinds', c.kind, lang)],
    [t('complaints:complaint.channel'), complaintLabel('complaintChannels', c.channel, lang)],
    [t('complaints:complaint.received'), formatDateTime(c.received_at, lang)],
    [t('complaints:complaint.statusSince'), formatDateTime(c.status_changed_at, lang)],
    [
      t('complaints:complaint.due'),
      c.due_at ? (
        <>
          {formatDate(c.due_at, lang)} {c.overdue && <OverdueBadge />}
        </>
      ) : (
        '—'
      ),
    ],
    [t('complaints:complaint.unit'), c.institution.name],
    [t('complaints:complaint.assignedTo'), c.assigned_to?.display_name || t('complaints:complaint.unassigned')],
  ];
  if (c.not_admitted_reason) facts.push([t('complaints:complaint.notAdmittedReason'), complaintLabel('notAdmittedReasons', c.not_admitted_reason, lang)]);
  if (c.outcome) facts.push([t('complaints:complaint.outcome'), complaintLabel('outcomes', c.outcome, lang)]);
  facts.push([t('complaints:complaint.legalHold'), c.legal_hold ? (c.legal_hold_reason ? `${t('complaints:complaint.legalHoldYes')}: ${c.legal_hold_reason}` : t('complaints:complaint.legalHoldYes')) : t('complaints:complaint.legalHoldNo')]);
  return (
    <div className="case-header">
      <p className="eyebrow">{complaintLabel('complaintKinds', c.kind, lang) || t('complaints:complaint.eyebrow')}</p>
      <PageTitle>{c.folio}</PageTitle>
      <div className="case-header__badges">
        <ComplaintStatusBadge status={c.status} />
        {c.overdue && <OverdueBadge />}
        {c.legal_hold && <span className="badge badge--neutral">{t('complaints:complaint.legalHoldBadge')}</span>}
      </div>
      <dl className="case-header__facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
