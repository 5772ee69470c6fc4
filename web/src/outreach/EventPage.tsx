import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { Link, navigate, paths } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { DataTable } from '../ui/DataTable.tsx';
import { DisclosureForm } from '../ui/DisclosureForm.tsx';
import { Details, ItemsSection, Section } from '../ui/Section.tsx';
import { formatDate, formatDateTime, formatNumber, label, personName } from '../ui/format.ts';
import { LoadError, Loading, PageTitle, RowButton, TextArea, TextField, useAnnounce, useDebounced, useForm, useLang } from '../ui/index.tsx';
import { EventForm, valuesOf } from './EventForm.tsx';
import { ageBandKeys, outreachLabel, placeOf, sexKeys } from './words.ts';
import type { EventView } from './types.ts';
import './Outreach.css';

/** One event: what, when and where, the attendance by sex and age band, who came (for follow-up); corrected or deleted in place. */
export function EventPage({ id }: { id: string }) {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const event = useApi<EventView>(`/api/v1/outreach/events/${id}`);
  if (event.isPending) return <Loading />;
  if (event.error || !event.data) return <LoadError error={event.error} retry={() => void event.refetch()} />;
  const e = event.data;
  return (
    <>
      <PageTitle lead={`${outreachLabel('eventKinds', e.kind, lang)} · ${formatDate(e.held_on, lang)}`}>{e.title}</PageTitle>
      <p>
        <Link href={paths.outreach}>{t('outreach:page.back')}</Link>
      </p>
      {editing ? (
        <Section id="event-correct" title={t('outreach:page.correct')}>
          <EventForm
            initial={valuesOf(e)}
            saveLabel={t('outreach:page.saveCorrection')}
            onSave={async (body) => {
              await api.patch(`/api/v1/outreach/events/${id}`, body);
              setEditing(false);
              announce(t('outreach:page.corrected'));
            }}
            onCancel={() => setEditing(false)}
          />
        </Section>
      ) : (
        <>
          <Section id="event-details" title={t('outreach:page.details')}>
            <Details
              rows={[
                [t('outreach:fields.kind'), outreachLabel('eventKinds', e.kind, lang)],
                [t('outreach:fields.topic'), outreachLabel('eventTopics', e.topic, lang)],
                [t('outreach:fields.programme'), label('programmes', e.programme, lang)],
                [t('outreach:fields.heldOn'), formatDate(e.held_on, lang)],
                [t('outreach:fields.place'), placeOf(e, lang)],
                [t('outreach:fields.unit'), e.institution.name],
                [t('outreach:page.recordedBy'), `${e.created_by ?? '—'} · ${formatDateTime(e.created_at, lang)}`],
              ]}
            />
            {e.can_edit ? (
              <p className="actions-row">
                <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
                  {t('outreach:page.correct')}
                </button>
              </p>
            ) : (
              <p className="read-only-note">{t('outreach:page.onlyAuthor')}</p>
            )}
          </Section>
          <Attendance event={e} />
          {e.attendees !== undefined && <Attendees event={e} />}
          {e.can_edit && <DeleteEvent id={id} />}
        </>
      )}
    </>
  );
}

/** The attendance as a table: age bands down, sexes across, with their totals. */
function Attendance({ event }: { event: EventView }) {
  const { t } = useTranslation(['outreach']);
  const lang = useLang();
  const count = (sex: string | null, band: string | null) => event.attendance.filter((c) => (sex === null || c.sex === sex) && (band === null || c.age_band === band)).reduce((n, c) => n + c.attendees, 0);
  const sexes = sexKeys.filter((s) => count(s, null) > 0);
  const rows = [...ageBandKeys.filter((b) => count(null, b) > 0), null];
  return (
    <Section id="event-attendance" title={t('outreach:page.attendance', { count: event.attendees_total, total: formatNumber(event.attendees_total, lang) })}>
      {event.attendees_total === 0 ? (
        <p className="empty">{t('outreach:page.noAttendance')}</p>
      ) : (
        <DataTable
          caption={t('outreach:page.attendanceCaption')}
          responsive={false}
          region="event-attendance-title"
          rows={rows}
          rowKey={(b) => b ?? 'total'}
          columns={[
            { header: t('outreach:page.ageBand'), rowHeader: true, cell: (b) => (b ? outreachLabel('attendanceAgeBands', b, lang) : t('outreach:page.total')) },
            ...sexes.map((s) => ({ header: outreachLabel('attendanceSexes', s, lang), cell: (b: string | null) => formatNumber(count(s, b), lang) })),
            { header: t('outreach:page.total'), cell: (b) => formatNumber(count(null, b), lang) },
          ]}
        />
      )}
    </Section>
  );
}

