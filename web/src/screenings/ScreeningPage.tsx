import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { formatDateTime, options, today } from '../ui/format.ts';
import { ConsentFields } from '../referrals/ConsentFields.tsx';
import { Alert, CheckboxGroup, FormError, LoadError, Loading, PageTitle, RadioGroup, SelectField, TextArea, TextField, useAnnounce, useForm, useLang, type Errors, FormSubmit } from '../ui/index.tsx';
import { Section } from '../ui/Section.tsx';
import { say, type AnswerValue, type Definition, type Question, type ScreeningView } from './types.ts';
import './Screening.css';

const languageNames: Record<string, string> = { es: 'Español', en: 'English', fr: 'Français', ht: 'Kreyòl ayisyen', pt: 'Português' };

/**
 * A screening: while it is open, its questions in the language asked in (each answer saved as it is
 * given, so that it can be left and taken up again); once finished, its result: each flag with the
 * answers that raised it, and the referrals it suggests, each made in one step.
 */
export function ScreeningPage({ id }: { id: string }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const { data: s, error, isPending, refetch } = useApi<ScreeningView>(`/api/v1/screenings/${id}`);
  if (isPending) return <Loading />;
  if (error || !s) return <LoadError error={error} retry={() => void refetch()} />;
  const d = s.definition;
  return (
    <>
      <p className="eyebrow">{t('screenings:page.eyebrow')}</p>
      <PageTitle lead={t('screenings:page.lead', { person: s.person.name, version: s.instrument.version })}>{say(d.title, lang)}</PageTitle>
      <p className="screening-meta">
        <Link href={paths.case(s.case.id)}>{t('screenings:page.backToCase', { folio: s.case.folio })}</Link>
        {' · '}
        {s.status === 'completed' && s.completed_at ? t('screenings:page.completedAt', { at: formatDateTime(s.completed_at, lang) }) : t('screenings:status.in_progress')}
      </p>
      {s.instrument.latest_version !== s.instrument.version && <Alert kind="info">{t('screenings:page.olderVersion', { version: s.instrument.version, latest: s.instrument.latest_version })}</Alert>}
      {s.unreadable_fields.length > 0 && <Alert kind="warning">{t('common.unreadableAlert')}</Alert>}
      <details className="screening-basis">
        <summary>{t('screenings:page.basis')}</summary>
        <p>{say(d.description, lang)}</p>
        <p>{say(d.basis, lang)}</p>
      </details>
      {s.status === 'in_progress' ? <Questions s={s} /> : <Result s={s} />}
    </>
  );
}

