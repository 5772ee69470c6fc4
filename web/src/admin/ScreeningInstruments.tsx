import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { formatDate } from '../ui/format.ts';
import { Alert, LoadError, Loading, PageTitle, useAnnounce, useLang } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';
import type { Instrument } from '../screenings/types.ts';
import { say } from '../screenings/types.ts';

/**
 * The installation's screening instruments (docs/screenings.md): each with its versions, and a form
 * that adds an instrument or a new version from its definition file, listing what the server finds
 * wrong in it.
 */
export function ScreeningInstruments() {
  const { t } = useTranslation(['admin', 'screenings']);
  const lang = useLang();
  const announce = useAnnounce();
  const list = useApi<Instrument[]>('/api/v1/screenings/instruments');
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [refusal, setRefusal] = useState<{ message: string; problems: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async () => {
    setRefusal(null);
    if (!file) {
      setRefusal({ message: t('screenings:admin.chooseFile'), problems: [] });
      return;
    }
    setBusy(true);
    try {
      let definition: unknown;
      try {
        definition = JSON.parse(await file.text());
      } catch {
        setRefusal({ message: t('screenings:admin.notJson'), problems: [] });
        return;
      }
      const added = await api.post<{ code: string; version: number }>('/api/v1/screenings/instruments', definition);
      announce(t('screenings:admin.added', { code: added.code, version: added.version }));
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (error) {
      const problems = error instanceof ApiError ? ((error.details as { problems?: string[] } | undefined)?.problems ?? error.issues.map((i) => `${i.path}: ${i.message}`)) : [];
      setRefusal({ message: error instanceof Error ? error.message : String(error), problems });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle lead={t('screenings:admin.lead')}>{t('screenings:admin.title')}</PageTitle>
      <AdminTabs />
      <section className="card section" aria-labelledby="instrument-upload-title">
        <h2 id="instrument-upload-title">{t('screenings:admin.upload')}</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void upload();
          }}
        >
          {refusal && (
            <div className="alert alert--error" role="alert">
              <p>{refusal.message}</p>
              {refusal.problems.length > 0 && (
                <ul>
                  {refusal.problems.map((p) => (
                    <li key={p}>
                      <code>{p}</code>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="field">
            <label htmlFor="instrument-file">{t('screenings:admin.file')}</label>
            <p className="hint" id="instrument-file-hint">
              {t('screenings:admin.fileHint')}
            </p>
            <input key={inputKey} id="instrument-file" type="file" accept="application/json,.json" aria-describedby="instrument-file-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('screenings:admin.add')}
            </button>
          </div>
        </form>
      </section>
      <section className="card section" aria-labelledby="instruments-title">
        <h2 id="instruments-title">{t('screenings:admin.instruments')}</h2>
        {list.isPending ? (
          <Loading />
        ) : list.error || !list.data ? (
          <LoadError error={list.error} retry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <Alert kind="info">{t('screenings:admin.none')}</Alert>
        ) : (
          <ul className="item-list">
            {list.data.map((i) => (
              <li key={i.code}>
                <span className="item-list__title">{say(i.title, lang)}</span>
                <span className="item-list__meta">
                  <code>{i.code}</code> ·{' '}
                  {i.versions
                    .map((v) => t('screenings:admin.version', { version: v.version, date: formatDate(v.created_at, lang), languages: v.languages.join(', ') }) + (v.shipped ? ` (${t('screenings:admin.shipped')})` : ''))
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