type PersonMatch = ApiAnswer<'/api/v1/people/search'>['items'][number];

/** The people recorded as attending, for follow-up: found by name among those the staff may see. */
function Attendees({ event }: { event: EventView }) {
  const { t } = useTranslation(['outreach']);
  const announce = useAnnounce();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const results = useApi<{ items: PersonMatch[] }>(debounced.length >= 2 ? '/api/v1/people/search' : null, { q: debounced, limit: 5 });
  const present = new Set((event.attendees ?? []).map((a) => a.person_id));
  const add = async (p: PersonMatch) => {
    await api.post(`/api/v1/outreach/events/${event.id}/attendees`, { person_id: p.id });
    setQ('');
    announce(t('outreach:attendees.added', { name: personName(p) }));
  };
  return (
    <ItemsSection
      id="event-attendees"
      title={t('outreach:attendees.title')}
      items={event.attendees ?? []}
      empty={t('outreach:attendees.empty')}
      after={
        <div className="picker">
          <TextField id="attendee-search" type="search" label={t('outreach:attendees.search')} hint={t('outreach:attendees.searchHint')} value={q} onChange={setQ} autoComplete="off" />
          <div aria-live="polite">
            {results.data && results.data.items.length === 0 && <p className="empty">{t('outreach:attendees.noResults')}</p>}
            {results.data && results.data.items.length > 0 && (
              <ul className="match-list" aria-label={t('outreach:attendees.results')}>
                {results.data.items
                  .filter((m) => !present.has(m.id))
                  .map((m) => (
                    <li key={m.id} className="match">
                      <span className="match__name">{personName(m)}</span>
                      <RowButton label={t('outreach:attendees.add')} name={t('outreach:attendees.addName', { name: personName(m) })} onClick={() => void add(m)} />
                    </li>
                  ))}
              </ul>
            )}
          </div>
        </div>
      }
    >
      {(items) => (
        <ul className="plain-list">
          {items.map((a) => (
            <li key={a.person_id}>
              <Link href={paths.person(a.person_id)}>{a.name}</Link>{' '}
              <RowButton
                ghost
                label={t('outreach:attendees.remove')}
                name={t('outreach:attendees.removeName', { name: a.name })}
                onClick={() => void api.delete(`/api/v1/outreach/events/${event.id}/attendees/${a.person_id}`).then(() => announce(t('outreach:attendees.removed', { name: a.name })))}
              />
            </li>
          ))}
        </ul>
      )}
    </ItemsSection>
  );
}

/** Deleting asks why; the event stays recorded with the reason and leaves the lists and statistics. */
function DeleteEvent({ id }: { id: string }) {
  const { t } = useTranslation(['outreach']);
  const form = useForm({ reason: '' }, (v) => ({ reason: v.reason.trim() ? undefined : t('ui:validation.required') }));
  return (
    <DisclosureForm
      summary={t('outreach:page.delete')}
      form={form}
      keep
      secondary
      submitLabel={t('outreach:page.deleteConfirm')}
      saved={t('outreach:page.deleted')}
      send={async (v) => {
        await api.post(`/api/v1/outreach/events/${id}/delete`, { reason: v.reason.trim() });
        navigate(paths.outreach);
      }}
    >
      <TextArea id="event-delete-reason" label={t('outreach:page.deleteReason')} hint={t('outreach:page.deleteHint')} rows={2} {...form.text('reason')} />
    </DisclosureForm>
  );
}
