import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as complaintWords from '../../../src/complaints/vocabularies.ts';
import { api, errorMessage, type Institution } from '../api/client.ts';
import { useCan } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { mxStates, type Lang } from '../ui/format.ts';
import { Alert, Empty, FormError, LoadError, Loading, PageTitle, SelectField, TextField, useAnnounce, useForm, useLang, ValidatedForm, SubmitButton } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';
import { DataTable } from '../ui/DataTable.tsx';

type Labels = Record<string, { es: string; en: string }>;
const choices = (list: Labels, lang: Lang): [string, string][] => Object.entries(list).map(([key, labels]) => [key, labels[lang]]);
const word = (list: Labels, key: string | null, lang: Lang) => (key ? (list[key]?.[lang] ?? key) : '');

type PerStatus = Record<string, number | null>;
type ComplaintSettings = { default_unit: string | null; overdue_days: PerStatus; retention_years: PerStatus };
type RoutingRule = { id: string; priority: number; authority_type: string | null; state_code: string | null; kind: string | null; institution_id: string; institution_name: string; description: string | null };

/** Platform-wide settings: where complaints go and how long they are kept; who receives the families' reports. */
export function Settings() {
  const { t } = useTranslation(['admin']);
  const can = useCan();
  const institutions = useApi<{ items: Institution[] }, [string, string][]>('/api/v1/institutions', undefined, { select: (r) => r.items.map((i) => [i.id, i.name]) });
  return (
    <>
      <PageTitle lead={t('admin:settingsLead')}>{t('admin:settingsTitle')}</PageTitle>
      <AdminTabs />
      {institutions.isPending && <Loading />}
      {!!institutions.error && <LoadError error={institutions.error} retry={() => void institutions.refetch()} />}
      {institutions.data && (
        <>
          {can('complaints.configure') && <ComplaintSettingsCard units={institutions.data} />}
          {can('complaints.configure') && <RoutingRules units={institutions.data} />}
          {can('missing.configure') && <MissingSettings units={institutions.data} />}
        </>
      )}
    </>
  );
}

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

