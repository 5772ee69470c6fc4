import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type PersonMatch, type PersonSummary, type PersonView } from '../api/client.ts';
import { personRules as serverRules } from '../ui/rules.ts';
import { useApi } from '../api/queries.ts';
import { ageOf, countryName, countryOptions, formatDate, label, languageName, languageOptions, mxStates, options, personName, today, type Lang } from '../ui/format.ts';
import { Link, navigate, paths } from '../app/router.tsx';
import { Alert, CheckboxGroup, FormError, LoadError, Loading, PageTitle, RadioGroup, SelectField, StatusBadge, TextField, useAnnounce, useDebounced, useForm, useLang, type Errors, ValidatedForm, SubmitButton } from '../ui/index.tsx';



export type PersonForm = {
  given_names: string;
  surname1: string;
  surname2: string;
  sex: string;
  gender_identity: string;
  age_mode: 'dob' | 'estimated' | 'unknown';
  date_of_birth: string;
  estimated_age: string;
  age_estimated_on: string;
  'nationalities.0': string;
  'nationalities.1': string;
  country_of_birth: string;
  languages: string[];
  vulnerabilities: string[];
  disabilities: string[];
  'documents.0.type': string;
  'documents.0.number': string;
  'documents.0.issuer': string;
  'contact.phone': string;
  'contact.email': string;
  'contact.address': string;
  location_state: string;
};

export const blank = (): PersonForm => ({
  given_names: '',
  surname1: '',
  surname2: '',
  sex: '',
  gender_identity: '',
  age_mode: 'dob',
  date_of_birth: '',
  estimated_age: '',
  age_estimated_on: today(),
  'nationalities.0': '',
  'nationalities.1': '',
  country_of_birth: '',
  languages: [],
  vulnerabilities: [],
  disabilities: [],
  'documents.0.type': '',
  'documents.0.number': '',
  'documents.0.issuer': '',
  'contact.phone': '',
  'contact.email': '',
  'contact.address': '',
  location_state: '',
});

/** The server's person rules (src/people/person.schema.ts), with the form's own messages. */
export function validatePerson(v: PersonForm, t: (key: string, o?: Record<string, unknown>) => string): Errors {
  const name = (value: string, required: boolean) => {
    const s = value.trim();
    if (!s) return required ? t('validation.required') : undefined;
    const result = serverRules.name.safeParse(s);
    if (result.success) return undefined;
    return result.error.issues.some((issue) => issue.code === 'too_big') ? t('validation.maxLength', { max: 100 }) : t('validation.name');
  };
  const pastDate = (value: string) => (value > today() ? t('validation.dateInFuture') : undefined);
  const e: Errors = {
    given_names: name(v.given_names, true),
    surname1: name(v.surname1, false),
    surname2: name(v.surname2, false),
    sex: v.sex ? undefined : t('validation.required'),
  };
  if (v.age_mode === 'dob') {
    if (!v.date_of_birth) e.date_of_birth = t('validation.required');
    else e.date_of_birth = pastDate(v.date_of_birth) ?? (v.date_of_birth < '1900-01-01' ? t('validation.dateTooOld') : undefined);
  }
  if (v.age_mode === 'estimated') {
    const age = Number(v.estimated_age);
    if (!v.estimated_age.trim()) e.estimated_age = t('validation.required');
    else if (!Number.isInteger(age) || age < 0 || age > 120) e.estimated_age = t('validation.age');
    e.age_estimated_on = !v.age_estimated_on ? t('validation.required') : pastDate(v.age_estimated_on);
  }
  if (v['nationalities.1'] && v['nationalities.1'] === v['nationalities.0']) e['nationalities.1'] = t('validation.duplicateNationality');
  const docNumber = v['documents.0.number'].trim();
  if (docNumber || v['documents.0.type']) {
    if (!v['documents.0.type']) e['documents.0.type'] = t('validation.required');
    if (!docNumber) e['documents.0.number'] = t('validation.required');
    else if (!serverRules.documentNumber.safeParse(docNumber).success) e['documents.0.number'] = t('validation.documentNumber');
  }
  const phone = v['contact.phone'].trim();
  if (phone && !serverRules.phone.safeParse(phone).success) e['contact.phone'] = t('validation.phone');
  const email = v['contact.email'].trim();
  if (email && !serverRules.email.safeParse(email).success) e['contact.email'] = t('validation.email');

  if (v['contact.address'].length > 300) e['contact.address'] = t('validation.maxLength', { max: 300 });
  return e;
}

