import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resolveConflict, type Entry } from './device.ts';
import { syncNow } from './sync.ts';

const shown = (value: unknown, empty: string) => (value === null || value === undefined || value === '' ? empty : Array.isArray(value) ? value.join(', ') || empty : String(value));

/**
 * A write refused because the record changed on the server meanwhile: each field changed on both
 * sides, with both values, and the user's choice. Nothing is sent until she chooses for every field,
 * and neither value is dropped before she does.
 */
export function ConflictChoice({ entry }: { entry: Entry }) {
  const { t } = useTranslation(['offline', 'ui']);
  const fields = entry.problem?.conflict?.fields ?? [];
  const [chosen, setChosen] = useState<Record<string, 'server' | 'yours'>>({});
  const [error, setError] = useState<string | null>(null);
  const fieldName = (field: string) => t(`offline:fields.${field}`, { defaultValue: field });
  return (
    <form
      className="offline-conflict"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (fields.some((f) => !chosen[f.field])) return setError(t('offline:conflict.chooseAll'));
        setError(null);
        const values = Object.fromEntries(fields.map((f) => [f.field, chosen[f.field] === 'server' ? f.server : f.yours]));
        void resolveConflict(entry, values).then(syncNow);
      }}
    >
      <p>{t('offline:conflict.lead')}</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {fields.map((f) => {
        const name = `${entry.key}-${f.field}`;
        return (
          <fieldset key={f.field} className="offline-conflict__field">
            <legend>{fieldName(f.field)}</legend>
            <label className="offline-conflict__choice">
              <input type="radio" name={name} checked={chosen[f.field] === 'server'} onChange={() => setChosen((c) => ({ ...c, [f.field]: 'server' }))} /> {t('offline:conflict.server')}: <strong>{shown(f.server, t('offline:conflict.empty'))}</strong>
            </label>
            <label className="offline-conflict__choice">
              <input type="radio" name={name} checked={chosen[f.field] === 'yours'} onChange={() => setChosen((c) => ({ ...c, [f.field]: 'yours' }))} /> {t('offline:conflict.yours')}: <strong>{shown(f.yours, t('offline:conflict.empty'))}</strong>
            </label>
          </fieldset>
        );
      })}
      <button type="submit" className="button button--primary button--small">
        {t('offline:conflict.submit')}
      </button>
    </form>
  );
}
