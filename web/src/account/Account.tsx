import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { setLanguage } from '../app/i18n.ts';
import { useSession } from '../app/session.tsx';
import { formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Alert, Empty, LoadError, Loading, PageTitle, RadioGroup, RowButton, SelectField, SubmitButton, TextField, useAnnounce, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import { SecondFactor } from './SecondFactor.tsx';

const MIN_PASSWORD = 12;

/** My account: password, second factor, sessions, API tokens and language. Everything here is the user's own. */
export function Account() {
  const { t } = useTranslation(['account']);
  const { session } = useSession();
  return (
    <>
      <PageTitle lead={t('account:page.lead', { email: session.user.email })}>{t('account:page.title')}</PageTitle>
      <div className="grid-2">
        <ChangePassword />
        <Language />
      </div>
      <SecondFactor />
      <Sessions />
      <ApiTokens />
    </>
  );
}

function ChangePassword() {
  const { t } = useTranslation(['account']);
  const announce = useAnnounce();
  const [done, setDone] = useState(false);
  const form = useForm({ current: '', next: '', again: '' }, (v) => ({
    current: !v.current ? t('validation.required') : undefined,
    next: v.next.length < MIN_PASSWORD ? t('account:reset.tooShort') : undefined,
    again: v.again !== v.next ? t('account:reset.mismatch') : undefined,
  }));
  return (
    <section aria-labelledby="password-title" className="section card account-section">
      <h2 id="password-title">{t('account:password.title')}</h2>
      {done && (
        <Alert kind="success" role="status">
          {t('account:password.changed')}
        </Alert>
      )}
      <ValidatedForm
        form={form}
        onStart={() => setDone(false)}
        onValid={async (v) => {
          await api.post('/api/v1/auth/password', { current_password: v.current, new_password: v.next });
          form.reset();
          setDone(true);
          announce(t('account:password.changed'));
        }}
      >
        <TextField id="password-current" label={t('account:password.current')} type="password" autoComplete="current-password" required {...form.text('current')} />
        <TextField id="password-next" label={t('account:password.next')} hint={t('account:reset.hint')} type="password" autoComplete="new-password" required {...form.text('next')} />
        <TextField id="password-again" label={t('account:password.again')} type="password" autoComplete="new-password" required {...form.text('again')} />
        <SubmitButton busy={form.busy}>{t('account:password.submit')}</SubmitButton>
      </ValidatedForm>
    </section>
  );
}

function Language() {
  const { t, i18n } = useTranslation(['account']);
  const announce = useAnnounce();
  const [choice, setChoice] = useState<string>(i18n.language === 'en' ? 'en' : 'es');
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <section aria-labelledby="language-title" className="section card account-section">
      <h2 id="language-title">{t('account:language.title')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const language = choice === 'en' ? 'en' : 'es';
          setFailure(null);
          api.put('/api/v1/account/language', { language }).then(
            () => {
              setLanguage(language);
              announce(t('account:language.saved'));
            },
            (error: unknown) => setFailure(errorMessage(error)),
          );
        }}
      >
        {failure && <Alert kind="error" role="alert">{failure}</Alert>}
        <RadioGroup
          id="account-language"
          name="language"
          legend={t('account:language.legend')}
          hint={t('account:language.hint')}
          options={[
            ['es', 'Español'],
            ['en', 'English'],
          ]}
          value={choice}
          onChange={setChoice}
        />
        <button type="submit" className="button button--secondary">
          {t('account:language.submit')}
        </button>
      </form>
    </section>
  );
}

type SessionItem = ApiAnswer<'/api/v1/account/sessions'>['items'][number];

