import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { ageOf, countryName, formatDate, label, languageName, mxStates, personName, today } from '../ui/format.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, SaveOrCancel, StatusBadge, TextArea, useAnnounce, useFocusAfterRender, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import { personRules } from '../ui/rules.ts';
import { PersonFields, toBody, validatePerson, type PersonForm } from './People.tsx';
import { PersonHistory } from './PersonHistory.tsx';

type PersonWithCases = ApiAnswer<'/api/v1/people/{id}'>;
type T = (key: string, options?: Record<string, unknown>) => string;

/** A person's record: her data (corrected in place, with a reason), her case files and the history of corrections. */
export function PersonPage({ id }: { id: string }) {
  const { t } = useTranslation(['people']);
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const { data: p, error, isPending, refetch } = useApi<PersonWithCases>(`/api/v1/people/${id}`);
  if (isPending) return <Loading />;
  if (error || !p) return <LoadError error={error} retry={() => void refetch()} />;
  const stopEditing = () => {
    setEditing(false);
    focusAfterRender(() => editButton.current);
  };
  return (
    <>
      <PageTitle>{personName(p)}</PageTitle>
      {p.merged_into ? (
        <Alert kind="warning">
          <p>{t('people:person.mergedInto')}</p>
          <p>
            <Link href={paths.person(p.merged_into)}>{t('people:person.seeKept')}</Link>
          </p>
        </Alert>
      ) : (
        <div className="quick-actions">
          <Link className="button button--primary" href={`${paths.caseNew}?persona=${p.id}`}>
            {t('people:person.openCaseFor')}
          </Link>
        </div>
      )}
      {editing ? (
        <section className="card section" aria-labelledby="person-edit">
          <h2 id="person-edit">{t('people:edit.title')}</h2>
          <PersonEditForm p={p} onDone={stopEditing} />
        </section>
      ) : (
        <div className="grid-2">
          <section className="card section" aria-labelledby="person-data">
            <h2 id="person-data">{t('people:person.data')}</h2>
            {p.details_restricted && <p className="hint">{t('people:person.detailsRestricted')}</p>}
            <PersonDetails p={p} />
            <EditOrWhyNot p={p} buttonRef={editButton} onEdit={() => setEditing(true)} />
          </section>
          <PersonCases p={p} />
        </div>
      )}
      <PersonHistory id={p.id} />
    </>
  );
}

