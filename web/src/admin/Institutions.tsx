import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Institution } from '../api/client.ts';
import { useCan, useSession } from '../app/session.tsx';
import { useApi } from '../api/queries.ts';
import { mxStates } from '../ui/format.ts';
import { Empty, FormError, LoadError, Loading, PageTitle, SelectField, TextField, useAnnounce, useForm, ValidatedForm, SubmitButton } from '../ui/index.tsx';
import { AdminTabs } from './AdminTabs.tsx';

const types = ['federal_agency', 'state_agency', 'consulate', 'shelter', 'civil_society', 'international_organisation'] as const;
const unitTypes = ['outpatient', 'residential', 'mobile', 'office'] as const;
const stateName = (code: string | null) => mxStates.find(([c]) => c === code)?.[1] ?? '';

type Fields = { code: string; name: string; type: string; unit_type: string; parent_id: string; state_code: string; municipality_code: string; require_mfa: boolean };
const blank: Fields = { code: '', name: '', type: '', unit_type: '', parent_id: '', state_code: '', municipality_code: '', require_mfa: false };
const fieldsOf = (i: Institution): Fields => ({ code: i.code, name: i.name, type: i.type, unit_type: i.unit_type ?? '', parent_id: i.parent_id ?? '', state_code: i.state_code ?? '', municipality_code: i.municipality_code ?? '', require_mfa: i.require_mfa });

