import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CaseView } from '../api/client.ts';
import { label, options } from '../ui/format.ts';
import { caseRules } from '../ui/rules.ts';
import { CheckboxGroup, FormError, SaveOrCancel, TextArea, useAnnounce, useFocusAfterRender, useForm, useLang, type Errors, ValidatedForm } from '../ui/index.tsx';
import { mayEdit, ReadOnlyNote } from './CaseParts.tsx';
import { Section } from '../ui/Section.tsx';

type SummaryForm = { summary: string; crime_types: string[]; rights_violations: string[] };

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Summary and classification: read, and changed in place by those who may. */
export function SummarySection({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const close = () => {
    setEditing(false);
    focusAfterRender(() => editButton.current);
  };
  return (
    <Section id="summary" title={t('cases:case.summarySection')}>
      {editing ? (
        <SummaryEditForm c={c} onDone={close} />
      ) : (
        <>
          <dl className="details">
            <div>
              <dt>{t('cases:case.crimeTypes')}</dt>
              <dd>{c.crime_types.length ? c.crime_types.map((k) => label('crimeTypes', k, lang)).join(', ') : t('common.noneRecorded')}</dd>
            </div>
            <div>
              <dt>{t('cases:case.rightsViolations')}</dt>
              <dd>{c.rights_violations.length ? c.rights_violations.map((k) => label('rightsViolations', k, lang)).join(', ') : t('common.noneRecorded')}</dd>
            </div>
            <div>
              <dt>{t('cases:case.summary')}</dt>
              <dd className="prewrap">{c.unreadable_fields.includes('summary') ? <em>{t('common.unreadable')}</em> : (c.summary ?? t('common.noneRecorded'))}</dd>
            </div>
          </dl>
          {mayEdit(c) ? (
            <button type="button" ref={editButton} className="button button--secondary" onClick={() => setEditing(true)}>
              {t('cases:edit.summary')}
            </button>
          ) : (
            <ReadOnlyNote c={c} />
          )}
        </>
      )}
    </Section>
  );
}

function SummaryEditForm({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { t } = useTranslation(['cases']);
  const lang = useLang();
  const announce = useAnnounce();
  const initial: SummaryForm = { summary: c.summary ?? '', crime_types: c.crime_types, rights_violations: c.rights_violations };
  const form = useForm<SummaryForm>(initial, (v): Errors => ({
    summary: v.summary.trim() && !caseRules.summary.safeParse(v.summary).success ? t('validation.maxLength', { max: 10_000 }) : undefined,
  }));
  return (
    <ValidatedForm
      form={form}
      onValid={async (v) => {
        const body = {
          ...(v.summary.trim() !== (c.summary ?? '') ? { summary: v.summary.trim() || null } : {}),
          ...(sameList(v.crime_types, c.crime_types) ? {} : { crime_types: v.crime_types }),
          ...(sameList(v.rights_violations, c.rights_violations) ? {} : { rights_violations: v.rights_violations }),
        };
        if (Object.keys(body).length) await api.patch(`/api/v1/cases/${c.id}`, body);
        announce(t(Object.keys(body).length ? 'cases:edit.summarySaved' : 'cases:edit.nothingChanged'));
        onDone();
      }}
    >
      <TextArea id="case-summary" label={t('cases:case.summary')} hint={t('cases:openCase.summaryHint')} rows={6} {...form.text('summary')} />
      <CheckboxGroup id="case-crime-types" name="crime_types" legend={t('cases:case.crimeTypes')} options={options('crimeTypes', lang)} value={form.values.crime_types} onChange={(x) => form.set('crime_types', x)} error={form.errorOf('crime_types')} />
      <CheckboxGroup
        id="case-rights-violations"
        name="rights_violations"
        legend={t('cases:case.rightsViolations')}
        options={options('rightsViolations', lang)}
        value={form.values.rights_violations}
        onChange={(x) => form.set('rights_violations', x)}
        error={form.errorOf('rights_violations')}
      />
      <SaveOrCancel busy={form.busy} saveLabel={t('cases:edit.save')} onCancel={onDone} />
    </ValidatedForm>
  );
}
