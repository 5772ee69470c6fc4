import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type PersonMatch, type PersonSummary, type PersonView, type UserItem } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { options, personName, today } from '../ui/format.ts';
import { navigate, paths, useLocation } from '../app/router.tsx';
import { useCan, useSession } from '../app/session.tsx';
import { CheckboxGroup, FormError, PageTitle, SelectField, TextArea, TextField, useAnnounce, useDebounced, useForm, useLang, type Errors, ValidatedForm } from '../ui/index.tsx';
import { describePerson, RegisterPersonForm } from '../people/People.tsx';

type Participant = { person: PersonSummary; role: string; relationship: string };
type CaseForm = { programme: string; opened_on: string; summary: string; crime_types: string[]; rights_violations: string[]; assigned_to: string; participants: Participant[] };

/** Open a case: programme, date, classifications, and the people in it with their roles. */
export function OpenCase() {
  const { t } = useTranslation(['cases', 'people']);
  const lang = useLang();
  const announce = useAnnounce();
  const { session } = useSession();
  const can = useCan();
  const { query } = useLocation();
  const supervisor = can('cases.assign');
  const users = useApi<{ items: UserItem[] }, UserItem[]>(supervisor ? '/api/v1/users' : null, undefined, { select: (r) => r.items });

  const form = useForm<CaseForm>({ programme: '', opened_on: today(), summary: '', crime_types: [], rights_violations: [], assigned_to: '', participants: [] }, (v) => {
    const e: Errors = {
      programme: v.programme ? undefined : t('validation.required'),
      opened_on: !v.opened_on ? t('validation.required') : v.opened_on > today() ? t('validation.dateInFuture') : undefined,
      participants: v.participants.length === 0 ? t('validation.participantsRequired') : v.programme === 'victim_assistance' && !v.participants.some((p) => p.role === 'direct_victim') ? t('validation.directVictimRequired') : undefined,
      summary: v.summary.length > 10_000 ? t('validation.maxLength', { max: 10_000 }) : undefined,
    };
    v.participants.forEach((p, i) => {
      if (!p.role) e[`participants.${i}.role`] = t('validation.required');
      if (p.relationship.length > 60) e[`participants.${i}.relationship`] = t('validation.maxLength', { max: 60 });
      if (p.person.date_of_birth && v.opened_on && p.person.date_of_birth > v.opened_on) e[`participants.${i}.person_id`] = t('validation.bornAfterOpening');
    });
    return e;
  });
  const v = form.values;

  // A person given in the address (from a person's page) starts the list.
  const preset = query.get('persona');
  useEffect(() => {
    if (!preset) return;
    api.get<PersonView>(`/api/v1/people/${preset}`).then(
      (p) => form.setValues((cur) => (cur.participants.some((x) => x.person.id === p.id) ? cur : { ...cur, participants: [...cur.participants, { person: p, role: 'direct_victim', relationship: '' }] })),
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);

  const addPerson = (person: PersonSummary) => {
    if (v.participants.some((p) => p.person.id === person.id)) {
      announce(t('cases:openCase.alreadyAdded', { name: personName(person) }));
      return;
    }
    form.set('participants', [...v.participants, { person, role: v.participants.length === 0 ? 'direct_victim' : '', relationship: '' }]);
    announce(t('cases:openCase.added', { name: personName(person) }));
  };
  const updateParticipant = (index: number, patch: Partial<Participant>) => {
    form.set(
      'participants',
      v.participants.map((p, i) => (i === index ? { ...p, ...patch } : p)),
    );
    form.setServer((s) => ({ ...s, [`participants.${index}.role`]: undefined, [`participants.${index}.relationship`]: undefined, participants: undefined }));
  };
  const removeParticipant = (index: number) => {
    const removed = v.participants[index];
    form.set(
      'participants',
      v.participants.filter((_, i) => i !== index),
    );
    if (removed) announce(t('cases:openCase.removed', { name: personName(removed.person) }));
  };

  return (
    <>
      <PageTitle lead={t('cases:openCase.lead')}>{t('cases:openCase.title')}</PageTitle>
      <div className="card">
      <ValidatedForm
        form={form}
        id="open-case-form"
        onValid={async (values) => {
          const created = await api.post<{ id: string; folio: string }>('/api/v1/cases', {
            programme: values.programme,
            opened_on: values.opened_on,
            ...(values.summary.trim() ? { summary: values.summary.trim() } : {}),
            crime_types: values.crime_types,
            rights_violations: values.rights_violations,
            ...(supervisor && values.assigned_to ? { assigned_to: values.assigned_to } : {}),
            participants: values.participants.map((p) => ({ person_id: p.person.id, role: p.role, ...(p.relationship.trim() ? { relationship: p.relationship.trim() } : {}) })),
          });
          announce(t('cases:openCase.created', { folio: created.folio }));
          navigate(paths.case(created.id));
        }}
      >
        <p className="hint">{t('form.requiredNote')}</p>
        <CaseFields form={form} userOptions={supervisor ? (users.data ?? []).map((u): [string, string] => [u.id, u.display_name]) : null} />

        <ParticipantsFieldset form={form} onChange={updateParticipant} onRemove={removeParticipant} />
      </ValidatedForm>
      <PersonPicker onPick={addPerson} />
      <div className="form-actions form-actions--final">
        <button type="submit" form="open-case-form" className="button button--primary" disabled={form.busy}>
          {form.busy ? t('common.working') : t('cases:openCase.submit')}
        </button>
      </div>
      </div>
    </>
  );
}

/** Find an existing person by name, or register a new one without leaving the case form. */
function PersonPicker({ onPick }: { onPick: (p: PersonSummary) => void }) {
  const { t } = useTranslation(['cases', 'people']);
  const lang = useLang();
  const [q, setQ] = useState('');
  const [registering, setRegistering] = useState(false);
  const debounced = useDebounced(q.trim(), 300);
  const results = useApi<{ items: PersonMatch[] }, PersonMatch[]>(debounced.length >= 2 ? '/api/v1/people/search' : null, { q: debounced, limit: 8 }, { select: (r) => r.items.filter((m) => m.score >= (r.items[0]?.score ?? 0) / 20) } /* ranked hits; those far below the best are noise (docs/search.md) */);


  if (registering) {
    return (
      <section className="inline-panel" aria-labelledby="inline-register-title">
        <h2 id="inline-register-title" className="h3">{t('cases:openCase.registerNew')}</h2>
        <RegisterPersonForm
          scope="np"
          headingLevel={3}
          pickLabel={t('cases:openCase.addThisPerson')}
          onCreated={(p) => {
            onPick(p);
            setRegistering(false);
          }}
          onPick={(p) => {
            onPick(p);
            setRegistering(false);
          }}
          onCancel={() => setRegistering(false)}
        />
      </section>
    );
  }
  return (
    <section className="picker" aria-labelledby="picker-title">
      <h2 id="picker-title" className="h3">{t('cases:openCase.addPeople')}</h2>
      <TextField id="person-search" type="search" label={t('cases:openCase.searchPerson')} hint={t('cases:openCase.searchHint')} value={q} onChange={setQ} autoComplete="off" />
      <div aria-live="polite">
        {results.data && results.data.length === 0 && <p className="empty">{t('cases:openCase.noResults')}</p>}
        {results.data && results.data.length > 0 && (
          <ul className="match-list" aria-label={t('cases:openCase.searchResults')}>
            {results.data.map((m) => (
              <li key={m.id} className="match">
                <div>
                  <span className="match__name">{personName(m)}</span>
                  <span className="match__meta">{describePerson(m, lang, t)}</span>
                </div>
                <button type="button" className="button button--secondary button--small" onClick={() => onPick(m)}>
                  {t('cases:openCase.add')}
                  <span className="visually-hidden"> {personName(m)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="button button--secondary" onClick={() => setRegistering(true)}>
        {t('cases:openCase.registerNew')}
      </button>
    </section>
  );
}

type OpenCaseForm = ReturnType<typeof useForm<CaseForm>>;

/** What the case is: programme, opening date, who has it (a supervisor chooses), crimes, violations, summary. */
function CaseFields({ form, userOptions }: { form: OpenCaseForm; userOptions: [string, string][] | null }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const v = form.values;
  return (
    <fieldset className="form-section">
      <legend>{t('cases:openCase.caseSection')}</legend>
      <div className="grid-2">
        <SelectField id="case-programme" label={t('cases:case.programme')} required placeholder={t('common.choose')} options={options('programmes', lang)} {...form.text('programme')} />
        <TextField id="case-opened-on" type="date" label={t('cases:case.openedOn')} required max={today()} {...form.text('opened_on')} />
      </div>
      {userOptions && <SelectField id="case-assigned" label={t('cases:case.assignedTo')} placeholder={t('cases:cases.unassigned')} options={userOptions} {...form.text('assigned_to')} />}
      <CheckboxGroup id="case-crimes" name="crime_types" legend={t('cases:case.crimeTypes')} options={options('crimeTypes', lang)} value={v.crime_types} onChange={(x) => form.set('crime_types', x)} error={form.errorOf('crime_types')} />
      <CheckboxGroup id="case-violations" name="rights_violations" legend={t('cases:case.rightsViolations')} options={options('rightsViolations', lang)} value={v.rights_violations} onChange={(x) => form.set('rights_violations', x)} error={form.errorOf('rights_violations')} />
      <TextArea id="case-summary" label={t('cases:case.summary')} hint={t('cases:openCase.summaryHint')} {...form.text('summary')} />
    </fieldset>
  );
}

/** The people in the case, each with a role and a relationship; at least one, and a direct victim where the programme needs one. */
function ParticipantsFieldset({ form, onChange, onRemove }: { form: OpenCaseForm; onChange: (index: number, patch: Partial<Participant>) => void; onRemove: (index: number) => void }) {
  const { t } = useTranslation(['cases', 'people']);
  const lang = useLang();
  const v = form.values;
  return (
    <fieldset className="form-section" aria-describedby={form.errorOf('participants') ? 'participants-error' : undefined}>
      <legend>
        {t('cases:openCase.participantsSection')}
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      </legend>
      {v.participants.length === 0 ? (
        <p className="empty" tabIndex={-1} data-field="participants">
          {t('cases:openCase.noParticipants')}
        </p>
      ) : (
        <ol className="participant-list" tabIndex={-1} data-field="participants">
          {v.participants.map((p, i) => (
            <li key={p.person.id} className="participant">
              <div className="participant__who">
                <span className="participant__name">{personName(p.person)}</span>
                <span className="participant__meta">{describePerson(p.person, lang, t)}</span>
                {form.errorOf(`participants.${i}.person_id`) && <p className="field-error">{form.errorOf(`participants.${i}.person_id`)}</p>}
              </div>
              <SelectField
                id={`participant-${i}-role`}
                name={`participants.${i}.role`}
                label={t('cases:openCase.roleOf', { name: personName(p.person) })}
                required
                placeholder={t('common.choose')}
                options={options('participantRoles', lang)}
                value={p.role}
                onChange={(role) => onChange(i, { role })}
                error={form.errorOf(`participants.${i}.role`)}
              />
              <TextField
                id={`participant-${i}-relationship`}
                name={`participants.${i}.relationship`}
                label={t('cases:openCase.relationshipOf', { name: personName(p.person) })}
                hint={t('cases:openCase.relationshipHint')}
                value={p.relationship}
                onChange={(relationship) => onChange(i, { relationship })}
                error={form.errorOf(`participants.${i}.relationship`)}
              />
              <button type="button" className="button button--link button--danger" onClick={() => onRemove(i)}>
                {t('cases:openCase.remove')}
                <span className="visually-hidden"> {personName(p.person)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {form.errorOf('participants') && (
        <p className="field-error" id="participants-error">
          {form.errorOf('participants')}
        </p>
      )}
    </fieldset>
  );
}
