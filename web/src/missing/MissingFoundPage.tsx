import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate } from '../ui/format.ts';
import { Alert, LoadError, Loading, PageTitle, useLang } from '../ui/index.tsx';
import { Facts, MissingStatus, describedRows, stateName, type FoundView } from './parts.tsx';
import { History } from './History.tsx';
import { ConsistentReports } from './ConsistentReports.tsx';
import { useCan } from '../app/session.tsx';

/** A found record's page: the person described, where and when found, custody, history and, for a reviewer while unidentified, the reports it is compared with. */

const identifiedFolio = (data: FoundView): string | null => {
  if (!data.identified_report_id) return null;
  const event = [...(data.events ?? [])].reverse().find((e) => e.kind === 'identified');
  return typeof event?.detail?.report_folio === 'string' ? event.detail.report_folio : null;
};

export function MissingFoundPage({ id }: { id: string }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  const can = useCan();
  const { data, error, isPending, refetch } = useApi<FoundView>(`/api/v1/missing/found/${id}`);
  if (isPending) return <Loading />;
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;
  return (
    <>
      <PageTitle lead={<MissingStatus status={data.status} />}>{t('missing:record.foundTitle', { folio: data.folio })}</PageTitle>
      {identifiedFolio(data) && <Alert kind="success">{t('missing:record.identifiedAs', { folio: identifiedFolio(data) })}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="person">
          <h2 id="person">{t('missing:form.personSection')}</h2>
          <Facts rows={[[t('missing:field.condition'), t(`missing:condition.${data.condition}`)], [t('missing:field.situation'), t(`missing:situation.${data.situation}`)], ...describedRows(data, t, lang), [t('missing:field.effects'), data.effects]]} />
        </section>
        <section className="card" aria-labelledby="found">
          <h2 id="found">{t('missing:field.found')}</h2>
          <Facts
            rows={[
              [t('missing:field.foundOn'), formatDate(data.found_on, lang)],
              [t('missing:field.foundState'), stateName(data.found_state) || null],
              [t('missing:field.foundPlace'), data.found_place],
              [t('missing:field.deathFrom'), data.death_from ? formatDate(data.death_from, lang) : null],
              [t('missing:field.deathTo'), data.death_to ? formatDate(data.death_to, lang) : null],
              [t('missing:field.custodian'), data.custodian_name],
              [t('missing:field.custodianFile'), data.custodian_file_number],
              [t('missing:field.notes'), data.notes ?? null],
            ]}
          />
        </section>
      </div>
      {can('missing.review') && data.status === 'unidentified' && <ConsistentReports foundId={data.id} />}
      {data.events && <History events={data.events} />}
    </>
  );
}
