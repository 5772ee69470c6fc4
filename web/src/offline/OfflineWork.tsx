import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { Section } from '../ui/Section.tsx';
import { Alert, Empty, FileField, Loading, PageTitle, SelectField, SubmitButton, TextArea, TextField, useAnnounce, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import { countryOptions, formatDateTime, label, options, personName, today } from '../ui/format.ts';
import { enqueue, entries, records, setEntryState, whileOpen, type DeviceCase, type DevicePerson, type Entry } from './device.ts';
import { syncNow } from './sync.ts';
import { useDevice } from './useDevice.ts';
import { possibleDuplicates } from './local-duplicates.ts';
import { ConflictChoice } from './ConflictChoice.tsx';
import './offline.css';

export const offlinePaths = { home: '/sin-conexion', person: '/sin-conexion/personas/nueva', caseNew: '/sin-conexion/expedientes/nuevo', case: (id: string) => `/sin-conexion/expedientes/${id}` };

/** Offline work (docs/offline.md): one screen area with its own paths under /sin-conexion. */
export function OfflineWork() {
  const { path } = useLocation();
  const device = useDevice();
  const { t } = useTranslation(['offline', 'ui']);
  if (device.status !== 'open') {
    return (
      <>
        <PageTitle>{t('offline:home.title')}</PageTitle>
        <Alert kind="info">{t('offline:home.locked')}</Alert>
      </>
    );
  }
  const caseId = path.match(/^\/sin-conexion\/expedientes\/([0-9a-f-]{36})\/?$/)?.[1];
  if (caseId) return <OfflineCase id={caseId} />;
  if (/^\/sin-conexion\/personas\/nueva\/?$/.test(path)) return <RegisterOffline />;
  if (/^\/sin-conexion\/expedientes\/nuevo\/?$/.test(path)) return <OpenCaseOffline />;
  return <OfflineHome />;
}

/** The kept records, re-read whenever the store changes. */
function useKept() {
  const { revision } = useDevice();
  const [kept, setKept] = useState<{ cases: DeviceCase[]; people: DevicePerson[] } | null>(null);
  useEffect(() => {
    let live = true;
    void whileOpen(async () => {
      const r = await records();
      if (live) setKept(r);
    });
    return () => {
      live = false;
    };
  }, [revision]);
  return kept;
}

function useEntries() {
  const { revision } = useDevice();
  const [list, setList] = useState<Entry[] | null>(null);
  useEffect(() => {
    let live = true;
    void whileOpen(async () => {
      const e = await entries();
      if (live) setList(e);
    });
    return () => {
      live = false;
    };
  }, [revision]);
  return list;
}

const madeAt = () => new Date().toISOString();

export function SyncSummary() {
  const { t } = useTranslation(['offline', 'ui']);
  const device = useDevice();
  const waiting = device.counts.waiting + device.counts.sending;
  return (
    <div className="offline-sync" role="status">
      <p>
        <strong>{device.online ? t('offline:sync.online') : t('offline:sync.offline')}</strong> {t('offline:sync.waiting', { count: waiting })}
        {device.counts.conflict > 0 && <> {t('offline:sync.conflicts', { count: device.counts.conflict })}</>}
        {device.counts.failed > 0 && <> {t('offline:sync.failed', { count: device.counts.failed })}</>}
      </p>
      {device.sync.running && (
        <p>
          <label htmlFor="offline-progress">{t('offline:sync.progress', { done: device.sync.done, total: device.sync.total })}</label>{' '}
          <progress id="offline-progress" max={device.sync.total} value={device.sync.done} />
        </p>
      )}
      {device.sync.needsSignIn && <p>{t('offline:sync.signIn')}</p>}
      {device.online && waiting > 0 && !device.sync.running && (
        <button type="button" className="button button--secondary button--small" onClick={() => void syncNow()}>
          {t('offline:sync.now')}
        </button>
      )}
    </div>
  );
}

function OfflineHome() {
  const { t } = useTranslation(['offline', 'ui']);
  const lang = useLang();
  const kept = useKept();
  const list = useEntries();
  const stateName = (s: Entry['state']) => t(`offline:state.${s}`);
  return (
    <>
      <PageTitle lead={t('offline:home.lead')}>{t('offline:home.title')}</PageTitle>
      <SyncSummary />
      <p className="offline-actions">
        <Link className="button button--primary" href={offlinePaths.person}>
          {t('offline:person.title')}
        </Link>{' '}
        <Link className="button button--secondary" href={offlinePaths.caseNew}>
          {t('offline:case.openTitle')}
        </Link>
      </p>
      <Section id="offline-outbox" title={t('offline:home.outbox')} count={list?.length ?? 0}>
        {!list ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty>{t('offline:home.outboxEmpty')}</Empty>
        ) : (
          <ol className="offline-outbox">
            {list.map((entry) => (
              <li key={entry.key} className={`offline-outbox__item offline-outbox__item--${entry.state}`}>
                <span>{entry.label}</span> <span className="badge">{stateName(entry.state)}</span> <span className="offline-outbox__when">{formatDateTime(new Date(entry.made_at).toISOString(), lang)}</span>
                {entry.state === 'failed' && (
                  <>
                    <p className="offline-outbox__problem">{entry.problem?.message}</p>
                    <button type="button" className="button button--secondary button--small" onClick={() => void setEntryState(entry.key, 'waiting').then(syncNow)} aria-label={t('offline:home.retryNamed', { what: entry.label })}>
                      {t('offline:home.retry')}
                    </button>
                  </>
                )}
                {entry.state === 'conflict' && <ConflictChoice entry={entry} />}
              </li>
            ))}
          </ol>
        )}
      </Section>
      <Section id="offline-cases" title={t('offline:home.cases')} count={kept?.cases.length ?? 0}>
        {!kept ? (
          <Loading />
        ) : kept.cases.length === 0 ? (
          <Empty>{t('offline:home.casesEmpty')}</Empty>
        ) : (
          <ul className="offline-cases">
            {kept.cases.map((c) => (
              <li key={c.id}>
                <Link href={offlinePaths.case(c.id)}>{c.folio || t('offline:case.noFolio')}</Link> · {label('programmes', c.programme, lang)} · {c.participants.map((p) => personName(p.person)).join(', ')}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

type PersonValues = { given_names: string; surname1: string; surname2: string; sex: string; date_of_birth: string; nationality: string };
const emptyPerson: PersonValues = { given_names: '', surname1: '', surname2: '', sex: '', date_of_birth: '', nationality: '' };
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;
const newId = () => crypto.randomUUID();

function RegisterOffline() {
  const { t } = useTranslation(['offline', 'ui']);
  const lang = useLang();
  const announce = useAnnounce();
  const kept = useKept();
  const [id, setId] = useState(newId);
  const [matches, setMatches] = useState<DevicePerson[] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const name = (v: string, required: boolean) => (!v.trim() ? (required ? t('ui:validation.required') : undefined) : !NAME.test(v.trim()) || v.length > 100 ? t('offline:person.nameRule') : undefined);
  const form = useForm(emptyPerson, (v) => ({
    given_names: name(v.given_names, true),
    surname1: name(v.surname1, false),
    surname2: name(v.surname2, false),
    sex: v.sex ? undefined : t('ui:validation.required'),
    date_of_birth: v.date_of_birth && v.date_of_birth > today() ? t('offline:person.futureDate') : undefined,
  }));
  const register = async (v: PersonValues, confirmed: boolean) => {
    const candidate = { given_names: v.given_names.trim(), surname1: v.surname1.trim() || null, surname2: v.surname2.trim() || null, date_of_birth: v.date_of_birth || null };
    const found = possibleDuplicates(candidate, kept?.people ?? []);
    if (found.length && !confirmed) {
      setMatches(found);
      return;
    }
    const data = { ...candidate, sex: v.sex as 'female', nationalities: v.nationality ? [v.nationality] : [], other_names: [], languages: [], disabilities: [], vulnerabilities: [], documents: [] };
    await enqueue({ operation: 'person.create', id, made_at: madeAt(), data }, t('offline:person.label', { name: personName(candidate) }));
    const message = t('offline:person.saved', { name: personName(candidate) });
    setSaved(message);
    announce(message);
    setMatches(null);
    setId(newId());
    form.reset();
    void syncNow();
  };
  return (
    <>
      <PageTitle lead={t('offline:person.lead')}>{t('offline:person.title')}</PageTitle>
      <p>
        <Link href={offlinePaths.home}>{t('offline:back')}</Link>
      </p>
      {saved && <Alert kind="success">{saved}</Alert>}
      <ValidatedForm form={form} onStart={() => setSaved(null)} onValid={(v) => register(v, false)} className="form offline-form" aria-labelledby="offline-person-legend">
        <p id="offline-person-legend" className="visually-hidden">
          {t('offline:person.title')}
        </p>
        <TextField id="op-given" label={t('offline:person.given')} required autoComplete="off" {...form.text('given_names')} />
        <TextField id="op-surname1" label={t('offline:person.surname1')} autoComplete="off" {...form.text('surname1')} />
        <TextField id="op-surname2" label={t('offline:person.surname2')} autoComplete="off" {...form.text('surname2')} />
        <SelectField id="op-sex" label={t('offline:person.sex')} required placeholder={t('offline:choose')} options={options('sexes', lang)} {...form.text('sex')} />
        <TextField id="op-dob" label={t('offline:person.dob')} type="date" {...form.text('date_of_birth')} />
        <SelectField id="op-nationality" label={t('offline:person.nationality')} placeholder={t('offline:choose')} options={countryOptions(lang)} {...form.text('nationality')} />
        {matches && (
          <Alert kind="warning" role="alert">
            <p>{t('offline:person.matches', { count: matches.length })}</p>
            <ul>
              {matches.map((m) => (
                <li key={m.id}>
                  {personName(m)}
                  {m.date_of_birth ? ` · ${m.date_of_birth}` : ''}
                </li>
              ))}
            </ul>
            <button type="button" className="button button--secondary" onClick={() => void form.submit((v) => register(v, true))}>
              {t('offline:person.registerAnyway')}
            </button>
          </Alert>
        )}
        <SubmitButton busy={form.busy}>{t('offline:person.submit')}</SubmitButton>
      </ValidatedForm>
    </>
  );
}

type CaseValues = { programme: string; opened_on: string; summary: string; person_id: string; role: string };

function OpenCaseOffline() {
  const { t } = useTranslation(['offline', 'ui']);
  const lang = useLang();
  const kept = useKept();
  const [id, setId] = useState(newId);
  const form = useForm<CaseValues>({ programme: '', opened_on: today(), summary: '', person_id: '', role: 'direct_victim' }, (v) => ({
    programme: v.programme ? undefined : t('ui:validation.required'),
    opened_on: !v.opened_on ? t('ui:validation.required') : v.opened_on > today() ? t('offline:person.futureDate') : undefined,
    person_id: v.person_id ? undefined : t('ui:validation.required'),
    summary: v.summary.length > 10_000 ? t('ui:validation.maxLength', { max: 10_000 }) : undefined,
  }));
  const people = kept?.people ?? [];
  return (
    <>
      <PageTitle lead={t('offline:case.openLead')}>{t('offline:case.openTitle')}</PageTitle>
      <p>
        <Link href={offlinePaths.home}>{t('offline:back')}</Link>
      </p>
      <ValidatedForm
        form={form}
        className="form offline-form"
        onValid={async (v) => {
          const person = people.find((p) => p.id === v.person_id);
          await enqueue(
            { operation: 'case.create', id, made_at: madeAt(), data: { programme: v.programme as 'shelter', opened_on: v.opened_on, ...(v.summary.trim() ? { summary: v.summary.trim() } : {}), crime_types: [], rights_violations: [], participants: [{ person_id: v.person_id, role: v.role as 'direct_victim' }] } },
            t('offline:case.label', { name: person ? personName(person) : '' }),
          );
          const opened = id;
          setId(newId());
          void syncNow();
          navigate(offlinePaths.case(opened));
        }}
      >
        <SelectField id="oc-programme" label={t('offline:case.programme')} required placeholder={t('offline:choose')} options={options('programmes', lang)} {...form.text('programme')} />
        <TextField id="oc-opened" label={t('offline:case.openedOn')} type="date" required {...form.text('opened_on')} />
        <SelectField id="oc-person" label={t('offline:case.person')} required placeholder={t('offline:choose')} options={people.map((p) => [p.id, `${personName(p)}${p.pending ? ` (${t('offline:notSent')})` : ''}`])} hint={people.length ? undefined : t('offline:case.noPeople')} {...form.text('person_id')} />
        <SelectField id="oc-role" label={t('offline:case.role')} required options={options('participantRoles', lang)} {...form.text('role')} />
        <TextArea id="oc-summary" label={t('offline:case.summary')} {...form.text('summary')} />
        <SubmitButton busy={form.busy}>{t('offline:case.submit')}</SubmitButton>
      </ValidatedForm>
    </>
  );
}

function OfflineCase({ id }: { id: string }) {
  const { t } = useTranslation(['offline', 'ui']);
  const lang = useLang();
  const kept = useKept();
  const announce = useAnnounce();
  if (!kept) return <Loading />;
  const c = kept.cases.find((x) => x.id === id);
  if (!c) {
    return (
      <>
        <PageTitle>{t('offline:case.notKept')}</PageTitle>
        <Link href={offlinePaths.home}>{t('offline:back')}</Link>
      </>
    );
  }
  const title = c.folio || t('offline:case.noFolio');
  const done = (message: string) => {
    announce(message);
    void syncNow();
  };
  return (
    <>
      <PageTitle lead={`${label('programmes', c.programme, lang)} · ${c.participants.map((p) => personName(p.person)).join(', ')}`}>{t('offline:case.title', { folio: title })}</PageTitle>
      <p>
        <Link href={offlinePaths.home}>{t('offline:back')}</Link>
      </p>
      {c.pending && <Alert kind="info">{t('offline:case.pending')}</Alert>}
      <SummarySection c={c} title={title} done={done} />
      <ServicesSection c={c} title={title} done={done} />
      <NotesSection c={c} title={title} done={done} />
      <PhotosSection c={c} title={title} done={done} />
    </>
  );
}

/** What each section of a kept case receives: the case, its title for the queue, and what to do once a change is queued. */
type CaseSectionProps = { c: DeviceCase; title: string; done: (message: string) => void };

/** The case's summary, shown or edited. */
function SummarySection({ c, title, done }: CaseSectionProps) {
  const { t } = useTranslation(['offline', 'ui']);
  const [editing, setEditing] = useState(false);
  const summary = useForm({ summary: '' }, (v) => ({ summary: v.summary.length > 10_000 ? t('ui:validation.maxLength', { max: 10_000 }) : undefined }));
  return (
    <Section id="oc-summary-section" title={t('offline:case.summary')}>
      {editing ? (
        <ValidatedForm
          form={summary}
          className="form"
          onValid={async (v) => {
            const next = v.summary.trim() || null;
            // A case not yet on the server has no version: its summary there is the one it was opened with.
            await enqueue({ operation: 'case.update', id: c.id, made_at: madeAt(), base_version: c.version || madeAt(), base: { summary: c.summary }, data: { summary: next } }, t('offline:case.summaryLabel', { folio: title }));
            setEditing(false);
            done(t('offline:case.saved'));
          }}
        >
          <TextArea id="oc-summary-edit" label={t('offline:case.summary')} {...summary.text('summary')} />
          <SubmitButton busy={summary.busy}>{t('offline:save')}</SubmitButton>{' '}
          <button type="button" className="button button--ghost" onClick={() => setEditing(false)}>
            {t('offline:cancel')}
          </button>
        </ValidatedForm>
      ) : (
        <>
          <p className="offline-summary">{c.summary ?? t('offline:case.noSummary')}</p>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              summary.reset({ summary: c.summary ?? '' });
              setEditing(true);
            }}
          >
            {t('offline:case.editSummary')}
          </button>
        </>
      )}
    </Section>
  );
}

/** The services recorded, and a form for one more. */
function ServicesSection({ c, title, done }: CaseSectionProps) {
  const { t } = useTranslation(['offline', 'ui']);
  const lang = useLang();
  const [serviceId, setServiceId] = useState(newId);
  const service = useForm({ person_id: '', service_type: '', provided_on: today() }, (v) => ({
    person_id: v.person_id ? undefined : t('ui:validation.required'),
    service_type: v.service_type ? undefined : t('ui:validation.required'),
    provided_on: !v.provided_on ? t('ui:validation.required') : v.provided_on > today() ? t('offline:person.futureDate') : undefined,
  }));
  return (
    <Section id="oc-services" title={t('offline:case.services')} count={c.services.length}>
      {c.services.length > 0 && (
        <ul>
          {c.services.map((s) => (
            <li key={s.id}>
              {label('serviceTypes', s.service_type, lang)} · {s.provided_on} · {personName(c.participants.find((p) => p.person.id === s.person_id)?.person ?? { given_names: '', surname1: null, surname2: null })}
            </li>
          ))}
        </ul>
      )}
      <ValidatedForm
        form={service}
        className="form"
        onValid={async (v) => {
          await enqueue({ operation: 'service.create', id: serviceId, made_at: madeAt(), case_id: c.id, data: { person_id: v.person_id, service_type: v.service_type as 'shelter', provided_on: v.provided_on } }, t('offline:case.serviceLabel', { folio: title, service: label('serviceTypes', v.service_type, lang) }));
          setServiceId(newId());
          service.reset();
          done(t('offline:case.saved'));
        }}
      >
        <SelectField id="os-person" label={t('offline:case.servicePerson')} required placeholder={t('offline:choose')} options={c.participants.map((p) => [p.person.id, personName(p.person)])} {...service.text('person_id')} />
        <SelectField id="os-type" label={t('offline:case.serviceType')} required placeholder={t('offline:choose')} options={options('serviceTypes', lang)} {...service.text('service_type')} />
        <TextField id="os-date" label={t('offline:case.serviceDate')} type="date" required {...service.text('provided_on')} />
        <SubmitButton busy={service.busy}>{t('offline:case.recordService')}</SubmitButton>
      </ValidatedForm>
    </Section>
  );
}

/** Notes: how many the case has, those not yet sent, and a form for one more. */
function NotesSection({ c, title, done }: CaseSectionProps) {
  const { t } = useTranslation(['offline', 'ui']);
  const [noteId, setNoteId] = useState(newId);
  const note = useForm({ body: '' }, (v) => ({ body: v.body.trim() ? undefined : t('ui:validation.required') }));
  return (
    <Section id="oc-notes" title={t('offline:case.notes')} count={c.notes + c.pending_notes.length}>
      {c.pending_notes.length > 0 && (
        <ul>
          {c.pending_notes.map((n, i) => (
            <li key={i}>
              {n} <span className="badge">{t('offline:notSent')}</span>
            </li>
          ))}
        </ul>
      )}
      <ValidatedForm
        form={note}
        className="form"
        onValid={async (v) => {
          await enqueue({ operation: 'note.create', id: noteId, made_at: madeAt(), case_id: c.id, data: { body: v.body.trim() } }, t('offline:case.noteLabel', { folio: title }));
          setNoteId(newId());
          note.reset();
          done(t('offline:case.saved'));
        }}
      >
        <TextArea id="on-body" label={t('offline:case.note')} required {...note.text('body')} />
        <SubmitButton busy={note.busy}>{t('offline:case.addNote')}</SubmitButton>
      </ValidatedForm>
    </Section>
  );
}

/** Photos and documents: those not yet sent, and a file to attach. */
function PhotosSection({ c, title, done }: CaseSectionProps) {
  const { t } = useTranslation(['offline', 'ui']);
  const [photoId, setPhotoId] = useState(newId);
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoError, setPhotoError] = useState<string | undefined>();
  return (
    <Section id="oc-photos" title={t('offline:case.photos')} count={c.attachments + c.pending_photos.length}>
      {c.pending_photos.length > 0 && (
        <ul>
          {c.pending_photos.map((n, i) => (
            <li key={i}>
              {n} <span className="badge">{t('offline:notSent')}</span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!photo) return setPhotoError(t('ui:validation.required'));
          if (!['image/jpeg', 'image/png', 'application/pdf'].includes(photo.type)) return setPhotoError(t('offline:case.photoType'));
          setPhotoError(undefined);
          void photo.arrayBuffer().then(async (buffer) => {
            let binary = '';
            const bytes = new Uint8Array(buffer);
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            await enqueue({ operation: 'attachment.create', id: photoId, made_at: madeAt(), case_id: c.id, data: { filename: photo.name, media_type: photo.type as 'image/jpeg', content_base64: btoa(binary) } }, t('offline:case.photoLabel', { folio: title, name: photo.name }));
            setPhotoId(newId());
            setPhoto(null);
            done(t('offline:case.saved'));
          });
        }}
      >
        <FileField key={photoId} id="op-photo" name="photo" label={t('offline:case.photo')} hint={t('offline:case.photoHint')} accept="image/jpeg,image/png,application/pdf" error={photoError} onFile={setPhoto} />
        <button type="submit" className="button button--primary">
          {t('offline:case.attach')}
        </button>
      </form>
    </Section>
  );
}
