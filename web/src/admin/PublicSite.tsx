import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths } from '../app/router.tsx';
import { Alert, LoadError, Loading, PageTitle, SubmitButton, TextArea, TextField, useAnnounce, useForm, ValidatedForm } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';

type SiteSettings = { operator_name: string; phone: string | null; whatsapp: string | null; address: string | null; privacy_notice: string | null; default_privacy_notice: string; has_logo: boolean };
type Draft = { operator_name: string; phone: string; whatsapp: string; address: string; privacy_notice: string };
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** Who runs the public service (the home at `/`): operator, contacts, logo and privacy notice. Platform administrators. */
export function PublicSite() {
  const { t } = useTranslation(['admin']);
  const settings = useApi<SiteSettings>('/api/v1/public-site');
  return (
    <>
      <PageTitle lead={t('admin:site.lead')}>{t('admin:site.title')}</PageTitle>
      <AdminTabs />
      {settings.isPending && <Loading />}
      {!!settings.error && <LoadError error={settings.error} retry={() => void settings.refetch()} />}
      {settings.data && <SiteForm settings={settings.data} />}
      {settings.data && <Logo hasLogo={settings.data.has_logo} />}
      <p>
        <a href="/?lang=es">{t('admin:site.openHome')}</a> · <Link href={paths.adminInformation}>{t('admin:info.title')}</Link>
      </p>
    </>
  );
}

function SiteForm({ settings }: { settings: SiteSettings }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const form = useForm<Draft>(
    { operator_name: settings.operator_name, phone: settings.phone ?? '', whatsapp: settings.whatsapp ?? '', address: settings.address ?? '', privacy_notice: settings.privacy_notice ?? '' },
    (v) => ({ operator_name: v.operator_name.trim() ? undefined : t('admin:site.nameRequired') }),
  );
  return (
    <section className="card section" aria-labelledby="site-operator">
      <h2 id="site-operator">{t('admin:site.operator')}</h2>
      <ValidatedForm
        form={form}
        onValid={async (v) => {
          await api.put('/api/v1/public-site', { operator_name: v.operator_name.trim(), phone: orNull(v.phone), whatsapp: orNull(v.whatsapp), address: orNull(v.address), privacy_notice: orNull(v.privacy_notice) });
          announce(t('admin:settingsSaved'));
        }}
      >
        <div className="grid-2">
          <TextField id="site-name" label={t('admin:site.name')} required maxLength={200} {...form.text('operator_name')} />
          <TextField id="site-address" label={t('admin:site.address')} maxLength={500} {...form.text('address')} />
          <TextField id="site-phone" label={t('admin:site.phone')} type="tel" hint={t('admin:site.phoneHint')} maxLength={40} {...form.text('phone')} />
          <TextField id="site-whatsapp" label={t('admin:site.whatsapp')} type="tel" hint={t('admin:site.phoneHint')} maxLength={40} {...form.text('whatsapp')} />
        </div>
        <TextArea id="site-privacy" label={t('admin:site.privacy')} hint={t('admin:site.privacyHint')} rows={10} {...form.text('privacy_notice')} />
        <details>
          <summary>{t('admin:site.defaultNotice')}</summary>
          <pre className="notice-text">{settings.default_privacy_notice}</pre>
        </details>
        <SubmitButton busy={form.busy}>{t('admin:saveSettings')}</SubmitButton>
      </ValidatedForm>
    </section>
  );
}

function Logo({ hasLogo }: { hasLogo: boolean }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      bytes.forEach((b) => (binary += String.fromCharCode(b)));
      await api.put('/api/v1/public-site/logo', { data_base64: btoa(binary) });
      announce(t('admin:site.logoSaved'));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await api.delete('/api/v1/public-site/logo');
      announce(t('admin:site.logoRemoved'));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section className="card section" aria-labelledby="site-logo">
      <h2 id="site-logo">{t('admin:site.logo')}</h2>
      {error && (
        <Alert kind="error" role="alert">
          {error}
        </Alert>
      )}
      {hasLogo && <img src={`/portada/logo?v=${Date.now()}`} alt={t('admin:site.logoCurrent')} className="site-logo" />}
      <label htmlFor="site-logo-file">{t('admin:site.logoFile')}</label>
      <p className="hint" id="site-logo-hint">
        {t('admin:site.logoHint')}
      </p>
      <input id="site-logo-file" type="file" accept="image/png,image/jpeg" aria-describedby="site-logo-hint" onChange={(e) => void upload(e.target.files?.[0])} />
      {hasLogo && (
        <p>
          <button type="button" className="button button--ghost" onClick={() => void remove()}>
            {t('admin:site.logoRemove')}
          </button>
        </p>
      )}
    </section>
  );
}

