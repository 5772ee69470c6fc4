import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, TextArea, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';

type Page = { slug: string; title: string; summary: string; body: string; sources: string; reviewed_on: string; note: string | null; version: number; versions: number; created_at: string; created_by_name: string | null };
type Version = Omit<Page, 'slug' | 'versions'>;

/** The public information pages (`/informacion`), each at its newest version, for their editors (`information.edit`). */
export function InformationPages() {
  const { t } = useTranslation(['admin']);
  const pages = useApi<{ items: Page[] }>('/api/v1/information/pages');
  return (
    <>
      <PageTitle lead={t('admin:info.lead')}>{t('admin:info.title')}</PageTitle>
      <AdminTabs />
      {pages.isPending && <Loading />}
      {!!pages.error && <LoadError error={pages.error} retry={() => void pages.refetch()} />}
      {pages.data && (
        <ul className="info-pages">
          {pages.data.items.map((p) => (
            <li key={p.slug}>
              <Link href={paths.adminInformationPage(p.slug)}>{p.title}</Link>{' '}
              <span className="hint">{t('admin:info.versionReviewed', { version: p.version, date: p.reviewed_on })}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Draft = { title: string; summary: string; body: string; sources: string; reviewed_on: string; note: string };

/** One page: edit it (each save is a new version) and read every earlier version. */
export function InformationPageEditor({ id: slug }: { id: string }) {
  const { t } = useTranslation(['admin']);
  const page = useApi<Page>(`/api/v1/information/pages/${slug}`);
  const versions = useApi<{ items: Version[] }>(`/api/v1/information/pages/${slug}/versions`);
  return (
    <>
      <PageTitle lead={t('admin:info.editLead')}>{page.data?.title ?? t('admin:info.title')}</PageTitle>
      <AdminTabs />
      <p>
        <Link href={paths.adminInformation}>{t('admin:info.back')}</Link> · <a href={`/informacion/${slug}`}>{t('admin:info.openPublic')}</a>
      </p>
      {page.isPending && <Loading />}
      {!!page.error && <LoadError error={page.error} retry={() => void page.refetch()} />}
      {page.data && <PageForm key={page.data.version} page={page.data} />}
      <section className="card section" aria-labelledby="info-history">
        <h2 id="info-history">{t('admin:info.history')}</h2>
        {versions.isPending && <Loading />}
        {!!versions.error && <LoadError error={versions.error} retry={() => void versions.refetch()} />}
        {versions.data && <History items={versions.data.items} />}
      </section>
    </>
  );
}

function PageForm({ page }: { page: Page }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const required = (v: string) => (v.trim() ? undefined : t('admin:info.required'));
  const form = useForm<Draft>({ title: page.title, summary: page.summary, body: page.body, sources: page.sources, reviewed_on: new Date().toISOString().slice(0, 10), note: '' }, (v) => ({
    title: required(v.title),
    body: required(v.body),
    sources: required(v.sources),
    reviewed_on: /^\d{4}-\d{2}-\d{2}$/.test(v.reviewed_on) ? undefined : t('admin:info.dateFormat'),
  }));
  return (
    <section className="card section" aria-labelledby="info-edit">
      <h2 id="info-edit">{t('admin:info.edit', { version: page.version })}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            await api.post(`/api/v1/information/pages/${page.slug}/versions`, { base_version: page.version, title: v.title.trim(), summary: v.summary.trim(), body: v.body, sources: v.sources.trim(), reviewed_on: v.reviewed_on, note: v.note.trim() || null });
            announce(t('admin:info.saved'));
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="info-title" label={t('admin:info.fieldTitle')} required maxLength={200} {...form.text('title')} />
        <TextField id="info-summary" label={t('admin:info.fieldSummary')} maxLength={500} {...form.text('summary')} />
        <TextArea id="info-body" label={t('admin:info.fieldBody')} hint={t('admin:info.bodyHint')} required rows={16} {...form.text('body')} />
        <TextArea id="info-sources" label={t('admin:info.fieldSources')} hint={t('admin:info.sourcesHint')} required rows={3} {...form.text('sources')} />
        <div className="grid-2">
          <TextField id="info-reviewed" label={t('admin:info.fieldReviewed')} type="date" required {...form.text('reviewed_on')} />
          <TextField id="info-note" label={t('admin:info.fieldNote')} maxLength={500} {...form.text('note')} />
        </div>
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('admin:info.save')}
        </button>
      </form>
    </section>
  );
}

function History({ items }: { items: Version[] }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  if (!items.length) return <Alert kind="info">{t('admin:info.noVersions')}</Alert>;
  return (
    <ol className="info-history" reversed>
      {items.map((v) => (
        <li key={v.version}>
          <details>
            <summary>
              {t('admin:info.versionLine', { version: v.version, when: formatDateTime(v.created_at, lang), who: v.created_by_name ?? t('admin:info.defaultAuthor') })}
              {v.note ? ` — ${v.note}` : ''}
            </summary>
            <p>
              <strong>{v.title}</strong> · {t('admin:info.reviewedOn', { date: v.reviewed_on })}
            </p>
            <pre className="notice-text">{v.body}</pre>
            <p className="hint">{v.sources}</p>
          </details>
        </li>
      ))}
    </ol>
  );
}
