import { useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page, type PersonSummary, type UserRef } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { ageOf, countryName, formatDate, formatDateTime, formatNumber, label, personName } from '../ui/format.ts';
import { Link, paths } from '../app/router.tsx';
import { Alert, Empty, FormError, LoadError, Loading, PageTitle, Pager, RadioGroup, TextArea, useAnnounce, useFocusAfterRender, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import './Duplicates.css';

/**
 * The supervisors' de-duplication screen (src/people/merge.service.ts): pairs of the institution's
 * records that are probably one person, side by side with the engine's field-by-field explanation;
 * merge (choosing the record kept, with a reason), "not the same person", and the history of merges
 * with their undoing.
 */

type DuplicatePerson = PersonSummary & { other_names: string[]; age_estimated_on: string | null; case_count: number; created_at: string };
type Explanation = { field: string; level: string; weight: number; detail?: string };
type Pair = { person_a: DuplicatePerson; person_b: DuplicatePerson; score: number; match_weight: number; explanation: Explanation[]; suggested_survivor_id: string };
type Merge = {
  id: string;
  survivor: PersonSummary;
  duplicate: PersonSummary;
  reason: string;
  score: number | null;
  moved: Record<string, number>;
  set_aside: Record<string, number>;
  case_count: number;
  merged_by: UserRef;
  merged_at: string;
  undone_by: UserRef;
  undone_at: string | null;
  undo_reason: string | null;
  can_undo: boolean;
};

const PAIRS_PER_PAGE = 10;
const MERGES_PER_PAGE = 20;

export function Duplicates() {
  const { t } = useTranslation(['people']);
  const [offset, setOffset] = useState(0);
  const [historyOffset, setHistoryOffset] = useState(0);
  const pairs = useApi<Page<Pair> & { pending: number }>('/api/v1/people/duplicates', { limit: PAIRS_PER_PAGE, offset });
  const merges = useApi<Page<Merge>>('/api/v1/people/merges', { limit: MERGES_PER_PAGE, offset: historyOffset });
  const proposalsHeading = useRef<HTMLHeadingElement>(null);
  const historyHeading = useRef<HTMLHeadingElement>(null);
  const focusAfterRender = useFocusAfterRender();
  // After a merge or a decision the pair leaves the list: focus goes to the list's heading.
  const changed = (focus: RefObject<HTMLHeadingElement | null>) => {
    focusAfterRender(() => focus.current);
  };

  return (
    <>
      <PageTitle lead={t('people:duplicates.lead')}>{t('people:duplicates.title')}</PageTitle>

      <section className="section" aria-labelledby="dup-proposals">
        <h2 id="dup-proposals" tabIndex={-1} ref={proposalsHeading}>
          {t('people:duplicates.proposals')}
          {pairs.data && <span className="count"> ({pairs.data.total})</span>}
        </h2>
        {pairs.error ? (
          <LoadError error={pairs.error} retry={() => void pairs.refetch()} />
        ) : !pairs.data ? (
          <Loading />
        ) : (
          <>
            {pairs.data.pending > 0 && (
              <Alert>
                <p>{t('people:duplicates.pending', { count: pairs.data.pending })}</p>
                <button type="button" className="button button--secondary button--small" onClick={() => void pairs.refetch()}>

                  {t('people:duplicates.reload')}
                </button>
              </Alert>
            )}
            {pairs.data.items.length === 0 ? (
              <Empty>{t('people:duplicates.none')}</Empty>
            ) : (
              <ol className="dup-pairs">
                {pairs.data.items.map((pair) => (
                  <PairCard key={`${pair.person_a.id}|${pair.person_b.id}`} pair={pair} onChanged={() => changed(proposalsHeading)} />
                ))}
              </ol>
            )}
            <Pager offset={offset} pageSize={PAIRS_PER_PAGE} total={pairs.data.total} go={setOffset} />
          </>
        )}
      </section>

      <section className="section" aria-labelledby="dup-history">
        <h2 id="dup-history" tabIndex={-1} ref={historyHeading}>
          {t('people:duplicates.history')}
          {merges.data && <span className="count"> ({merges.data.total})</span>}
        </h2>
        {merges.error ? (
          <LoadError error={merges.error} retry={() => void merges.refetch()} />
        ) : !merges.data ? (
          <Loading />
        ) : merges.data.items.length === 0 ? (
          <Empty>{t('people:duplicates.noHistory')}</Empty>
        ) : (
          <>
            <ol className="dup-history">
              {merges.data.items.map((m) => (
                <MergeEntry key={m.id} merge={m} onUndone={() => changed(historyHeading)} />
              ))}
            </ol>
            <Pager offset={historyOffset} pageSize={MERGES_PER_PAGE} total={merges.data.total} go={setHistoryOffset} />
          </>
        )}
      </section>
    </>
  );
}

function PairCard({ pair, onChanged }: { pair: Pair; onChanged: () => void }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const announce = useAnnounce();
  const [merging, setMerging] = useState(false);
  const dismiss = useForm({}, () => ({}));
  const a = pair.person_a;
  const b = pair.person_b;
  const key = `${a.id}-${b.id}`;
  const title = t('people:duplicates.pairTitle', { a: personName(a), b: personName(b) });
  const signed = (w: number) => `${w > 0 ? '+' : w < 0 ? '−' : '±'}${formatNumber(Math.abs(Math.round(w * 10) / 10), lang)}`;

  return (
    <li className="card dup-pair">
      <article aria-labelledby={`pair-${key}`}>
        <div className="dup-pair__head">
          <h3 id={`pair-${key}`}>{title}</h3>
          <span className="badge dup-score">{t('people:duplicates.score', { pct: Math.floor(pair.score * 100) })}</span>
        </div>
        <div className="dup-records">
          <PersonColumn p={a} heading={t('people:duplicates.recordA')} />
          <PersonColumn p={b} heading={t('people:duplicates.recordB')} />
        </div>
        <div className="dup-why">
          <h4>{t('people:duplicates.why')}</h4>
          <p className="hint">{t('people:duplicates.whyHint')}</p>
          <ul>
            {pair.explanation.map((e) => (
              <li key={e.field}>
                <span>
                  <span className="dup-why__field">{t(`people:duplicates.fields.${e.field}`, { defaultValue: e.field })}</span>: {t(`people:duplicates.levels.${e.level}`, { defaultValue: e.level })}
                </span>
                <span className={`dup-weight ${e.weight > 0 ? 'dup-weight--for' : e.weight < 0 ? 'dup-weight--against' : ''}`}>{signed(e.weight)}</span>
              </li>
            ))}
          </ul>
        </div>
        <FormError message={dismiss.formError} errors={dismiss.shown} />
        <div className="dup-actions">
          <button type="button" className="button button--primary" aria-expanded={merging} aria-controls={`merge-${key}`} onClick={() => setMerging((m) => !m)}>
            {t('people:duplicates.merge')}
            <span className="visually-hidden">: {title}</span>
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={dismiss.busy}
            onClick={() =>
              void dismiss.submit(async () => {
                await api.post('/api/v1/people/duplicates/dismiss', { person_a: a.id, person_b: b.id });
                announce(t('people:duplicates.dismissed', { a: personName(a), b: personName(b) }));
                onChanged();
              })
            }
          >
            {t('people:duplicates.notSame')}
            <span className="visually-hidden">: {title}</span>
          </button>
        </div>
        <div id={`merge-${key}`} hidden={!merging} className="disclosure__panel">
          {merging && <MergeForm pair={pair} idPrefix={key} onCancel={() => setMerging(false)} onMerged={onChanged} />}
        </div>
      </article>
    </li>
  );
}

function PersonColumn({ p, heading }: { p: DuplicatePerson; heading: string }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const age = ageOf(p);
  const rows: [string, string][] = [
    [t('people:person.sex'), label('sexes', p.sex, lang)],
    [t('people:duplicates.birth'), p.date_of_birth ? `${formatDate(p.date_of_birth, lang)}${age != null ? ` (${t('people:person.age').toLowerCase()} ${age})` : ''}` : age != null ? t('people:person.approxAge', { age }) : t('common.noneRecorded')],
    [t('people:person.nationalities'), p.nationalities.map((n) => countryName(n, lang)).join(', ') || t('common.noneRecorded')],
    ...(p.other_names.length ? [[t('people:duplicates.otherNames'), p.other_names.join(', ')] as [string, string]] : []),
    [t('people:duplicates.cases'), t('people:duplicates.casesCount', { count: p.case_count })],
    [t('people:duplicates.registered'), formatDate(p.created_at, lang)],
  ];
  return (
    <div className="dup-record">
      <h4>
        <span className="dup-record__label">{heading}</span> {personName(p)}
      </h4>
      <dl className="details dup-details">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="dup-record__link">
        <Link href={paths.person(p.id)}>
          {t('people:duplicates.openRecord')}
          <span className="visually-hidden">: {personName(p)}</span>
        </Link>
      </p>
    </div>
  );
}

function MergeForm({ pair, idPrefix, onCancel, onMerged }: { pair: Pair; idPrefix: string; onCancel: () => void; onMerged: () => void }) {
  const { t } = useTranslation(['people']);
  const announce = useAnnounce();
  const form = useForm({ survivor: pair.suggested_survivor_id, reason: '' }, (v) => ({
    reason: !v.reason.trim() ? t('validation.required') : v.reason.length > 1000 ? t('validation.maxLength', { max: 1000 }) : undefined,
  }));
  const option = (p: DuplicatePerson): [string, string] => [
    p.id,
    `${t('people:duplicates.keepOption', { name: personName(p), cases: t('people:duplicates.casesCount', { count: p.case_count }) })}${p.id === pair.suggested_survivor_id ? ` · ${t('people:duplicates.suggested')}` : ''}`,
  ];
  return (
    <ValidatedForm
      form={form}
      onValid={async (v) => {
        const duplicate = v.survivor === pair.person_a.id ? pair.person_b : pair.person_a;
        const survivor = v.survivor === pair.person_a.id ? pair.person_a : pair.person_b;
        await api.post('/api/v1/people/merges', { survivor_id: survivor.id, duplicate_id: duplicate.id, reason: v.reason.trim() });
        announce(t('people:duplicates.merged', { name: personName(survivor) }));
        onMerged();
      }}
    >
      <RadioGroup id={`keep-${idPrefix}`} name={`keep-${idPrefix}`} legend={t('people:duplicates.keep')} value={form.values.survivor} onChange={(v) => form.set('survivor', v)} options={[option(pair.person_a), option(pair.person_b)]} />
      <TextArea id={`reason-${idPrefix}`} label={t('people:duplicates.reason')} hint={t('people:duplicates.reasonHint')} required rows={3} {...form.text('reason')} />
      <div className="dup-actions">
        <button type="submit" className="button button--danger" disabled={form.busy}>
          {form.busy ? t('common.working') : t('people:duplicates.confirmMerge')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </ValidatedForm>
  );
}

function MergeEntry({ merge: m, onUndone }: { merge: Merge; onUndone: () => void }) {
  const { t } = useTranslation(['people']);
  const lang = useLang();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const form = useForm({ reason: '' }, (v) => ({
    reason: !v.reason.trim() ? t('validation.required') : v.reason.length > 1000 ? t('validation.maxLength', { max: 1000 }) : undefined,
  }));
  const title = `${personName(m.survivor)} ← ${personName(m.duplicate)}`;
  return (
    <li className="card dup-merge">
      <article aria-label={title}>
        <div className="dup-pair__head">
          <dl className="details dup-merge__who">
            <div>
              <dt>{t('people:duplicates.kept')}</dt>
              <dd>
                <Link href={paths.person(m.survivor.id)}>{personName(m.survivor)}</Link>
              </dd>
            </div>
            <div>
              <dt>{t('people:duplicates.mergedRecord')}</dt>
              <dd>
                <Link href={paths.person(m.duplicate.id)}>{personName(m.duplicate)}</Link>
              </dd>
            </div>
          </dl>
          <span className={`badge ${m.undone_at ? 'badge--neutral' : 'dup-score'}`}>{m.undone_at ? t('people:duplicates.statusUndone') : t('people:duplicates.statusActive')}</span>
        </div>
        <p className="item-list__meta">{t('people:duplicates.mergedBy', { name: m.merged_by?.display_name ?? '—', date: formatDateTime(m.merged_at, lang) })}</p>
        <p>{t('people:duplicates.moved', { participations: (m.moved.case_participants ?? 0) + (m.set_aside.case_participants ?? 0), services: m.moved.services ?? 0 })}</p>
        <p className="prewrap">
          <strong>{t('people:duplicates.reasonLabel')}:</strong> {m.reason}
        </p>
        {m.undone_at && (
          <>
            <p className="item-list__meta">{t('people:duplicates.undoneBy', { name: m.undone_by?.display_name ?? '—', date: formatDateTime(m.undone_at, lang) })}</p>
            {m.undo_reason && (
              <p className="prewrap">
                <strong>{t('people:duplicates.undoReasonLabel')}:</strong> {m.undo_reason}
              </p>
            )}
          </>
        )}
        {!m.undone_at && !m.can_undo && <p className="hint">{t('people:duplicates.undoBlocked')}</p>}
        {m.can_undo && (
          <>
            <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={`undo-${m.id}`} onClick={() => setOpen((o) => !o)}>
              {t('people:duplicates.undo')}
              <span className="visually-hidden">: {title}</span>
            </button>
            <div id={`undo-${m.id}`} hidden={!open} className="disclosure__panel">
              {open && (
                <ValidatedForm
                  form={form}
                  onValid={async (v) => {
                    await api.post(`/api/v1/people/merges/${m.id}/undo`, { reason: v.reason.trim() });
                    announce(t('people:duplicates.undone', { name: personName(m.duplicate) }));
                    onUndone();
                  }}
                >
                  <TextArea id={`undo-reason-${m.id}`} label={t('people:duplicates.undoReason')} required rows={3} {...form.text('reason')} />
                  <div className="dup-actions">
                    <button type="submit" className="button button--danger" disabled={form.busy}>
                      {form.busy ? t('common.working') : t('people:duplicates.confirmUndo')}
                    </button>
                    <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </ValidatedForm>
              )}
            </div>
          </>
        )}
      </article>
    </li>
  );
}