export function toBody(v: PersonForm) {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const contact = { phone: opt(v['contact.phone']), email: opt(v['contact.email']), address: opt(v['contact.address']) };
  return {
    given_names: v.given_names.trim(),
    surname1: opt(v.surname1) ?? null,
    surname2: opt(v.surname2) ?? null,
    sex: v.sex,
    gender_identity: v.gender_identity || null,
    ...(v.age_mode === 'dob' ? { date_of_birth: v.date_of_birth } : {}),
    ...(v.age_mode === 'estimated' ? { estimated_age: Number(v.estimated_age), age_estimated_on: v.age_estimated_on } : {}),
    nationalities: [v['nationalities.0'], v['nationalities.1']].filter(Boolean),
    country_of_birth: v.country_of_birth || null,
    languages: v.languages,
    vulnerabilities: v.vulnerabilities,
    disabilities: v.disabilities,
    documents: v['documents.0.number'].trim() ? [{ type: v['documents.0.type'], number: v['documents.0.number'].trim(), ...(v['documents.0.issuer'] ? { issuer: v['documents.0.issuer'] } : {}) }] : [],
    contact: Object.values(contact).some(Boolean) ? contact : null,
    location_state: v.location_state || null,
    location_country: v.location_state ? 'MEX' : null,
  };
}

