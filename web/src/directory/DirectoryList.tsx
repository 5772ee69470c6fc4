import { useTranslation } from 'react-i18next';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { formatDate, mxStates } from '../ui/format.ts';
import { Empty, LoadError, Loading, PageTitle, useLang } from '../ui/index.tsx';
import type { EntryItem, EntryList } from './types.ts';

/** The institution's directory entries: those awaiting someone else's review first, then all, with the six-month flag. */
export function DirectoryList() {
  const { t } = useTranslation(['directory']);
  const can = useCan();
  const { data, error, isPending, refetch } = useApi<EntryList>('/api/v1/directory/services', { limit: 200 });
  const toReview = (data?.items ?? []).filter((i) => i.review_state === 'pending' && !i.changed_by_me);
  return (
    <>
      <PageTitle lead={t('directory:list.lead')}>{t('directory:list.title')}</PageTitle>
      <p className="actions-row">
        {can('directory.edit') && (
          <Link className="button button--primary" href={paths.directoryNew}>
            {t('directory:list.new')}
          </Link>
        )}{' '}
        <a href="/servicios">{t('directory:list.publicLink')}</a>
      </p>
      {isPending && <Loading />}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data && data.items.length === 0 && <Empty>{t('directory:list.empty')}</Empty>}
      {can('directory.review') && toReview.length > 0 && <EntryTable title={t('directory:list.toReview')} items={toReview} />}
      {data && data.items.length > 0 && <EntryTable title={t('directory:list.all')} items={data.items} />}
    </>
  );
}

function EntryTable({ title, items }: { title: string; items: EntryItem[] }) {
  const { t } = useTranslation(['directory']);
  const lang = useLang();
  const stateName = (code: string) => mxStates.find(([c]) => c === code)?.[1] ?? code;
  return (
    <section>
      <h2>{title}</h2>
      <div className="table-wrap" role="region" aria-label={title} tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('directory:list.name')}</th>
              <th scope="col">{t('directory:list.place')}</th>
              <th scope="col">{t('directory:list.state')}</th>
              <th scope="col">{t('directory:list.verified')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label={t('directory:list.name')}>
                  <Link href={paths.directoryEntry(item.id)}>{item.name}</Link>
                  <div className="muted">{item.organization}</div>
                </td>
                <td data-label={t('directory:list.place')}>
                  {item.municipality}, {stateName(item.state_code)}
                </td>
                <td data-label={t('directory:list.state')}>{t(`directory:states.${item.review_state}`)}</td>
                <td data-label={t('directory:list.verified')}>
                  {item.verified_on ? formatDate(item.verified_on, lang) : t('directory:list.never')}
                  {item.stale && <div className="field-error">{t('directory:list.staleFlag')}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
