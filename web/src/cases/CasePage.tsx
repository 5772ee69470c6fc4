import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CaseView, type Institution, type UserItem } from '../api/client.ts';
import { formatBytes, formatDate, formatDateTime, label, options, personName, today } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { Alert, CheckboxGroup, Empty, FormError, LoadError, Loading, NoteForm, PageTitle, SelectField, StatusBadge, TextArea, TextField, useAnnounce, useForm, useLang, type Errors } from '../ui/index.tsx';
import { describePerson } from '../people/People.tsx';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const uploadTypes: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', txt: 'text/plain' };

export function CasePage({ id }: { id: string }) {
  const { t } = useTranslation(['cases', 'people', 'referrals']);
  const lang = useLang();
  const { session } = useSession();
  const can = useCan();
  const { data: c, error, isPending, refetch } = useApi<CaseView>(`/api/v1/cases/${id}`);
  if (isPending) return <Loading />;
  if (error || !c) return <LoadError error={error} retry={() => void refetch()} />;

  const shared = c.view === 'shared';
  const editable = c.can_edit && !shared;
  const supervisor = can('cases.assign') && !shared && c.institution.id === session.institution.id;
  const show = (section: string) => !shared || c.shared_sections.includes(section);
  const personById = new Map(c.participants.map((p) => [p.person.id, p.person]));

  return (
    <>
      {shared && (
        <div className="banner banner--shared" role="note" aria-labelledby="shared-banner-title">
          <p id="shared-banner-title" className="banner__title">
            {t('cases:case.sharedTitle', { institution: c.institution.name })}
          </p>
          <p>{t('cases:case.sharedBody', { sections: c.shared_sections.map((s) => label('sharedSections', s, lang)).join(', ') })}</p>
        </div>
      )}
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
          <div>
            <dt>{t('cases:case.assignedTo')}</dt>
            <dd>{c.assigned_to?.display_name ?? t('cases:cases.unassigned')}</dd>
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

      {!shared && !c.can_edit && <Alert kind="info">{t('cases:case.readOnly')}</Alert>}
      {c.unreadable_fields.length > 0 && <Alert kind="warning">{t('common.unreadableAlert')}</Alert>}

      {supervisor && <SupervisorPanel c={c} />}

      {(show('summary') || !shared) && (
        <Section id="summary" title={t('cases:case.summarySection')}>
          <dl className="details">
            <div>
              <dt>{t('cases:case.crimeTypes')}</dt>
              <dd>{c.crime_types.length ? c.crime_types.map((k) => label('crimeTypes', k, lang)).join(', ') : t('common.noneRecorded')}</dd>
            </div>
            <div>
              <dt>{t('cases:case.rightsViolations')}</dt>
              <dd>{c.rights_violations.length ? c.rights_violations.map((k) => label('rightsViolations', k, lang)).join(', ') : t('common.noneRecorded')}</dd>
            </div>
            {show('summary') && (
              <div>
                <dt>{t('cases:case.summary')}</dt>
                <dd className="prewrap">{c.unreadable_fields.includes('summary') ? <em>{t('common.unreadable')}</em> : (c.summary ?? t('common.noneRecorded'))}</dd>
              </div>
            )}
          </dl>
        </Section>
      )}

      {show('participants') && (
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
      )}

      {show('services') && (
        <Section id="services" title={t('cases:case.services')} count={c.services.length}>
          {c.services.length === 0 ? (
            <Empty>{t('cases:case.noServices')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table table--responsive">
                <caption className="visually-hidden">{t('cases:case.services')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cases:service.date')}</th>
                    <th scope="col">{t('cases:service.type')}</th>
                    <th scope="col">{t('cases:service.person')}</th>
                    <th scope="col">{t('cases:service.unit')}</th>
                    <th scope="col">{t('cases:service.notes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.services.map((s) => {
                    const person = personById.get(s.person_id);
                    return (
                      <tr key={s.id}>
                        <td data-label={t('cases:service.date')}>{formatDate(s.provided_on, lang)}</td>
                        <td data-label={t('cases:service.type')}>{label('serviceTypes', s.service_type, lang)}</td>
                        <td data-label={t('cases:service.person')}>{person ? personName(person) : ''}</td>
                        <td data-label={t('cases:service.unit')}>{s.provider_unit ?? ''}</td>
                        <td data-label={t('cases:service.notes')} className="prewrap">
                          {c.unreadable_fields.includes(`services.${s.id}.notes`) ? <em>{t('common.unreadable')}</em> : (s.notes ?? '')}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {editable && (
            <Disclosure label={t('cases:service.add')}>{(close) => <ServiceForm c={c} onDone={close} />}</Disclosure>
          )}
        </Section>
      )}

      {show('notes') && (
        <Section id="notes" title={t('cases:case.notes')} count={c.notes.length}>
          {c.notes.length === 0 ? (
            <Empty>{t('cases:case.noNotes')}</Empty>
          ) : (
            <ul className="notes">
              {c.notes.map((n) => (
                <li key={n.id} className="note">
                  <p className="note__meta">
                    {n.author?.display_name ?? '—'} · <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>
                  </p>
                  <p className="prewrap">{n.body ?? <em>{t('common.unreadable')}</em>}</p>
                </li>
              ))}
            </ul>
          )}
          {editable && <NoteForm id="note-body" endpoint={`/api/v1/cases/${c.id}/notes`} label={t('cases:note.new')} hint={t('cases:note.hint')} saveLabel={t('cases:note.save')} savedMessage={t('cases:note.saved')} />}
        </Section>
      )}

      {show('attachments') && (
        <Section id="attachments" title={t('cases:case.attachments')} count={c.attachments.length}>
          {c.attachments.length === 0 ? (
            <Empty>{t('cases:case.noAttachments')}</Empty>
          ) : (
            <ul className="files">
              {c.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/api/v1/cases/${c.id}/attachments/${a.id}`} download={a.filename ?? undefined}>
                    {a.filename ?? t('common.unreadable')}
                  </a>
                  <span className="muted">
                    {' '}
                    · {formatBytes(a.size_bytes, lang)} · {formatDateTime(a.created_at, lang)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {editable && <UploadForm caseId={c.id} />}
        </Section>
      )}

      {!shared && (
        <Section id="referrals" title={t('cases:case.referrals')} count={c.referrals.length}>
          {c.referrals.length === 0 ? (
            <Empty>{t('cases:case.noReferrals')}</Empty>
          ) : (
            <ul className="item-list">
              {c.referrals.map((r) => (
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
          {editable && c.status !== 'closed' && <Disclosure label={t('referrals:referral.refer')}>{(close) => <ReferralForm c={c} onDone={close} />}</Disclosure>}
        </Section>
      )}

      {!shared && (
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
      )}
    </>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count?: number; children: ReactNode }) {
  return (
    <section className="card section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>
        {title}
        {count !== undefined && <span className="count"> ({count})</span>}
      </h2>
      {children}
    </section>
  );
}

/** A button that reveals a form below it; the form gets a way to close itself. */
function Disclosure({ label: text, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = `panel-${text.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="disclosure">
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true" className="disclosure__icon">{open ? '−' : '+'}</span> {text}
      </button>
      <div id={panelId} hidden={!open} className="disclosure__panel">
        {open && children(() => setOpen(false))}
      </div>
    </div>
  );
}

function ServiceForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases', 'people', 'referrals']);
  const lang = useLang();
  const announce = useAnnounce();
  const form = useForm({ person_id: c.participants.length === 1 ? c.participants[0]!.person.id : '', service_type: '', provided_on: today(), provider_unit: '', notes: '' }, (v) => ({
    person_id: v.person_id ? undefined : t('validation.required'),
    service_type: v.service_type ? undefined : t('validation.required'),
    provided_on: !v.provided_on ? t('validation.required') : v.provided_on > today() ? t('validation.dateInFuture') : v.provided_on < c.opened_on ? t('validation.beforeOpening') : undefined,
    provider_unit: v.provider_unit.length > 200 ? t('validation.maxLength', { max: 200 }) : undefined,
    notes: v.notes.length > 2000 ? t('validation.maxLength', { max: 2000 }) : undefined,
  }));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (v) => {
          await api.post(`/api/v1/cases/${c.id}/services`, {
            person_id: v.person_id,
            service_type: v.service_type,
            provided_on: v.provided_on,
            ...(v.provider_unit.trim() ? { provider_unit: v.provider_unit.trim() } : {}),
            ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
          });
          announce(t('cases:service.saved'));
          onDone();
        });
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      <div className="grid-3">
        <SelectField id="service-person" label={t('cases:service.person')} required placeholder={t('common.choose')} options={c.participants.map((p) => [p.person.id, personName(p.person)])} {...form.text('person_id')} />
        <SelectField id="service-type" label={t('cases:service.type')} required placeholder={t('common.choose')} options={options('serviceTypes', lang)} {...form.text('service_type')} />
        <TextField id="service-date" type="date" label={t('cases:service.date')} required max={today()} min={c.opened_on} {...form.text('provided_on')} />
      </div>
      <TextField id="service-unit" label={t('cases:service.unit')} {...form.text('provider_unit')} />
      <TextArea id="service-notes" label={t('cases:service.notes')} rows={3} {...form.text('notes')} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('cases:service.save')}
        </button>
      </div>
    </form>
  );
}

function UploadForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation(['cases', 'people', 'referrals']);
  const lang = useLang();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const typeOf = (f: File) => (Object.values(uploadTypes).includes(f.type) ? f.type : uploadTypes[f.name.split('.').pop()?.toLowerCase() ?? '']);
  const form = useForm({ file: '' }, () => ({
    file: !file ? t('validation.fileRequired') : !typeOf(file) ? t('validation.fileType') : file.size > MAX_UPLOAD_BYTES ? t('validation.fileSize', { max: formatBytes(MAX_UPLOAD_BYTES, lang) }) : file.size === 0 ? t('validation.fileEmpty') : undefined,
  }));
  return (
    <form
      noValidate
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async () => {
          if (!file) return;
          await api.upload(`/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(file.name)}`, file, typeOf(file)!);
          announce(t('cases:attachment.saved', { name: file.name }));
          setFile(null);
          setInputKey((k) => k + 1);
        });
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      <div className={`field${form.errorOf('file') ? ' field--invalid' : ''}`}>
        <label htmlFor="attachment-file">{t('cases:attachment.file')}</label>
        <p className="hint" id="attachment-file-hint">
          {t('cases:attachment.hint', { max: formatBytes(MAX_UPLOAD_BYTES, lang) })}
        </p>
        <input
          key={inputKey}
          id="attachment-file"
          data-field="file"
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png,text/plain"
          aria-invalid={form.errorOf('file') ? true : undefined}
          aria-describedby={`attachment-file-hint${form.errorOf('file') ? ' attachment-file-error' : ''}`}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            form.touch('file');
          }}
        />
        {form.errorOf('file') && (
          <p className="field-error" id="attachment-file-error">
            {form.errorOf('file')}
          </p>
        )}
      </div>
      <button type="submit" className="button button--primary" disabled={form.busy}>
        {form.busy ? t('common.working') : t('cases:attachment.upload')}
      </button>
    </form>
  );
}

function ReferralForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases', 'people', 'referrals']);
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
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (v) => {
          await api.post(`/api/v1/cases/${c.id}/referrals`, { to_institution_id: v.to_institution_id, reason: v.reason.trim(), consent_recorded_on: v.consent_recorded_on, consent_method: v.consent_method, shared_sections: v.shared_sections });
          announce(t('referrals:referral.sent'));
          onDone();
        });
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      <SelectField id="referral-to" label={t('referrals:referral.to')} required placeholder={institutions.isFetching ? t('common.loading') : t('common.choose')} options={(institutions.data ?? []).map((i) => [i.id, i.name])} {...form.text('to_institution_id')} />
      <TextArea id="referral-reason" label={t('referrals:referral.reason')} required rows={3} {...form.text('reason')} />
      <div className="grid-2">
        <TextField id="referral-consent-date" type="date" label={t('referrals:referral.consentDate')} required max={today()} {...form.text('consent_recorded_on')} />
        <SelectField id="referral-consent-method" label={t('referrals:referral.consentMethod')} required placeholder={t('common.choose')} options={options('consentMethods', lang)} {...form.text('consent_method')} />
      </div>
      <CheckboxGroup
        id="referral-sections"
        name="shared_sections"
        legend={t('referrals:referral.sections')}
        hint={t('referrals:referral.sectionsHint')}
        required
        options={options('sharedSections', lang)}
        value={form.values.shared_sections}
        onChange={(x) => form.set('shared_sections', x)}
        error={form.errorOf('shared_sections')}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('referrals:referral.send')}
        </button>
      </div>
    </form>
  );
}

/** Supervisors assign, open the case to a caseworker, close and reopen. */
function SupervisorPanel({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases', 'people', 'referrals']);
  const lang = useLang();
  const announce = useAnnounce();
  const users = useApi<{ items: UserItem[] }, UserItem[]>('/api/v1/users', undefined, { select: (r) => r.items });

  const userOptions = (users.data ?? []).map((u) => [u.id, u.display_name] as [string, string]);

  const assign = useForm({ assigned_to: c.assigned_to?.id ?? '' }, () => ({}));
  const access = useForm({ user_id: '' }, (v) => ({ user_id: v.user_id ? undefined : t('validation.required') }));
  const close = useForm({ closure_reason: '', closed_on: today() }, (v) => ({
    closure_reason: v.closure_reason ? undefined : t('validation.required'),
    closed_on: !v.closed_on ? t('validation.required') : v.closed_on > today() ? t('validation.dateInFuture') : v.closed_on < c.opened_on ? t('validation.beforeOpening') : undefined,
  }));
  const status = useForm({}, () => ({}));

  return (
    <section className="card section supervisor" aria-labelledby="supervisor-title">
      <h2 id="supervisor-title">{t('cases:supervisor.title')}</h2>
      <div className="grid-2">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void assign.submit(async (v) => {
              await api.patch(`/api/v1/cases/${c.id}`, { assigned_to: v.assigned_to || null });
              announce(t('cases:supervisor.assigned'));

            });
          }}
        >
          <FormError message={assign.formError} errors={assign.shown} />
          <SelectField id="assign-user" label={t('cases:supervisor.assignTo')} placeholder={t('cases:cases.unassigned')} options={userOptions} {...assign.text('assigned_to')} />
          <button type="submit" className="button button--secondary" disabled={assign.busy}>
            {t('cases:supervisor.assign')}
          </button>
        </form>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void access.submit(async (v) => {
              await api.post(`/api/v1/cases/${c.id}/access`, { user_id: v.user_id });
              announce(t('cases:supervisor.accessGranted'));
              access.reset();

            });
          }}
        >
          <FormError message={access.formError} errors={access.shown} />
          <SelectField id="access-user" label={t('cases:supervisor.grantAccess')} hint={t('cases:supervisor.grantAccessHint')} placeholder={t('common.choose')} options={userOptions} {...access.text('user_id')} />
          <button type="submit" className="button button--secondary" disabled={access.busy}>
            {t('cases:supervisor.grant')}
          </button>
        </form>
      </div>
      {c.status === 'closed' ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void status.submit(async () => {
              await api.patch(`/api/v1/cases/${c.id}`, { status: 'reopened' });
              announce(t('cases:supervisor.reopened'));

            });
          }}
        >
          <FormError message={status.formError} errors={status.shown} />
          <button type="submit" className="button button--secondary" disabled={status.busy}>
            {t('cases:supervisor.reopen')}
          </button>
        </form>
      ) : (
        <Disclosure label={t('cases:supervisor.close')}>
          {(done) => (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void close.submit(async (v) => {
                  await api.patch(`/api/v1/cases/${c.id}`, { status: 'closed', closure_reason: v.closure_reason, closed_on: v.closed_on });
                  announce(t('cases:supervisor.closed'));
                  done();

                });
              }}
            >
              <FormError message={close.formError} errors={close.shown} />
              <div className="grid-2">
                <SelectField id="close-reason" label={t('cases:supervisor.closureReason')} required placeholder={t('common.choose')} options={options('closureReasons', lang)} {...close.text('closure_reason')} />
                <TextField id="close-date" type="date" label={t('cases:supervisor.closedOn')} required max={today()} min={c.opened_on} {...close.text('closed_on')} />
              </div>
              <button type="submit" className="button button--danger" disabled={close.busy}>
                {t('cases:supervisor.confirmClose')}
              </button>
            </form>
          )}
        </Disclosure>
      )}
    </section>
  );
}