function PersonDetails({ p }: { p: PersonWithCases }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const age = ageOf(p);
  const rows: [string, string][] = [
    [t('people:person.sex'), label('sexes', p.sex, lang)],
    [t('people:person.genderIdentity'), label('genderIdentities', p.gender_identity, lang)],
    [t('people:person.dateOfBirth'), p.date_of_birth ? formatDate(p.date_of_birth, lang) : ''],
    [t('people:person.age'), age != null ? (p.date_of_birth ? String(age) : t('people:person.approxAge', { age })) : ''],
    [t('people:person.nationalities'), p.nationalities.map((n) => countryName(n, lang)).join(', ')],
    [t('people:person.countryOfBirth'), countryName(p.country_of_birth, lang)],
    [t('people:person.languages'), p.languages.map((l) => languageName(l, lang)).join(', ')],
    [t('people:person.documents'), p.documents.map((d) => `${label('documentTypes', d.type, lang)} ${d.number}${d.issuer ? ` (${countryName(d.issuer, lang)})` : ''}`).join('; ')],
    [t('people:person.phone'), p.contact?.phone ?? ''],
    [t('people:person.email'), p.contact?.email ?? ''],
    [t('people:person.address'), p.contact?.address ?? ''],
    [t('people:person.locationState'), mxStates.find(([c]) => c === p.location_state)?.[1] ?? ''],
    [t('people:person.vulnerabilities'), p.vulnerabilities.map((x) => label('vulnerabilities', x, lang)).join(', ')],
    [t('people:person.disabilities'), p.disabilities.map((x) => label('disabilities', x, lang)).join(', ')],
  ];
  return (
    <dl className="details">
      {rows
        .filter(([, value]) => value)
        .map(([k, value]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** The "Corregir datos" button, or why this user may not correct the record (a merged one, another institution's, a role that only reads). */
function EditOrWhyNot({ p, buttonRef, onEdit }: { p: PersonWithCases; buttonRef: React.RefObject<HTMLButtonElement | null>; onEdit: () => void }) {
  const { t } = useTranslation(['people']);
  const can = useCan();
  const { session } = useSession();
  const why = p.merged_into ? t('people:edit.mergedReadOnly') : !can('people.write') ? t('people:edit.roleReadOnly') : p.institution_id !== session.institution.id ? t('people:edit.otherInstitution') : null;
  if (why) return <p className="hint read-only-note">{why}</p>;
  return (
    <button type="button" ref={buttonRef} className="button button--secondary" onClick={onEdit}>
      {t('people:edit.start')}
    </button>
  );
}

function PersonCases({ p }: { p: PersonWithCases }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  return (
    <section className="card section" aria-labelledby="person-cases">
      <h2 id="person-cases">{t('people:person.cases')}</h2>
      {p.cases.length === 0 ? (
        <Alert>{t('people:person.noCases')}</Alert>
      ) : (
        <ul className="item-list">
          {p.cases.map((c) => (
            <li key={c.id}>
              <Link href={paths.case(c.id)} className="item-list__title">
                {c.folio}
              </Link>
              <span className="item-list__meta">
                {label('programmes', c.programme, lang)} · {label('participantRoles', c.role, lang)} · {formatDate(c.opened_on, lang)}
              </span>
              <StatusBadge status={c.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The form's values for a stored record. */
function fromView(p: PersonWithCases): PersonForm {
  return {
    given_names: p.given_names,
    surname1: p.surname1 ?? '',
    surname2: p.surname2 ?? '',
    sex: p.sex,
    gender_identity: p.gender_identity ?? '',
    age_mode: p.date_of_birth ? 'dob' : p.estimated_age != null ? 'estimated' : 'unknown',
    date_of_birth: p.date_of_birth ?? '',
    estimated_age: p.estimated_age != null ? String(p.estimated_age) : '',
    age_estimated_on: p.age_estimated_on ?? today(),
    'nationalities.0': p.nationalities[0] ?? '',
    'nationalities.1': p.nationalities[1] ?? '',
    country_of_birth: p.country_of_birth ?? '',
    languages: p.languages,
    vulnerabilities: p.vulnerabilities,
    disabilities: p.disabilities,
    'documents.0.type': p.documents[0]?.type ?? '',
    'documents.0.number': p.documents[0]?.number ?? '',
    'documents.0.issuer': p.documents[0]?.issuer ?? '',
    'contact.phone': p.contact?.phone ?? '',
    'contact.email': p.contact?.email ?? '',
    'contact.address': p.contact?.address ?? '',
    location_state: p.location_state ?? '',
  };
}

/** A value compared for change: lists of words in any order, objects in any key order, empty as null. */
function canonical(value: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.every((i) => typeof i === 'string') ? [...(x as string[])].sort() : x.map(norm);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, norm(v)]));
    return x ?? null;
  };
  return JSON.stringify(norm(value));
}

/**
 * The correction as a PATCH body: only the fields whose value changed. What the form does not show
 * is kept: a third nationality, a second document, the contact's notes; the age goes as a date of
 * birth or an estimate, the other emptied.
 */
function correctionOf(p: PersonWithCases, v: PersonForm, details: boolean): Record<string, unknown> {
  const { documents, contact, ...edited } = toBody(v);
  const candidate: Record<string, unknown> = {
    ...edited,
    date_of_birth: v.age_mode === 'dob' ? v.date_of_birth : null,
    estimated_age: v.age_mode === 'estimated' ? Number(v.estimated_age) : null,
    age_estimated_on: v.age_mode === 'estimated' ? v.age_estimated_on : null,
    nationalities: [...edited.nationalities, ...p.nationalities.slice(2)],
  };
  if (details) {
    candidate.documents = [...documents, ...p.documents.slice(1)];
    const reach = { ...(p.contact?.notes ? { notes: p.contact.notes } : {}), ...contact };
    candidate.contact = Object.values(reach).some(Boolean) ? reach : null;
  }
  const stored = p as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(candidate).filter(([field, value]) => canonical(value) !== canonical(stored[field])));
}

function validateCorrection(v: PersonForm & { reason: string }, t: T) {
  return { ...validatePerson(v, t), reason: !v.reason.trim() ? t('people:edit.reasonRequired') : personRules.correctionReason.safeParse(v.reason).success ? undefined : t('validation.maxLength', { max: 500 }) };
}

/** Corrects the record in place; the reason is asked every time and kept in the history with who and when. */
function PersonEditForm({ p, onDone }: { p: PersonWithCases; onDone: () => void }) {
  const { t } = useTranslation(['people']);
  const announce = useAnnounce();
  const details = !p.details_restricted;
  const form = useForm<PersonForm & { reason: string }>({ ...fromView(p), reason: '' }, (v) => validateCorrection(v, t));
  return (
    <ValidatedForm
      form={form}
      className="person-form"
      onValid={async ({ reason, ...values }) => {
        const changes = correctionOf(p, values, details);
        if (Object.keys(changes).length) await api.patch(`/api/v1/people/${p.id}`, { ...changes, reason: reason.trim() });
        announce(Object.keys(changes).length ? t('people:edit.saved') : t('people:edit.nothingChanged'));
        onDone();
      }}
    >
      <p className="hint">{t('form.requiredNote')}</p>
      {!details && <p className="hint">{t('people:edit.detailsNotEditable')}</p>}
      <PersonFields form={form} scope="edit" details={details} />
      <TextArea id="edit-reason" label={t('people:edit.reason')} hint={t('people:edit.reasonHint')} required rows={2} {...form.text('reason')} />
      <SaveOrCancel busy={form.busy} saveLabel={t('people:edit.save')} onCancel={onDone} />
    </ValidatedForm>
  );
}

