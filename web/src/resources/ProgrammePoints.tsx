import { useTranslation } from 'react-i18next';
import { api, withQuery, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, paths, useLocation } from '../app/router.tsx';
import { CorrectionForm } from '../ui/CorrectionForm.tsx';
import { CorrectionHistory } from '../ui/CorrectionHistory.tsx';
import { formatDate, formatDateTime, formatNumber, mxStates } from '../ui/format.ts';
import { LoadError, Loading, PageTitle, SelectField, TextField, useForm, useLang, Empty } from '../ui/index.tsx';
import { ActionForm } from '../ui/DisclosureForm.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { Details } from '../ui/Section.tsx';
import { AdminTabs } from '../admin/AdminTabs.tsx';

/**
 * A programme's resources (src/resources, decision 0008): the points the institution runs (a youth
 * brigade's contact point, a police deployment point), the municipalities each covers and the staff
 * posted there, as its administrator records them. Statistics count them; no person is named here.
 */
type Point = { id: string; name: string; kind: string; municipalities: string[]; states: string[]; staff: number; staff_role: string; active_from: string; active_to: string | null };
type PointList = { items: Point[]; totals: { points: number; staff: number; municipalities: number; states: number } };

const KINDS = ['contact_point', 'deployment_point', 'service_point', 'other'] as const;
const ROLES = ['brigade_leader', 'officer', 'staff', 'volunteer'] as const;
const stateName = new Map(mxStates);
const MUNICIPALITY = /^\d{5}$/;

export function ProgrammePoints() {
  const { t } = useTranslation(['resources', 'ui']);
  const lang = useLang();
  const list = useApi<PointList>('/api/v1/resources/points');
  const form = useForm({ name: '', kind: 'contact_point', municipalities: '', staff: '', staff_role: 'brigade_leader', active_from: '', active_to: '' }, (v) => {
    const codes = v.municipalities.split(/[\s,;]+/).filter(Boolean);
    return {
      name: v.name.trim() ? (v.name.trim().length > 200 ? t('ui:validation.maxLength', { max: 200 }) : undefined) : t('ui:validation.required'),
      municipalities: codes.length === 0 ? t('ui:validation.required') : codes.every((c) => MUNICIPALITY.test(c) && stateName.has(c.slice(0, 2))) ? undefined : t('resources:form.municipalitiesInvalid'),
      staff: /^\d{1,6}$/.test(v.staff.trim()) ? undefined : t('resources:form.staffInvalid'),
      active_from: v.active_from ? undefined : t('ui:validation.required'),
      active_to: v.active_to && v.active_from && v.active_to < v.active_from ? t('ui:validation.rangeOrder') : undefined,
    };
  });
  const options = (list: readonly string[], group: string): [string, string][] => list.map((k) => [k, t(`resources:${group}.${k}`)]);
  const chosen = useLocation().query.get('punto');

  return (
    <>
      <PageTitle lead={t('resources:lead')}>{t('resources:title')}</PageTitle>
      <AdminTabs />
      <section className="card section" aria-labelledby="points-title">
        <h2 id="points-title">{t('resources:points')}</h2>
        {list.isPending ? (
          <Loading />
        ) : list.error || !list.data ? (
          <LoadError error={list.error} retry={() => void list.refetch()} />
        ) : (
          <>
            <Details
              rows={[
                [t('resources:totals.points'), formatNumber(list.data.totals.points, lang)],
                [t('resources:totals.staff'), formatNumber(list.data.totals.staff, lang)],
                [t('resources:totals.municipalities'), formatNumber(list.data.totals.municipalities, lang)],
                [t('resources:totals.states'), formatNumber(list.data.totals.states, lang)],
              ]}
            />
            {list.data.items.length === 0 ? (
              <Empty>{t('resources:none')}</Empty>
            ) : (
              <DataTable
                rows={list.data.items}
                rowKey={(p) => p.id}
                caption={t('resources:points')}
                region="points-title"
                columns={[
                  { header: t('resources:column.name'), cell: (p) => <Link href={withQuery(paths.adminResources, { punto: p.id })} aria-current={p.id === chosen ? 'true' : undefined}>{p.name}</Link>, rowHeader: true },
                  { header: t('resources:column.kind'), cell: (p) => t(`resources:kind.${p.kind}`) },
                  { header: t('resources:column.staff'), cell: (p) => `${formatNumber(p.staff, lang)} (${t(`resources:role.${p.staff_role}`)})` },
                  { header: t('resources:column.municipalities'), cell: (p) => p.municipalities.join(', ') },
                  { header: t('resources:column.states'), cell: (p) => p.states.map((s) => stateName.get(s) ?? s).join(', ') },
                  { header: t('resources:column.dates'), cell: (p) => (p.active_to ? t('resources:fromTo', { from: formatDate(p.active_from, lang), to: formatDate(p.active_to, lang) }) : t('resources:since', { from: formatDate(p.active_from, lang) })) },
                ]}
              />
            )}
          </>
        )}
      </section>
      {chosen && <PointHistory key={chosen} id={chosen} />}
      <section className="card section" aria-labelledby="point-new-title">
        <h2 id="point-new-title">{t('resources:form.title')}</h2>
        <ActionForm
          className=""
          form={form}
          send={(v) =>
            api.post('/api/v1/resources/points', {
              name: v.name.trim(),
              kind: v.kind,
              municipalities: v.municipalities.split(/[\s,;]+/).filter(Boolean),
              staff: Number(v.staff.trim()),
              staff_role: v.staff_role,
              active_from: v.active_from,
              active_to: v.active_to || null,
            })
          }
          submitLabel={t('resources:form.save')}
          saved={t('resources:form.saved')}
        >
          <TextField id="point-name" label={t('resources:form.name')} required {...form.text('name')} />
          <SelectField id="point-kind" label={t('resources:form.kind')} options={options(KINDS, 'kind')} {...form.text('kind')} />
          <TextField id="point-municipalities" label={t('resources:form.municipalities')} hint={t('resources:form.municipalitiesHint')} required {...form.text('municipalities')} />
          <TextField id="point-staff" label={t('resources:form.staff')} inputMode="numeric" required {...form.text('staff')} />
          <SelectField id="point-role" label={t('resources:form.role')} options={options(ROLES, 'role')} {...form.text('staff_role')} />
          <TextField id="point-from" type="date" label={t('resources:form.from')} required {...form.text('active_from')} />
          <TextField id="point-to" type="date" label={t('resources:form.to')} hint={t('resources:form.toHint')} {...form.text('active_to')} />
        </ActionForm>
      </section>
    </>
  );
}

