import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../ui/format.ts';
import { useLang } from '../ui/index.tsx';
import type { Event } from './parts.tsx';

/** A record's history in words. */

/** An event of a record's history in words (the kinds written by missing.service.ts and review.service.ts). */
function eventText(e: Event, t: (k: string, o?: Record<string, unknown>) => string): string {
  const d = e.detail ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  const folio = str('found_folio') || str('report_folio');
  switch (e.kind) {
    case 'report.created':
      return t('missing:event.report_created', { channel: t(`missing:channel.${str('channel')}`, { defaultValue: str('channel') }) });
    case 'found.created':
      return t('missing:event.found_created', { condition: t(`missing:condition.${str('condition')}`, { defaultValue: str('condition') }) });
    case 'message.sent':
      return t('missing:event.message_sent');
    case 'message.received':
      return t('missing:event.message_received');
    case 'status.changed':
      return t('missing:event.status_changed', { from: t(`missing:status.${str('from')}`, { defaultValue: str('from') }), to: t(`missing:status.${str('to')}`, { defaultValue: str('to') }) });
    case 'candidate.rejected':
      return d.person ? t('missing:event.candidate_rejected_person') : t('missing:event.candidate_rejected', { folio });
    case 'located':
      return d.person_id ? t('missing:event.located_person', { status: t(`missing:status.${str('status')}`) }) : t('missing:event.located', { status: t(`missing:status.${str('status')}`), folio });
    case 'identified':
      return t('missing:event.identified', { folio });
    default:
      return e.kind;
  }
}

export function History({ events }: { events: Event[] }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  return (
    <section aria-labelledby="history" className="section">
      <h2 id="history">{t('missing:field.events')}</h2>
      <ol className="timeline">
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time> · {eventText(e, t)}
          </li>
        ))}
      </ol>
    </section>
  );
}