/** Those below an institution (it cannot be placed under any of them). */
function below(items: Institution[], id: string): Set<string> {
  const out = new Set<string>([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of items) {
      if (i.parent_id && out.has(i.parent_id) && !out.has(i.id)) {
        out.add(i.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Institutions as a hierarchy. Platform administrators register them and change type, parent and
 * jurisdiction; an institution's administrator sees them and sets her own institution's second factor
 * (src/institutions/institution.policy.ts decides again on the server).
 */
export function Institutions() {
  const { t } = useTranslation(['admin']);
  const can = useCan();
  const { session } = useSession();
  const institutions = useApi<{ items: Institution[] }, Institution[]>('/api/v1/institutions', undefined, { select: (r) => r.items });
  const [editing, setEditing] = useState<string | null>(null);
  const manageAny = can('institutions.manage_any');
  const mayEdit = (i: Institution) => manageAny || (can('institutions.manage') && i.id === session.institution.id);

  const items = institutions.data ?? [];
  const ids = new Set(items.map((i) => i.id));
  const childrenOf = (id: string | null) => items.filter((i) => (id === null ? !i.parent_id || !ids.has(i.parent_id) : i.parent_id === id));
  const tree = (id: string | null): ReactNode => {
    const level = childrenOf(id);
    if (!level.length) return null;
    return (
      <ul className="institution-tree">
        {level.map((i) => (
          <li key={i.id}>
            <div className="institution-tree__item">
              <span className="institution-tree__name">{i.name}</span>
              <span className="hint">
                {[i.code, t(`admin:types.${i.type}`, { defaultValue: i.type }), stateName(i.state_code), i.require_mfa ? t('admin:mfaRequired') : null].filter(Boolean).join(' · ')}
              </span>
              {mayEdit(i) && (
                <button type="button" className="button button--ghost button--small" aria-expanded={editing === i.id} onClick={() => setEditing(editing === i.id ? null : i.id)}>
                  {t('admin:edit')}
                  <span className="visually-hidden"> ({i.name})</span>
                </button>
              )}
            </div>
            {editing === i.id && <InstitutionForm key={i.id} institution={i} items={items} manageAny={manageAny} done={() => setEditing(null)} />}
            {tree(i.id)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <>
      <PageTitle lead={t('admin:institutionsLead')}>{t('admin:institutionsTitle')}</PageTitle>
      <AdminTabs />
      <section className="card section" aria-labelledby="tree-title">
        <h2 id="tree-title">{t('admin:hierarchy')}</h2>
        {institutions.isPending && <Loading />}
        {!!institutions.error && <LoadError error={institutions.error} retry={() => void institutions.refetch()} />}
        {institutions.data && (items.length ? tree(null) : <Empty>{t('admin:noInstitutions')}</Empty>)}
      </section>
      {can('institutions.create') && (
        <section className="card section" aria-labelledby="new-institution-title">
          <h2 id="new-institution-title">{t('admin:newInstitution')}</h2>
          <InstitutionForm institution={null} items={items} manageAny={manageAny} done={() => undefined} />
        </section>
      )}
    </>
  );
}

function InstitutionForm({ institution, items, manageAny, done }: { institution: Institution | null; items: Institution[]; manageAny: boolean; done: () => void }) {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const scope = institution ? `edit-${institution.id.slice(0, 8)}-` : 'new-';
  const form = useForm<Fields>(institution ? fieldsOf(institution) : blank, (v) => ({
    code: institution || /^[A-Z0-9]{2,12}$/.test(v.code) ? undefined : t('admin:codeRule'),
    name: v.name.trim().length >= 2 ? undefined : t('validation.required'),
    type: v.type ? undefined : t('validation.required'),
    municipality_code: !v.municipality_code || /^\d{5}$/.test(v.municipality_code) ? undefined : t('admin:municipalityRule'),
  }));
  const excluded = institution ? below(items, institution.id) : new Set<string>();
  const parents = items.filter((i) => !excluded.has(i.id)).map((i): [string, string] => [i.id, i.name]);
  const locked = !manageAny;

  return (
    <ValidatedForm
      form={form}
      className={institution ? 'inline-panel' : undefined}
      aria-label={institution ? t('admin:editOf', { name: institution.name }) : undefined}
      onValid={async (v) => {
        const place = { name: v.name.trim(), type: v.type, unit_type: v.unit_type || null, parent_id: v.parent_id || null, state_code: v.state_code || null, municipality_code: v.municipality_code || null };
        if (!institution) {
          await api.post('/api/v1/institutions', { code: v.code, ...place, require_mfa: v.require_mfa });
          announce(t('admin:institutionCreated', { name: place.name }));
          form.reset();
          return;
        }
        await api.patch(`/api/v1/institutions/${institution.id}`, locked ? { require_mfa: v.require_mfa } : { ...place, require_mfa: v.require_mfa });
        announce(t('admin:institutionSaved', { name: place.name }));
        done();
      }}
    >
      {locked && <p className="hint">{t('admin:onlyMfa')}</p>}
      <div className="grid-2">
        {!institution && <TextField id={`${scope}code`} label={t('admin:code')} hint={t('admin:codeRule')} required autoComplete="off" {...form.text('code')} />}
        {!locked && (
          <>
            <TextField id={`${scope}name`} label={t('admin:name')} required autoComplete="off" {...form.text('name')} />
            <SelectField id={`${scope}type`} label={t('admin:type')} required placeholder={t('common.choose')} options={types.map((k) => [k, t(`admin:types.${k}`)])} {...form.text('type')} />
            <SelectField id={`${scope}unit`} label={t('admin:unitType')} placeholder={t('admin:noUnitType')} options={unitTypes.map((k) => [k, t(`admin:unitTypes.${k}`)])} {...form.text('unit_type')} />
            <SelectField id={`${scope}parent`} label={t('admin:parent')} placeholder={t('admin:noParent')} options={parents} {...form.text('parent_id')} />
            <SelectField id={`${scope}state`} label={t('admin:jurisdiction')} placeholder={t('admin:national')} options={mxStates} {...form.text('state_code')} />
            <TextField id={`${scope}municipality`} label={t('admin:municipality')} hint={t('admin:municipalityRule')} inputMode="numeric" autoComplete="off" {...form.text('municipality_code')} />
          </>
        )}
      </div>
      <label className="switch">
        <input type="checkbox" checked={form.values.require_mfa} onChange={(e) => form.set('require_mfa', e.target.checked)} />
        <span>{t('admin:requireMfa')}</span>
      </label>
      <div className="form-actions">
        <SubmitButton busy={form.busy}>{institution ? t('admin:save') : t('admin:createInstitution')}</SubmitButton>
        {institution && (
          <button type="button" className="button button--ghost" onClick={done}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </ValidatedForm>
  );
}