type History = ApiAnswer<'/api/v1/resources/points/{id}/history'>;

/** The point chosen in the list: a change of its staff or dates (with a reason, kept) and its history. */
function PointHistory({ id }: { id: string }) {
  const { t } = useTranslation(['resources', 'ui']);
  const lang = useLang();
  const history = useApi<History>(`/api/v1/resources/points/${id}/history`);
  const point = history.data?.point;
  const inWords = (field: string, value: unknown): string => {
    if (field === 'kind') return t(`resources:kind.${String(value)}`);
    if (field === 'staff_role') return t(`resources:role.${String(value)}`);
    if (field === 'active_from' || field === 'active_to') return formatDate(String(value), lang);
    if (field === 'staff') return formatNumber(Number(value), lang);
    return Array.isArray(value) ? value.join(', ') : String(value);
  };
  return (
    <section className="card section" aria-labelledby="point-chosen-title">
      <h2 id="point-chosen-title">{point ? point.name : t('resources:history.title')}</h2>
      {history.isPending && <Loading />}
      {!!history.error && <LoadError error={history.error} retry={() => void history.refetch()} />}
      {history.data && point && (
        <>
          <PointChange key={history.data.corrections.length} point={point} />
          <h3>{t('resources:history.title')}</h3>
          <CorrectionHistory
            corrections={history.data.corrections.map((c) => ({ ...c, at: String(c.at) }))}
            recorded={t('resources:history.recorded', { when: formatDateTime(String(history.data.recorded.at), lang), who: history.data.recorded.by?.display_name ?? t('ui:history.someone') })}
            fieldLabel={(field) => t(`resources:history.field.${field}`, { defaultValue: field })}
            inWords={inWords}
          />
          {history.data.corrections.length === 0 && <p className="hint">{t('resources:history.none')}</p>}
        </>
      )}
      <p>
        <Link href={paths.adminResources}>{t('resources:history.close')}</Link>
      </p>
    </section>
  );
}

/** The changes a point's administrator makes most: its staff, and the day it stopped operating. */
function PointChange({ point }: { point: Point }) {
  const { t } = useTranslation(['resources', 'ui']);
  const form = useForm({ staff: String(point.staff), active_to: point.active_to ?? '', reason: '' }, (v) => ({
    staff: /^\d{1,6}$/.test(v.staff.trim()) ? undefined : t('resources:form.staffInvalid'),
    active_to: v.active_to && v.active_to < point.active_from ? t('ui:validation.rangeOrder') : undefined,
    reason: v.reason.trim().length > 500 ? t('ui:validation.maxLength', { max: 500 }) : undefined,
  }));
  return (
    <CorrectionForm
      form={form}
      path={`/api/v1/resources/points/${point.id}`}
      fields={(v) => ({ next: { staff: Number(v.staff.trim()), active_to: v.active_to || null }, was: { staff: point.staff, active_to: point.active_to } })}
      submitLabel={t('resources:history.save')}
      saved={t('resources:history.saved')}
    >
      <TextField id="point-fix-staff" label={t('resources:form.staff')} inputMode="numeric" required {...form.text('staff')} />
      <TextField id="point-fix-to" type="date" label={t('resources:form.to')} hint={t('resources:form.toHint')} {...form.text('active_to')} />
      <TextField id="point-fix-reason" label={t('resources:history.reason')} hint={t('resources:history.reasonHint')} {...form.text('reason')} />
    </CorrectionForm>
  );
}
