import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { countryName, formatDate } from '../ui/format.ts';
import { Alert, FormError, LoadError, Loading, PageTitle, SelectField, TextArea, useAnnounce, useForm, useLang } from '../ui/index.tsx';
import { childLabel, childOptions } from './labels.ts';
import type { PanelData } from './types.ts';

/**
 * A panel member's view of the one child before her panel. Until she accepts the confidentiality
 * undertaking the server refuses the file; the page then shows the undertaking to accept.
 */
export function PanelPage({ id }: { id: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const announce = useAnnounce();
  const { data, error, isPending, refetch } = useApi<PanelData>(`/api/v1/panels/${id}`);
  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.code === 'panel_undertaking_required') {
    return (
      <>
        <PageTitle>{t('children:panel.undertakingTitle')}</PageTitle>
        <p className="prewrap">{t('children:panel.undertaking')}</p>
        <button type="button" className="button button--primary" onClick={() => void api.post(`/api/v1/panels/${id}/undertaking`).then(() => { announce(t('children:saved')); void refetch(); })}>
          {t('children:panel.accept')}
        </button>
      </>
    );
  }
  if (error || !data) return <LoadError error={error} retry={() => void refetch()} />;
  const d = data.determination;
  return (
    <>
      <PageTitle lead={data.folio}>{t('children:panel.title', { name: data.child.name })}</PageTitle>
      <Alert kind="info">{t('children:panel.confidential', { date: d.panel_until ? formatDate(d.panel_until, lang) : '—' })}</Alert>
      <section className="section card" aria-labelledby="panel-child">
        <h2 id="panel-child">{t('children:file.facts')}</h2>
        <p>
          {data.child.age !== null ? t('children:file.age', { count: data.child.age }) : t('children:file.ageUnknown')} · {data.child.nationalities.map((n) => countryName(n, lang)).join(', ')} · {childLabel('accompaniments', data.accompaniment, lang)}
        </p>
        {data.views && <blockquote className="note prewrap">{data.views}</blockquote>}
        {d.evidence && (
          <p className="prewrap">
            <strong>{t('children:bi.evidence')}:</strong> {d.evidence}
          </p>
        )}
        {data.assessments.map((a) => (
          <p key={a.id} className="prewrap">
            <strong>{childLabel('bestInterestsKinds', a.kind, lang)}:</strong> {a.findings}
          </p>
        ))}
      </section>
      {d.status === 'panel' && <PositionForm id={id} />}
    </>
  );
}

function PositionForm({ id }: { id: string }) {
  const { t } = useTranslation(['children']);
  const lang = useLang();
  const announce = useAnnounce();
  const form = useForm({ position: '', reasons: '' }, (v) => ({ position: v.position ? undefined : t('ui:validation.required') }));
  return (
    <form
      noValidate
      className="section card"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (v) => {
          await api.post(`/api/v1/panels/${id}/position`, { position: v.position, reasons: v.reasons.trim() || null });
          announce(t('children:saved'));
        });
      }}
    >
      <h2>{t('children:panel.position')}</h2>
      <FormError message={form.formError} errors={form.shown} />
      <SelectField id="panel-position" label={t('children:panel.position')} required placeholder={t('ui:common.choose')} options={childOptions('panelPositions', lang)} {...form.text('position')} />
      <TextArea id="panel-reasons" label={t('children:bi.reasons')} {...form.text('reasons')} />
      <button type="submit" className="button button--primary" disabled={form.busy}>
        {t('children:panel.record')}
      </button>
    </form>
  );
}
