import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { setLanguage } from '../app/i18n.ts';
import { useSession } from '../app/session.tsx';
import { formatDateTime } from '../ui/format.ts';
import { Alert, Empty, FormError, LoadError, Loading, PageTitle, RadioGroup, SelectField, TextField, useAnnounce, useForm, useLang } from '../ui/index.tsx';
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
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          void form.submit(async (v) => {
            await api.post('/api/v1/auth/password', { current_password: v.current, new_password: v.next });
            form.reset();
            setDone(true);
            announce(t('account:password.changed'));
          });
        }}
      >
        <FormError message={form.formError} errors={form.shown} />
        <TextField id="password-current" label={t('account:password.current')} type="password" autoComplete="current-password" required {...form.text('current')} />
        <TextField id="password-next" label={t('account:password.next')} hint={t('account:reset.hint')} type="password" autoComplete="new-password" required {...form.text('next')} />
        <TextField id="password-again" label={t('account:password.again')} type="password" autoComplete="new-password" required {...form.text('again')} />
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('account:password.submit')}
        </button>
      </form>
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
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="sessions-title">
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('account:sessions.started')}</th>
                  <th scope="col">{t('account:sessions.lastSeen')}</th>
                  <th scope="col">{t('account:sessions.institution')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('account:sessions.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((s) => (
                  <tr key={s.id}>
                    <td>{formatDateTime(s.created_at, lang)}</td>
                    <td>{formatDateTime(s.last_seen_at, lang)}</td>
                    <td>{s.institution}</td>
                    <td>
                      {s.current ? (
                        <span className="badge badge--neutral">{t('account:sessions.current')}</span>
                      ) : (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={t('account:sessions.endOne', { date: formatDateTime(s.created_at, lang) })}
                          onClick={() => act(api.delete(`/api/v1/account/sessions/${s.id}`), t('account:sessions.ended'))}
                        >
                          {t('account:sessions.end')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tokens-title">
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('account:tokens.name')}</th>
                  <th scope="col">{t('account:tokens.created')}</th>
                  <th scope="col">{t('account:tokens.expires')}</th>
                  <th scope="col">{t('account:tokens.lastUsed')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('account:sessions.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>{formatDateTime(token.created_at, lang)}</td>
                    <td>{token.expires_at ? formatDateTime(token.expires_at, lang) : t('account:tokens.never')}</td>
                    <td>{token.last_used_at ? formatDateTime(token.last_used_at, lang) : t('account:tokens.unused')}</td>
                    <td>
                      <button type="button" className="button button--secondary button--small" aria-label={t('account:tokens.revokeOne', { name: token.name })} onClick={() => revoke(token)}>
                        {t('account:tokens.revoke')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <form
        noValidate
        className="inline-panel"
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(async (v) => {
            const body = { name: v.name.trim(), ...(v.days ? { expires_in_days: Number(v.days) } : {}) };
            setCreated(await api.post<CreatedToken>('/api/v1/auth/tokens', body));
            form.reset();
          });
        }}
      >
        <h3 className="h3">{t('account:tokens.new')}</h3>
        <FormError message={form.formError} errors={form.shown} />
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
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {t('account:tokens.create')}
        </button>
      </form>
    </section>
  );
}