function ComplaintSettingsCard({ units }: { units: [string, string][] }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  const announce = useAnnounce();
  const settings = useApi<ComplaintSettings>('/api/v1/complaints/settings');
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (settings.isPending) return <Loading />;
  if (settings.error) return <LoadError error={settings.error} retry={() => void settings.refetch()} />;
  const data = settings.data;
  const statuses = Object.keys(complaintWords.complaintStatuses);
  const valueOf = (key: string, stored: string | number | null | undefined) => draft?.[key] ?? (stored === null || stored === undefined ? '' : String(stored));
  const edit = (key: string, value: string) => setDraft((d) => ({ ...(d ?? {}), [key]: value }));

  const save = async () => {
    setError(null);
    setBusy(true);
    try {
      const overdue = Object.fromEntries(statuses.map((s) => [s, numberOrNull(valueOf(`overdue.${s}`, data.overdue_days[s]))]));
      const retention = Object.fromEntries(statuses.map((s) => [s, numberOrNull(valueOf(`retention.${s}`, data.retention_years[s]))]));
      await api.put('/api/v1/complaints/settings', { default_unit: valueOf('default_unit', data.default_unit) || null, overdue_days: overdue, retention_years: retention });
      setDraft(null);
      announce(t('admin:settingsSaved'));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card section" aria-labelledby="complaint-settings-title">
      <h2 id="complaint-settings-title">{t('admin:complaintSettings')}</h2>
      {error && (
        <Alert kind="error" role="alert">
          {error}
        </Alert>
      )}
      <SelectField id="default-unit" label={t('admin:defaultUnit')} hint={t('admin:defaultUnitHint')} placeholder={t('admin:noDefaultUnit')} options={units} value={valueOf('default_unit', data.default_unit)} onChange={(v) => edit('default_unit', v)} />
      <h3 id="per-status-caption">{t('admin:perStatus')}</h3>
      <DataTable
        rows={statuses}
        rowKey={(s) => s}
        responsive={false}
        region="per-status-caption"
        columns={[
          { header: t('admin:status'), rowHeader: true, cell: (s) => word(complaintWords.complaintStatuses, s, lang) },
          {
            header: t('admin:overdueDays'),
            cell: (s) => <input className="input--short" type="number" min={1} max={36500} aria-label={t('admin:overdueOf', { status: word(complaintWords.complaintStatuses, s, lang) })} value={valueOf(`overdue.${s}`, data.overdue_days[s])} onChange={(e) => edit(`overdue.${s}`, e.target.value)} />,
          },
          {
            header: t('admin:retentionYears'),
            cell: (s) => <input className="input--short" type="number" min={0.01} max={100} step="any" aria-label={t('admin:retentionOf', { status: word(complaintWords.complaintStatuses, s, lang) })} value={valueOf(`retention.${s}`, data.retention_years[s])} onChange={(e) => edit(`retention.${s}`, e.target.value)} />,
          },
        ]}
      />
      <p className="hint">{t('admin:perStatusHint')}</p>
      <button type="button" className="button button--primary" disabled={busy || draft === null} onClick={() => void save()}>
        {t('admin:saveSettings')}
      </button>
    </section>
  );
}

function RoutingRules({ units }: { units: [string, string][] }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  const announce = useAnnounce();
  const rules = useApi<{ items: RoutingRule[] }, RoutingRule[]>('/api/v1/complaints/routing-rules', undefined, { select: (r) => r.items });
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ priority: '10', kind: '', authority_type: '', state_code: '', institution_id: '', description: '' }, (v) => ({
    priority: /^\d{1,7}$/.test(v.priority) ? undefined : t('admin:priorityRule'),
    institution_id: v.institution_id ? undefined : t('validation.required'),
  }));
  const remove = async (rule: RoutingRule) => {
    setError(null);
    try {
      await api.delete(`/api/v1/complaints/routing-rules/${rule.id}`);
      announce(t('admin:ruleDeleted'));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const any = t('admin:any');
  return (
    <section className="card section" aria-labelledby="routing-title">
      <h2 id="routing-title">{t('admin:routing')}</h2>
      <p className="hint">{t('admin:routingHint')}</p>
      {error && (
        <Alert kind="error" role="alert">
          {error}
        </Alert>
      )}
      {rules.isPending && <Loading />}
      {!!rules.error && <LoadError error={rules.error} retry={() => void rules.refetch()} />}
      {rules.data && !rules.data.length && <Empty>{t('admin:noRules')}</Empty>}
      {rules.data && rules.data.length > 0 && (
        <DataTable
          rows={rules.data}
          rowKey={(r) => r.id}
          caption={t('admin:routing')}
          region="routing-title"
          columns={[
            { header: t('admin:priority'), cell: (r) => r.priority },
            { header: t('admin:kind'), cell: (r) => word(complaintWords.complaintKinds, r.kind, lang) || any },
            { header: t('admin:authority'), cell: (r) => word(complaintWords.authorityTypes, r.authority_type, lang) || any },
            { header: t('admin:state'), cell: (r) => mxStates.find(([c]) => c === r.state_code)?.[1] ?? any },
            {
              header: t('admin:unit'),
              rowHeader: true,
              cell: (r) => (
                <>
                  {r.institution_name}
                  {r.description && <span className="hint">{r.description}</span>}
                </>
              ),
            },
            {
              header: t('admin:actions'),
              cell: (r) => (
                <button type="button" className="button button--ghost button--small" onClick={() => void remove(r)}>
                  {t('admin:delete')}
                  <span className="visually-hidden"> ({r.institution_name}, {r.priority})</span>
                </button>
              ),
            },
          ]}
        />
      )}
      <h3>{t('admin:newRule')}</h3>
      <ValidatedForm
        form={form}
        onValid={async (v) => {
          await api.post('/api/v1/complaints/routing-rules', { priority: Number(v.priority), kind: v.kind || null, authority_type: v.authority_type || null, state_code: v.state_code || null, institution_id: v.institution_id, ...(v.description.trim() ? { description: v.description.trim() } : {}) });
          announce(t('admin:ruleAdded'));
          form.reset();
        }}
      >
        <div className="grid-2">
          <TextField id="rule-priority" label={t('admin:priority')} hint={t('admin:priorityRule')} inputMode="numeric" required {...form.text('priority')} />
          <SelectField id="rule-unit" label={t('admin:unit')} required placeholder={t('common.choose')} options={units} {...form.text('institution_id')} />
          <SelectField id="rule-kind" label={t('admin:kind')} placeholder={any} options={choices(complaintWords.complaintKinds, lang)} {...form.text('kind')} />
          <SelectField id="rule-authority" label={t('admin:authority')} placeholder={any} options={choices(complaintWords.authorityTypes, lang)} {...form.text('authority_type')} />
          <SelectField id="rule-state" label={t('admin:state')} placeholder={any} options={mxStates} {...form.text('state_code')} />
          <TextField id="rule-description" label={t('admin:description')} autoComplete="off" maxLength={200} {...form.text('description')} />
        </div>
        <SubmitButton busy={form.busy}>{t('admin:addRule')}</SubmitButton>
      </ValidatedForm>
    </section>
  );
}

function MissingSettings({ units }: { units: [string, string][] }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const settings = useApi<{ public_institution_id: string | null }>('/api/v1/missing/settings');
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      await api.put('/api/v1/missing/settings', { public_institution_id: choice || null });
      setChoice(null);
      announce(t('admin:settingsSaved'));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section className="card section" aria-labelledby="missing-settings-title">
      <h2 id="missing-settings-title">{t('admin:missingSettings')}</h2>
      {error && (
        <Alert kind="error" role="alert">
          {error}
        </Alert>
      )}
      {settings.isPending && <Loading />}
      {!!settings.error && <LoadError error={settings.error} retry={() => void settings.refetch()} />}
      {settings.data && (
        <>
          <SelectField id="missing-public" label={t('admin:publicInstitution')} hint={t('admin:publicInstitutionHint')} placeholder={t('admin:publicClosed')} options={units} value={choice ?? settings.data.public_institution_id ?? ''} onChange={setChoice} />
          <button type="button" className="button button--primary" disabled={choice === null} onClick={() => void save()}>
            {t('admin:saveSettings')}
          </button>
        </>
      )}
    </section>
  );
}