function Sessions() {
  const { t } = useTranslation(['account']);
  const lang = useLang();
  const announce = useAnnounce();
  const { data, error, refetch } = useApi<{ items: SessionItem[] }>('/api/v1/account/sessions');
  const [failure, setFailure] = useState<string | null>(null);
  const act = (request: Promise<unknown>, message: string) => {
    setFailure(null);
    request.then(
      () => announce(message),
      (e: unknown) => setFailure(errorMessage(e)),
    );
  };
  const others = data?.items.filter((s) => !s.current).length ?? 0;
  return (
    <section aria-labelledby="sessions-title" className="section card account-section">
      <h2 id="sessions-title">{t('account:sessions.title')}</h2>
      <p className="hint">{t('account:sessions.lead')}</p>
      {failure && <Alert kind="error" role="alert">{failure}</Alert>}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {!data && !error && <Loading />}
      {data && (
        <>
          <DataTable
            region="sessions-title"
            responsive={false}
            className="table--compact"
            rows={data.items}
            rowKey={(s) => s.id}
            columns={[
              { header: t('account:sessions.started'), cell: (s) => formatDateTime(s.created_at, lang) },
              { header: t('account:sessions.lastSeen'), cell: (s) => formatDateTime(s.last_seen_at, lang) },
              { header: t('account:sessions.institution'), cell: (s) => s.institution },
              {
                header: t('account:sessions.actions'),
                hideHeader: true,
                cell: (s) =>
                  s.current ? (
                    <span className="badge badge--neutral">{t('account:sessions.current')}</span>
                  ) : (
                    <RowButton label={t('account:sessions.end')} name={t('account:sessions.endOne', { date: formatDateTime(s.created_at, lang) })} onClick={() => act(api.delete(`/api/v1/account/sessions/${s.id}`), t('account:sessions.ended'))} />
                  ),
              },
            ]}
          />
          {others > 0 && (
            <p>
              <button type="button" className="button button--secondary" onClick={() => act(api.post('/api/v1/account/sessions/revoke-others'), t('account:sessions.endedOthers'))}>
                {t('account:sessions.endOthers')}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

type TokenItem = ApiAnswer<'/api/v1/auth/tokens'>['items'][number];
type CreatedToken = { id: string; name: string; token: string };

function ApiTokens() {
  const { t } = useTranslation(['account']);
  const lang = useLang();
  const announce = useAnnounce();
  const { data, error, refetch } = useApi<{ items: TokenItem[] }>('/api/v1/auth/tokens');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ name: '', days: '90' }, (v) => ({ name: !v.name.trim() ? t('validation.required') : undefined }));
  const revoke = (token: TokenItem) => {
    setFailure(null);
    api.delete(`/api/v1/auth/tokens/${token.id}`).then(
      () => announce(t('account:tokens.revoked', { name: token.name })),
      (e: unknown) => setFailure(errorMessage(e)),
    );
  };
  return (
    <section aria-labelledby="tokens-title" className="section card account-section">
      <h2 id="tokens-title">{t('account:tokens.title')}</h2>
      <p className="hint">{t('account:tokens.lead')}</p>
      {failure && <Alert kind="error" role="alert">{failure}</Alert>}
      {created && (
        <div className="alert alert--warning secret-box" role="status">
          <p>{t('account:tokens.createdLead', { name: created.name })}</p>
          <code className="break-anywhere" data-testid="api-token">
            {created.token}
          </code>
          <p>
            <button type="button" className="button button--secondary button--small" onClick={() => setCreated(null)}>
              {t('account:tokens.hide')}
            </button>
          </p>
        </div>
      )}
      {!!error && <LoadError error={error} retry={() => void refetch()} />}
      {data &&
        (data.items.length === 0 ? (
          <Empty>{t('account:tokens.none')}</Empty>
        ) : (
          <DataTable
            region="tokens-title"
            responsive={false}
            className="table--compact"
            rows={data.items}
            rowKey={(token) => token.id}
            columns={[
              { header: t('account:tokens.name'), cell: (token) => token.name },
              { header: t('account:tokens.created'), cell: (token) => formatDateTime(token.created_at, lang) },
              { header: t('account:tokens.expires'), cell: (token) => (token.expires_at ? formatDateTime(token.expires_at, lang) : t('account:tokens.never')) },
              { header: t('account:tokens.lastUsed'), cell: (token) => (token.last_used_at ? formatDateTime(token.last_used_at, lang) : t('account:tokens.unused')) },
              { header: t('account:sessions.actions'), hideHeader: true, cell: (token) => <RowButton label={t('account:tokens.revoke')} name={t('account:tokens.revokeOne', { name: token.name })} onClick={() => revoke(token)} /> },
            ]}
          />
        ))}
      <ValidatedForm
        form={form}
        className="inline-panel"
        title={<h3 className="h3">{t('account:tokens.new')}</h3>}
        onValid={async (v) => {
          const body = { name: v.name.trim(), ...(v.days ? { expires_in_days: Number(v.days) } : {}) };
          setCreated(await api.post<CreatedToken>('/api/v1/auth/tokens', body));
          form.reset();
        }}
      >
        <TextField id="token-name" label={t('account:tokens.name')} hint={t('account:tokens.nameHint')} maxLength={100} required {...form.text('name')} />
        <SelectField
          id="token-days"
          label={t('account:tokens.validity')}
          options={[
            ['30', t('account:tokens.days', { count: 30 })],
            ['90', t('account:tokens.days', { count: 90 })],
            ['365', t('account:tokens.days', { count: 365 })],
            ['', t('account:tokens.noExpiry')],
          ]}
          {...form.text('days')}
        />
        <SubmitButton busy={form.busy}>{t('account:tokens.create')}</SubmitButton>
      </ValidatedForm>
    </section>
  );
}