export function describePerson(p: PersonSummary, lang: Lang, t: (k: string, o?: Record<string, unknown>) => string): string {
  const age = ageOf(p);
  const parts = [
    label('sexes', p.sex, lang),
    p.date_of_birth ? t('people:person.bornOn', { date: formatDate(p.date_of_birth, lang) }) : age != null ? t('people:person.approxAge', { age }) : null,
    p.nationalities.map((n) => countryName(n, lang)).join(', ') || null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * The registration form. As the name is typed it looks for existing records of the same person
 * (one person, one record) and offers them before a new record is saved.
 */
export function RegisterPersonForm({ scope = 'p', onCreated, onPick, onCancel, pickLabel, headingLevel = 2 }: { scope?: string; headingLevel?: 2 | 3; onCreated: (p: PersonSummary) => void; onPick: (p: PersonSummary) => void; onCancel?: () => void; pickLabel?: string }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const announce = useAnnounce();
  const form = useForm<PersonForm>(blank(), (v) => validatePerson(v, t));
  const v = form.values;

  // Duplicate detection: debounced search on the name, refined by date of birth and sex when known.
  const q = [v.given_names, v.surname1, v.surname2].map((s) => s.trim()).filter(Boolean).join(' ');
  const searchKey = useDebounced(JSON.stringify({ q, dob: v.age_mode === 'dob' && /^\d{4}-\d{2}-\d{2}$/.test(v.date_of_birth) ? v.date_of_birth : '', sex: v.sex }), 350);
  const [matches, setMatches] = useState<PersonMatch[]>([]);
  useEffect(() => {
    const { q: query, dob, sex } = JSON.parse(searchKey) as { q: string; dob: string; sex: string };
    if (query.length < 3 || !v.given_names.trim()) {
      setMatches([]);
      return;
    }
    let live = true;
    api.get<{ items: PersonMatch[] }>('/api/v1/people/search', { q: query, date_of_birth: dob, sex: sex && sex !== 'unknown' ? sex : '', limit: 5 }).then(
      (r) => {
        if (!live) return;
        // A score is the probability that the record is this person (docs/search.md): a 2 % chance is worth a look before registering a duplicate.
        const likely = r.items.filter((m) => m.score >= 0.02);
        setMatches(likely);
        if (likely.length) announce(t('people:person.matchesFound', { count: likely.length }));
      },
      () => live && setMatches([]),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchKey]);

  return (
    <ValidatedForm
      form={form}
      className="person-form"
      onStart={(e) => e.stopPropagation()}
      onValid={async (values) => {
        const created = await api.post<PersonView>('/api/v1/people', toBody(values));
        announce(t('people:person.created', { name: personName(created) }));
        onCreated(created);
      }}
    >
      <p className="hint">{t('form.requiredNote')}</p>

      <PersonFields form={form} scope={scope} afterName={<PossibleDuplicates matches={matches} scope={scope} headingLevel={headingLevel} onPick={onPick} pickLabel={pickLabel} />} />

      <div className="form-actions">
        <SubmitButton busy={form.busy} working>
          {matches.length ? t('people:person.saveAnyway') : t('people:person.save')}
        </SubmitButton>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </ValidatedForm>
  );
}

export function RegisterPersonPage() {
  const { t } = useTranslation(['people']);
  return (
    <>
      <PageTitle lead={t('people:person.registerLead')}>{t('people:person.registerTitle')}</PageTitle>
      <div className="card">
        <RegisterPersonForm onCreated={(p) => navigate(paths.person(p.id))} onPick={(p) => navigate(paths.person(p.id))} pickLabel={t('people:person.seeRecord')} />
      </div>
    </>
  );
}

/** What the fields need of a form over a person's record (a correction's form adds its reason). */
type PersonFormState = {
  values: PersonForm;
  set<K extends keyof PersonForm>(name: K, value: PersonForm[K]): void;
  text: (name: keyof PersonForm & string) => { name: string; value: string; onChange: (value: string) => void; onBlur: () => void; error: string | undefined };
  errorOf: (name: string) => string | undefined;
};

/**
 * The fields of a person's record, for registering and for correcting one. `afterName` sits under
 * the name (the registration form's possible duplicates); `details: false` leaves out identity
 * documents and contact details, for a user who may not read them.
 */
export function PersonFields({ form, scope, afterName, details = true }: { form: PersonFormState; scope: string; afterName?: ReactNode; details?: boolean }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const v = form.values;
  const id = (name: string) => `${scope}-${name.replace(/\./g, '-')}`;
  const bind = (name: keyof PersonForm & string) => ({ ...form.text(name), id: id(name) });
  const countries = countryOptions(lang);
  return (
    <>
      <fieldset className="form-section">
        <legend>{t('people:person.nameSection')}</legend>
        <div className="grid-3">
          <TextField label={t('people:person.givenNames')} required autoComplete="off" {...bind('given_names')} />
          <TextField label={t('people:person.surname1')} autoComplete="off" {...bind('surname1')} />
          <TextField label={t('people:person.surname2')} autoComplete="off" {...bind('surname2')} />
        </div>
      </fieldset>

      {afterName}

      <fieldset className="form-section">
        <legend>{t('people:person.identitySection')}</legend>
        <div className="grid-2">
          <SelectField label={t('people:person.sex')} required placeholder={t('common.choose')} options={options('sexes', lang)} {...bind('sex')} />
          <SelectField label={t('people:person.genderIdentity')} placeholder={t('common.notStated')} options={options('genderIdentities', lang)} {...bind('gender_identity')} />
        </div>
        <RadioGroup
          id={id('age_mode')}
          name={id('age_mode')}
          legend={t('people:person.ageKnown')}
          value={v.age_mode}
          onChange={(mode) => form.set('age_mode', mode as PersonForm['age_mode'])}
          options={[
            ['dob', t('people:person.ageModeDob')],
            ['estimated', t('people:person.ageModeEstimated')],
            ['unknown', t('people:person.ageModeUnknown')],
          ]}
        />
        {v.age_mode === 'dob' && <TextField type="date" label={t('people:person.dateOfBirth')} required max={today()} min="1900-01-01" {...bind('date_of_birth')} />}
        {v.age_mode === 'estimated' && (
          <div className="grid-2">
            <TextField type="number" inputMode="numeric" min={0} max={120} label={t('people:person.estimatedAge')} required {...bind('estimated_age')} />
            <TextField type="date" label={t('people:person.ageEstimatedOn')} required max={today()} {...bind('age_estimated_on')} />
          </div>
        )}
        <div className="grid-3">
          <SelectField label={t('people:person.nationality')} placeholder={t('common.choose')} options={countries} {...bind('nationalities.0')} />
          <SelectField label={t('people:person.secondNationality')} placeholder={t('common.none')} options={countries} {...bind('nationalities.1')} />
          <SelectField label={t('people:person.countryOfBirth')} placeholder={t('common.choose')} options={countries} {...bind('country_of_birth')} />
        </div>
        <CheckboxGroup id={id('languages')} name="languages" legend={t('people:person.languages')} options={languageOptions(lang)} value={v.languages} onChange={(x) => form.set('languages', x)} error={form.errorOf('languages')} />
      </fieldset>

      {details && (
        <>
          <fieldset className="form-section">
            <legend>{t('people:person.documentSection')}</legend>
            <div className="grid-3">
              <SelectField label={t('people:person.documentType')} placeholder={t('common.choose')} options={options('documentTypes', lang)} {...bind('documents.0.type')} />
              <TextField label={t('people:person.documentNumber')} autoComplete="off" {...bind('documents.0.number')} />
              <SelectField label={t('people:person.documentIssuer')} placeholder={t('common.choose')} options={countries} {...bind('documents.0.issuer')} />
            </div>
          </fieldset>

          <fieldset className="form-section">
            <legend>{t('people:person.contactSection')}</legend>
            <div className="grid-2">
              <TextField type="tel" label={t('people:person.phone')} autoComplete="off" hint={t('people:person.phoneHint')} {...bind('contact.phone')} />
              <TextField type="email" label={t('people:person.email')} autoComplete="off" {...bind('contact.email')} />
            </div>
            <div className="grid-2">
              <TextField label={t('people:person.address')} autoComplete="off" {...bind('contact.address')} />
              <SelectField label={t('people:person.locationState')} placeholder={t('common.choose')} options={mxStates} {...bind('location_state')} />
            </div>
          </fieldset>
        </>
      )}

      <fieldset className="form-section">
        <legend>{t('people:person.needsSection')}</legend>
        <CheckboxGroup id={id('vulnerabilities')} name="vulnerabilities" legend={t('people:person.vulnerabilities')} options={options('vulnerabilities', lang)} value={v.vulnerabilities} onChange={(x) => form.set('vulnerabilities', x)} error={form.errorOf('vulnerabilities')} />
        <CheckboxGroup id={id('disabilities')} name="disabilities" legend={t('people:person.disabilities')} options={options('disabilities', lang)} value={v.disabilities} onChange={(x) => form.set('disabilities', x)} error={form.errorOf('disabilities')} />
      </fieldset>
    </>
  );
}

/** Existing records that may be the person being registered, offered before a new one is saved. */
function PossibleDuplicates({ matches, scope, headingLevel, onPick, pickLabel }: { matches: PersonMatch[]; scope: string; headingLevel: 2 | 3; onPick: (p: PersonSummary) => void; pickLabel: string | undefined }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const titleId = `${scope}-matches-title`;
  return (
    <div aria-live="polite" className="matches-region">
      {matches.length > 0 && (
        <section className="matches" aria-labelledby={titleId}>
          {headingLevel === 2 ? <h2 id={titleId} className="h3">{t('people:person.matchesTitle')}</h2> : <h3 id={titleId}>{t('people:person.matchesTitle')}</h3>}
          <p>{t('people:person.matchesLead')}</p>
          <ul className="match-list">
            {matches.map((m) => (
              <li key={m.id} className="match">
                <div>
                  <span className="match__name">{personName(m)}</span>
                  <span className="match__meta">{describePerson(m, lang, t)}</span>
                  <span className="match__score">{t('people:person.similarity', { pct: Math.round(m.score * 100) })}</span>
                </div>
                <button type="button" className="button button--secondary button--small" onClick={() => onPick(m)}>
                  {pickLabel ?? t('people:person.isThisPerson')}
                  <span className="visually-hidden">: {personName(m)}</span>
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">{t('people:person.noneOfThem')}</p>
        </section>
      )}
    </div>
  );
}
