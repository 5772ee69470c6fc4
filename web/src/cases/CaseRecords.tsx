import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CaseView, type Institution } from '../api/client.ts';
import { formatBytes, formatDate, formatDateTime, label, options, personName, today } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { ConsentFields } from '../referrals/ConsentFields.tsx';
import { FileField, NoteForm, SelectField, SubmitButton, TextArea, useAnnounce, useForm, useLang, ValidatedForm, type Errors, FormSubmit } from '../ui/index.tsx';
import { describePerson } from '../people/People.tsx';
import { Disclosure, mayEdit } from './CaseParts.tsx';
import { ItemsSection, Section } from '../ui/Section.tsx';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const uploadTypes: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', txt: 'text/plain' };

export function ParticipantsSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases', 'people']);
  const lang = useLang();
  const shared = c.view === 'shared';
  return (
    <Section id="participants" title={t('cases:case.participants')} count={c.participants.length}>
      <ul className="people-list">
        {c.participants.map((p) => (
          <li key={p.id}>
            <div>
              {shared ? <span className="people-list__name">{personName(p.person)}</span> : <Link href={paths.person(p.person.id)} className="people-list__name">{personName(p.person)}</Link>}
              <span className="people-list__meta">{describePerson(p.person, lang, t)}</span>
            </div>
            <div className="people-list__role">
              <span className={`badge badge--role-${p.role}`}>{label('participantRoles', p.role, lang)}</span>
              {p.relationship && <span className="muted">{p.relationship}</span>}
            </div>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function NotesSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  return (
    <ItemsSection id="notes" title={t('cases:case.notes')} items={c.notes} empty={t('cases:case.noNotes')} after={mayEdit(c) && <NoteForm id="note-body" endpoint={`/api/v1/cases/${c.id}/notes`} label={t('cases:note.new')} hint={t('cases:note.hint')} saveLabel={t('cases:note.save')} savedMessage={t('cases:note.saved')} />}>
      {(notes) => (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n.id} className="note">
              <p className="note__meta">
                {n.author?.display_name ?? '—'} · <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>
              </p>
              <p className="prewrap">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
    </ItemsSection>
  );
}

export function AttachmentsSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  return (
    <ItemsSection id="attachments" title={t('cases:case.attachments')} items={c.attachments} empty={t('cases:case.noAttachments')} after={mayEdit(c) && <UploadForm caseId={c.id} />}>
      {(attachments) => (
        <ul className="files">
          {attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/cases/${c.id}/attachments/${a.id}`} download={a.filename}>
                {a.filename}
              </a>
              <span className="muted">
                {' '}
                · {formatBytes(a.size_bytes, lang)} · {formatDateTime(a.created_at, lang)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </ItemsSection>
  );
}

export function ReferralsSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases', 'referrals']);
  const lang = useLang();
  return (
    <ItemsSection
      id="referrals"
      title={t('cases:case.referrals')}
      items={c.referrals}
      empty={t('cases:case.noReferrals')}
      after={
        <>
          {mayEdit(c) && c.status !== 'closed' && <Disclosure label={t('referrals:referral.refer')}>{(close) => <ReferralForm c={c} onDone={close} />}</Disclosure>}
          {mayEdit(c) && c.status === 'closed' && <p className="hint read-only-note">{t('cases:edit.closedNoReferral')}</p>}
        </>
      }
    >
      {(referrals) => (
        <ul className="item-list">
          {referrals.map((r) => (
            <li key={r.id}>
              <span className="item-list__title">{t('referrals:referral.toInstitution', { name: r.to_institution.name })}</span>
              <span className="item-list__meta">
                {formatDate(r.created_at, lang)} · {r.shared_sections.map((s) => label('sharedSections', s, lang)).join(', ')}
              </span>
              <span className={`badge badge--ref-${r.status}`}>{t(`referrals:referralStatus.${r.status}`, { defaultValue: r.status })}</span>
              {r.response_note && <p className="item-list__note">{r.response_note}</p>}
            </li>
          ))}
        </ul>
      )}
    </ItemsSection>
  );
}

export function TimelineSection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  return (
    <Section id="timeline" title={t('cases:case.timeline')}>
      <ol className="timeline">
        {[...c.timeline].reverse().map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
            <span className="timeline__what">{t(`cases:timeline.${e.kind.replace(/\./g, '_')}`, { defaultValue: e.kind })}</span>
            {e.actor && <span className="muted"> · {e.actor.display_name}</span>}
          </li>
        ))}
      </ol>
    </Section>
  );
}

function UploadForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const typeOf = (f: File) => (Object.values(uploadTypes).includes(f.type) ? f.type : uploadTypes[f.name.split('.').pop()?.toLowerCase() ?? '']);
  const form = useForm({ file: '' }, () => ({
    file: !file ? t('validation.fileRequired') : !typeOf(file) ? t('validation.fileType') : file.size > MAX_UPLOAD_BYTES ? t('validation.fileSize', { max: formatBytes(MAX_UPLOAD_BYTES, lang) }) : file.size === 0 ? t('validation.fileEmpty') : undefined,
  }));
  return (
    <ValidatedForm
      form={form}
      className="inline-form"
      onValid={async () => {
        if (!file) return;
        await api.upload(`/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(file.name)}`, file, typeOf(file)!);
        announce(t('cases:attachment.saved', { name: file.name }));
        setFile(null);
        setInputKey((k) => k + 1);
      }}
    >
      <FileField
        key={inputKey}
        id="attachment-file"
        name="file"
        label={t('cases:attachment.file')}
        hint={t('cases:attachment.hint', { max: formatBytes(MAX_UPLOAD_BYTES, lang) })}
        accept=".pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png,text/plain"
        error={form.errorOf('file')}
        onFile={(chosen) => {
          setFile(chosen);
          form.touch('file');
        }}
      />
      <SubmitButton busy={form.busy}>{form.busy ? t('common.working') : t('cases:attachment.upload')}</SubmitButton>
    </ValidatedForm>
  );
}

function ReferralForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases', 'referrals']);
  const lang = useLang();
  const announce = useAnnounce();
  const { session } = useSession();
  const institutions = useApi<{ items: Institution[] }, Institution[]>('/api/v1/institutions', undefined, { select: (r) => r.items.filter((i) => i.id !== session.institution.id && i.type !== 'platform') });
  const form = useForm({ to_institution_id: '', reason: '', consent_recorded_on: today(), consent_method: '', shared_sections: ['participants'] as string[] }, (v): Errors => ({
    to_institution_id: v.to_institution_id ? undefined : t('validation.required'),
    reason: v.reason.trim().length < 3 ? t('validation.minLength', { min: 3 }) : v.reason.length > 2000 ? t('validation.maxLength', { max: 2000 }) : undefined,
    consent_recorded_on: !v.consent_recorded_on ? t('validation.required') : v.consent_recorded_on > today() ? t('validation.dateInFuture') : undefined,
    consent_method: v.consent_method ? undefined : t('validation.required'),
    shared_sections: v.shared_sections.length === 0 ? t('validation.sectionsRequired') : undefined,
  }));
  return (
    <ValidatedForm
      form={form}
      onValid={async (v) => {
        await api.post(`/api/v1/cases/${c.id}/referrals`, { to_institution_id: v.to_institution_id, reason: v.reason.trim(), consent_recorded_on: v.consent_recorded_on, consent_method: v.consent_method, shared_sections: v.shared_sections });
        announce(t('referrals:referral.sent'));
        onDone();
      }}
    >
      <SelectField id="referral-to" label={t('referrals:referral.to')} required placeholder={institutions.isFetching ? t('common.loading') : t('common.choose')} options={(institutions.data ?? []).map((i) => [i.id, i.name])} {...form.text('to_institution_id')} />
      <TextArea id="referral-reason" label={t('referrals:referral.reason')} required rows={3} {...form.text('reason')} />
      <ConsentFields
        idPrefix="referral-"
        form={form}
        words={{ date: t('referrals:referral.consentDate'), method: t('referrals:referral.consentMethod'), sections: t('referrals:referral.sections'), sectionsHint: t('referrals:referral.sectionsHint'), choose: t('common.choose') }}
      />
      <FormSubmit busy={form.busy}>
        {t('referrals:referral.send')}
      </FormSubmit>
    </ValidatedForm>
  );
}