function Questions({ s }: { s: ScreeningView }) {
  const { t } = useTranslation(['screenings']);
  const announce = useAnnounce();
  const [asked, setAsked] = useState(s.language);
  const [local, setLocal] = useState<Record<string, AnswerValue | null>>({});
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [finishError, setFinishError] = useState<string | null>(null);
  const [finishing, setFinishing] = useState(false);
  const d = s.definition;
  const stored = Object.fromEntries(s.answers.map((a) => [a.question_id, a.value]));
  const valueOf = (q: string): AnswerValue | null => (q in local ? local[q]! : (stored[q] ?? null));

  const save = async (question_id: string, value: AnswerValue | null) => {
    setLocal((l) => ({ ...l, [question_id]: value }));
    setState('saving');
    try {
      await api.put(`/api/v1/screenings/${s.id}/answers`, { answers: [{ question_id, value }] });
      setState('saved');
    } catch {
      setState('failed');
    }
  };

  const finish = async () => {
    setFinishing(true);
    setFinishError(null);
    try {
      await api.post(`/api/v1/screenings/${s.id}/complete`);
      announce(t('screenings:form.finished'));
      window.scrollTo(0, 0);
    } catch (error) {
      setFinishError(error instanceof Error ? error.message : String(error));
    } finally {
      setFinishing(false);
    }
  };

  const visible = d.questions.filter((q) => s.result.visible.includes(q.id));
  return (
    <Section id="questions" title={t('screenings:form.title')}>
      {s.instrument.languages.length > 1 && (
        <SelectField id="screening-language" label={t('screenings:form.language')} hint={t('screenings:form.languageHint')} value={asked} onChange={setAsked} options={s.instrument.languages.map((l) => [l, languageNames[l] ?? l])} />
      )}
      <ol className="screening-questions">
        {visible.map((q, index) => (
          <li key={q.id}>
            <QuestionField q={q} index={index + 1} lang={asked} value={valueOf(q.id)} onSave={(v) => void save(q.id, v)} />
          </li>
        ))}
      </ol>
      <p className="hint" role="status">
        {state === 'saving' ? t('screenings:form.saving') : state === 'saved' ? t('screenings:form.saved') : state === 'failed' ? t('screenings:form.saveFailed') : t('screenings:form.savesAsYouGo')}
      </p>
      {finishError && (
        <div className="alert alert--error" role="alert">
          <p>{finishError}</p>
          {s.result.missing.length > 0 && (
            <ul>
              {s.result.missing.map((q) => (
                <li key={q}>
                  <a href={`#q-${q}`}>{say(d.questions.find((x) => x.id === q)!.text, asked)}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button button--primary" disabled={finishing || state === 'saving'} onClick={() => void finish()}>
          {t('screenings:form.finish')}
        </button>
      </div>
    </Section>
  );
}

/** One question, in the language asked in; choices save at once, typed answers when the field is left. */
function QuestionField({ q, index, lang, value, onSave }: { q: Question; index: number; lang: string; value: AnswerValue | null; onSave: (v: AnswerValue | null) => void }) {
  const { t } = useTranslation(['screenings']);
  const [draft, setDraft] = useState<string | null>(null);
  const id = `q-${q.id}`;
  const legend = (
    <span lang={lang}>
      {index}. {say(q.text, lang)}
    </span>
  );
  const hint = q.help ? <span lang={lang}>{say(q.help, lang)}</span> : undefined;
  const choices: [string, string][] = q.type === 'yes_no' ? [['yes', t('screenings:answer.yes')], ['no', t('screenings:answer.no')], ['declined', t('screenings:answer.declined')]] : (q.options ?? []).map((o) => [o.value, say(o.label, lang)]);
  if (q.type === 'yes_no' || q.type === 'single_choice') {
    return <RadioGroup id={id} name={q.id} legend={legend} hint={hint} required={q.required} options={choices} value={typeof value === 'string' ? value : ''} onChange={(v) => onSave(v)} />;
  }
  if (q.type === 'multi_choice') {
    return <CheckboxGroup id={id} name={q.id} legend={legend} hint={hint} required={q.required} options={choices} value={Array.isArray(value) ? value : []} onChange={(v) => onSave(v.length ? v : null)} />;
  }
  const shown = draft ?? (value === null ? '' : String(value));
  const commit = () => {
    if (draft === null) return;
    const typed = draft.trim();
    onSave(typed === '' ? null : q.type === 'number' ? Number(typed) : typed);
    setDraft(null);
  };
  if (q.type === 'text') {
    return <TextArea id={id} label={legend} hint={hint} rows={3} value={shown} onChange={setDraft} onBlur={commit} />;
  }
  return (
    <TextField
      id={id}
      label={legend}
      hint={hint}
      required={q.required}
      type={q.type === 'number' ? 'number' : 'date'}
      inputMode={q.type === 'number' ? 'numeric' : undefined}
      min={q.min}
      max={q.max}
      value={shown}
      onChange={setDraft}
      onBlur={commit}
    />
  );
}

/** An answer in words, in the language of the screen. */
function useAnswerWords() {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  return (q: Question, value: AnswerValue): string => {
    if (q.type === 'yes_no') return t(`screenings:answer.${String(value)}`);
    const option = (v: string) => say(q.options?.find((o) => o.value === v)?.label ?? { es: v, en: v }, lang);
    if (Array.isArray(value)) return value.map(option).join(', ');
    if (q.type === 'single_choice') return option(String(value));
    return String(value);
  };
}

function Result({ s }: { s: ScreeningView }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const words = useAnswerWords();
  const d = s.definition;
  const question = (id: string) => d.questions.find((q) => q.id === id)!;
  const answer = (id: string) => s.answers.find((a) => a.question_id === id)?.value;
  return (
    <>
      <Section id="result" title={t('screenings:result.title')} count={s.result.flags.length}>
        {s.result.flags.length === 0 ? (
          <p>{t('screenings:result.noFlags')}</p>
        ) : (
          <ul className="screening-flags">
            {s.result.flags.map((f) => {
              const flag = d.flags.find((x) => x.id === f.id)!;
              return (
                <li key={f.id} className={`screening-flag screening-flag--${f.severity}`}>
                  <h3>
                    {say(flag.label, lang)} <span className={`badge screening-badge--${f.severity}`}>{t(`screenings:severity.${f.severity}`)}</span>
                  </h3>
                  <p>{say(flag.explanation, lang)}</p>
                  <p className="screening-flag__because">{t('screenings:result.because')}</p>
                  <ul>
                    {f.because.map((q) => (
                      <li key={q}>
                        {say(question(q).text, lang)} <strong>{answer(q) === undefined ? '' : words(question(q), answer(q)!)}</strong>
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ul>
        )}
        <details>
          <summary>{t('screenings:result.allAnswers', { count: s.answers.length })}</summary>
          <dl className="screening-answers">
            {d.questions
              .filter((q) => answer(q.id) !== undefined)
              .map((q) => (
                <div key={q.id}>
                  <dt>{say(q.text, lang)}</dt>
                  <dd>{words(q, answer(q.id)!)}</dd>
                </div>
              ))}
          </dl>
        </details>
      </Section>
      {s.result.suggestions.length > 0 && (
        <Section id="suggestions" title={t('screenings:suggestions.title')} count={s.result.suggestions.length}>
          <ul className="screening-suggestions">
            {s.result.suggestions.map((sg) => (
              <Suggestion key={sg.id} s={s} d={d} suggestion={sg} />
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}

function Suggestion({ s, d, suggestion }: { s: ScreeningView; d: Definition; suggestion: ScreeningView['result']['suggestions'][number] }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const def = d.referrals.find((r) => r.id === suggestion.id)!;
  const made = s.referrals.filter((r) => r.suggestion_id === suggestion.id);
  const titleId = `suggestion-${suggestion.id}`;
  return (
    <li className="screening-suggestion" aria-labelledby={titleId}>
      <h3 id={titleId}>{say(def.label, lang)}</h3>
      <p>{say(def.reason, lang)}</p>
      {made.map((m) => (
        <p key={m.referral_id} className="screening-suggestion__made">
          {t('screenings:suggestions.referred', { institution: m.to_institution_name })} <span className={`badge badge--ref-${m.status}`}>{t(`screenings:referralStatus.${m.status}`, { defaultValue: m.status })}</span>
        </p>
      ))}
      {made.length === 0 && <ReferForm s={s} suggestion={suggestion} titleId={titleId} />}
    </li>
  );
}

function ReferForm({ s, suggestion, titleId }: { s: ScreeningView; suggestion: ScreeningView['result']['suggestions'][number]; titleId: string }) {
  const { t } = useTranslation(['screenings']);
  const lang = useLang();
  const announce = useAnnounce();
  const scope = `refer-${suggestion.id}-`;
  const form = useForm({ to_institution_id: suggestion.destinations[0]?.institution_id ?? '', consent_recorded_on: today(), consent_method: '', shared_sections: ['participants'] as string[] }, (v): Errors => ({
    to_institution_id: v.to_institution_id ? undefined : t('validation.required'),
    consent_recorded_on: !v.consent_recorded_on ? t('validation.required') : v.consent_recorded_on > today() ? t('validation.dateInFuture') : undefined,
    consent_method: v.consent_method ? undefined : t('validation.required'),
    shared_sections: v.shared_sections.length === 0 ? t('validation.sectionsRequired') : undefined,
  }));
  if (suggestion.destinations.length === 0) return <p className="hint">{t('screenings:suggestions.noDestination')}</p>;
  return (
    <form
      noValidate
      aria-labelledby={titleId}
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (v) => {
          await api.post(`/api/v1/screenings/${s.id}/referrals`, { suggestion_id: suggestion.id, ...v });
          announce(t('screenings:suggestions.sent'));
        });
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      <SelectField id={`${scope}to`} label={t('screenings:suggestions.to')} required options={suggestion.destinations.map((x) => [x.institution_id, x.name])} {...form.text('to_institution_id')} />
      <ConsentFields
        idPrefix={scope}
        form={form}
        words={{ date: t('screenings:suggestions.consentDate'), method: t('screenings:suggestions.consentMethod'), sections: t('screenings:suggestions.sections'), sectionsHint: t('screenings:suggestions.sectionsHint'), choose: t('common.choose') }}
      />
      <FormSubmit busy={form.busy}>
        {t('screenings:suggestions.refer')}
      </FormSubmit>
    </form>
  );
}
