import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { Link, paths } from '../app/router.tsx';
import { formatDate, formatDateTime, today } from '../ui/format.ts';
import { Empty, SelectField, TextArea, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { ActionForm, DisclosureForm } from '../ui/DisclosureForm.tsx';
import { childLabel, childOptions } from './labels.ts';
import type { BestInterests, ChildFile } from './types.ts';

/**
 * Best interests: assessments, and determinations by a panel whose members each accept a
 * confidentiality undertaking, give a position (dissent included), and whose decision a supervisor
 * who did not sit on it approves.
 */
export function BestInterestsSection({ base, file }: { base: string; file: ChildFile }) {
  const { t } = useTranslation(['children']);
  return (
    <section className="section card" aria-labelledby="bi-title">
      <h2 id="bi-title">{t('children:bi.title')}</h2>
      {file.best_interests.length === 0 ? <Empty>{t('children:bi.empty')}</Empty> : file.best_interests.map((b) => <BestInterestsCard key={b.id} base={base} file={file} b={b} />)}
      {file.can_edit && <AssessmentForm base={base} />}
      {file.can_edit && <DeterminationForm base={base} />}
    </section>
  );
}

function BestInterestsCard({ base, file, b }: { base: string; file: ChildFile; b: BestInterests }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const announce = useAnnounce();
  const headingId = `bi-${b.id}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {childLabel('bestInterestsKinds', b.kind, lang)} · {t(`children:bi.status.${b.status}`)}
      </h3>
      {b.findings && <p className="prewrap">{b.findings}</p>}
      {b.evidence && (
        <p className="prewrap">
          <strong>{t('children:bi.evidence')}:</strong> {b.evidence}
        </p>
      )}
      {b.decision && (
        <p>
          <strong>{t('children:bi.decision')}:</strong> {childLabel('bestInterestsDecisions', b.decision, lang)}
          {b.review_on ? ` · ${t('children:bi.reviewOn', { date: formatDate(b.review_on, lang) })}` : ''}
        </p>
      )}
      {b.reasons && <p className="prewrap">{b.reasons}</p>}
      {b.approved_by && b.approved_at && <p className="muted">{t('children:bi.approvedBy', { name: b.approved_by.display_name, date: formatDateTime(b.approved_at, lang) })}</p>}
      {b.kind === 'determination' && (
        <>
          <h4>{t('children:bi.panel')}</h4>
          {b.members.length === 0 ? (
            <p className="muted">{t('children:bi.noMembers')}</p>
          ) : (
            <ul className="plain-list">
              {b.members.map((m) => (
                <li key={m.id}>
                  {m.user.display_name} ({childLabel('professions', m.profession, lang)}, {m.member_institution}) — {m.position ? childLabel('panelPositions', m.position, lang) : m.undertaking_accepted_at ? t('children:bi.noPositionYet') : t('children:bi.undertakingPending')}
                  {m.reasons ? `: ${m.reasons}` : ''}
                </li>
              ))}
            </ul>
          )}
          {b.status === 'panel' && <p className="hint">{t('children:bi.panelLink')} <Link href={paths.panel(b.id)}>{t('children:bi.panelView')}</Link></p>}
          {b.problems.includes('panel_incomplete') && <p className="hint">{t('children:bi.panelIncomplete')}</p>}
          {file.can_edit && b.status === 'panel' && <MemberForm base={base} determinationId={b.id} />}
          {file.can_edit && b.status === 'panel' && !b.problems.length && <DecisionForm base={base} determinationId={b.id} />}
          {file.can_approve && b.status === 'decided' && (
            <button type="button" className="button button--primary" onClick={() => void api.post(`${base}/determinations/${b.id}/approve`).then(() => announce(t('children:saved')))}>
              {t('children:bi.approve')}
            </button>
          )}
        </>
      )}
    </article>
  );
}

function AssessmentForm({ base }: { base: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ kind: 'assessment_short', findings: '', child_views: '', decision: '' }, (v) => ({ findings: v.findings.trim() ? undefined : t('ui:validation.required') }));
  return (
    <DisclosureForm
      summary={t('children:bi.assess')}
      form={form}
      send={(v) => api.post(`${base}/assessments`, { kind: v.kind, findings: v.findings.trim(), ...(v.child_views.trim() ? { child_views: v.child_views.trim() } : {}), ...(v.decision ? { decision: v.decision } : {}) })}
      submitLabel={t('children:bi.assess')}
      saved={t('children:saved')}
    >
      <SelectField id="assess-kind" label={t('children:bi.kind')} options={childOptions('bestInterestsKinds', lang).filter(([k]) => k !== 'determination')} {...form.text('kind')} />
      <TextArea id="assess-findings" label={t('children:bi.findings')} required {...form.text('findings')} />
      <TextArea id="assess-views" label={t('children:bi.childViews')} {...form.text('child_views')} />
      <SelectField id="assess-decision" label={t('children:bi.recommends')} placeholder="—" options={childOptions('bestInterestsDecisions', lang)} {...form.text('decision')} />
    </DisclosureForm>
  );
}

function DeterminationForm({ base }: { base: string }) {
  const { t } = useTranslation(['children']);
  const form = useForm({ evidence: '', child_views: '', panel_until: '' }, (v) => ({
    evidence: v.evidence.trim() ? undefined : t('ui:validation.required'),
    child_views: v.child_views.trim() ? undefined : t('ui:validation.required'),
    panel_until: v.panel_until >= today() ? undefined : t('children:bi.panelUntilFuture'),
  }));
  return (
    <DisclosureForm summary={t('children:bi.openPanel')} form={form} send={(v) => api.post(`${base}/determinations`, v)} submitLabel={t('children:bi.openPanel')} saved={t('children:saved')}>
      <TextArea id="det-evidence" label={t('children:bi.evidence')} required {...form.text('evidence')} />
      <TextArea id="det-views" label={t('children:bi.childViews')} required {...form.text('child_views')} />
      <TextField id="det-until" type="date" label={t('children:bi.panelUntil')} hint={t('children:bi.panelUntilHint')} required {...form.text('panel_until')} />
    </DisclosureForm>
  );
}

function MemberForm({ base, determinationId }: { base: string; determinationId: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ email: '', profession: '', member_institution: '' }, (v) => ({
    email: /.+@.+/.test(v.email) ? undefined : t('children:bi.emailRequired'),
    profession: v.profession ? undefined : t('ui:validation.required'),
    member_institution: v.member_institution.trim().length >= 2 ? undefined : t('ui:validation.required'),
  }));
  return (
    <DisclosureForm
      summary={t('children:bi.addMember')}
      form={form}
      send={(v) => api.post(`${base}/determinations/${determinationId}/members`, { email: v.email.trim(), profession: v.profession, member_institution: v.member_institution.trim() })}
      submitLabel={t('children:bi.addMember')}
      saved={t('children:saved')}
      secondary
    >
      <TextField id={`member-email-${determinationId}`} type="email" label={t('children:bi.memberEmail')} required {...form.text('email')} />
      <SelectField id={`member-profession-${determinationId}`} label={t('children:bi.profession')} required placeholder={t('ui:common.choose')} options={childOptions('professions', lang)} {...form.text('profession')} />
      <TextField id={`member-institution-${determinationId}`} label={t('children:bi.memberInstitution')} required {...form.text('member_institution')} />
    </DisclosureForm>
  );
}

function DecisionForm({ base, determinationId }: { base: string; determinationId: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const form = useForm({ decision: '', reasons: '', review_on: '' }, (v) => ({
    decision: v.decision ? undefined : t('ui:validation.required'),
    reasons: v.reasons.trim() ? undefined : t('ui:validation.required'),
    review_on: v.review_on ? undefined : t('ui:validation.required'),
  }));
  return (
    <ActionForm form={form} send={(v) => api.post(`${base}/determinations/${determinationId}/decision`, v)} submitLabel={t('children:bi.recordDecision')} saved={t('children:saved')} keep>
      <SelectField id={`decision-${determinationId}`} label={t('children:bi.decision')} required placeholder={t('ui:common.choose')} options={childOptions('bestInterestsDecisions', lang)} {...form.text('decision')} />
      <TextArea id={`decision-reasons-${determinationId}`} label={t('children:bi.reasons')} required {...form.text('reasons')} />
      <TextField id={`decision-review-${determinationId}`} type="date" label={t('children:bi.reviewOnLabel')} required {...form.text('review_on')} />
    </ActionForm>
  );
}
