import { useTranslation } from 'react-i18next';
import type { ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { countryName, formatDate, formatDateTime, label, languageName, mxStates, type Lang, type VocabularyName } from '../ui/format.ts';
import { LoadError, Loading, useLang } from '../ui/index.tsx';
import { CorrectionHistory } from '../ui/CorrectionHistory.tsx';

type History = ApiAnswer<'/api/v1/people/{id}/history'>;

/** The label key (people:person.*) of each field of a person's record. */
const fieldLabels: Record<string, string> = {
  given_names: 'givenNames',
  surname1: 'surname1',
  surname2: 'surname2',
  other_names: 'otherNames',
  sex: 'sex',
  gender_identity: 'genderIdentity',
  date_of_birth: 'dateOfBirth',
  estimated_age: 'estimatedAge',
  age_estimated_on: 'ageEstimatedOn',
  nationalities: 'nationalities',
  country_of_birth: 'countryOfBirth',
  languages: 'languages',
  disabilities: 'disabilities',
  vulnerabilities: 'vulnerabilities',
  documents: 'documents',
  contact: 'contact',
  location_country: 'locationCountry',
  location_state: 'locationState',
  location_municipality: 'locationMunicipality',
};

const vocabularyOf: Record<string, VocabularyName> = { sex: 'sexes', gender_identity: 'genderIdentities', disabilities: 'disabilities', vulnerabilities: 'vulnerabilities' };
const countries = new Set(['nationalities', 'country_of_birth', 'location_country']);

/** A stored value in words: dates as dates, codes as their names, lists joined. */
function inWords(field: string, value: unknown, lang: Lang): string {
  const one = (x: unknown): string => {
    if (typeof x !== 'string') return typeof x === 'number' ? String(x) : '';
    if (field === 'date_of_birth' || field === 'age_estimated_on') return formatDate(x, lang);
    if (vocabularyOf[field]) return label(vocabularyOf[field], x, lang);
    if (countries.has(field)) return countryName(x, lang);
    if (field === 'languages') return languageName(x, lang);
    if (field === 'location_state') return mxStates.find(([code]) => code === x)?.[1] ?? x;
    return x;
  };
  if (field === 'documents' && Array.isArray(value)) return (value as { type: string; number: string }[]).map((d) => `${label('documentTypes', d.type, lang)} ${d.number}`).join('; ');
  if (field === 'contact' && typeof value === 'object') return Object.values(value as Record<string, string>).filter(Boolean).join(', ');
  return Array.isArray(value) ? value.map(one).join(', ') : one(value);
}

/** Who registered the person and every correction since: who, when (local time), why and what changed. */
export function PersonHistory({ id }: { id: string }) {
  const { t } = useTranslation(['people', 'ui']);
  const lang = useLang();
  const { data, error, isPending, refetch } = useApi<History>(`/api/v1/people/${id}/history`);
  return (
    <section className="card section" aria-labelledby="person-history">
      <h2 id="person-history">{t('people:history.title')}</h2>
      {isPending && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && (
        <CorrectionHistory
          corrections={data.corrections}
          recorded={t('people:history.registered', { when: formatDateTime(data.registered.at, lang), who: data.registered.by?.display_name ?? t('ui:history.someone') })}
          fieldLabel={(field) => (fieldLabels[field] ? t(`people:person.${fieldLabels[field]}`) : field)}
          inWords={(field, value) => inWords(field, value, lang)}
        />
      )}
      {data && data.corrections.length === 0 && <p className="hint">{t('people:history.none')}</p>}
    </section>
  );
}
