import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintView } from '../api/client.ts';
import { formatBytes, formatDate, formatDateTime } from '../ui/format.ts';
import { Alert, Empty, NoteForm, useLang } from '../ui/index.tsx';
import { Section } from '../ui/Section.tsx';
import { MessageForm } from './ComplaintActions.tsx';
import { complaintLabel, stateName } from './shared.tsx';

/** What was reported: the narrative, where and when, which authority, and the hash of the content as received. */
export function ComplaintDetails({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const detail = (key: string) => c.details[key];
  const reported: [string, ReactNode][] = [
    [t('complaints:complaint.occurredOn'), c.occurred_on ? formatDate(c.occurred_on, lang) : t('common.notStated')],
    [t('complaints:complaint.state'), stateName(c.state_code) || t('common.notStated')],
    [t('complaints:complaint.municipality'), detail('municipality') ?? c.municipality_code ?? t('common.notStated')],
    [t('complaints:complaint.placeType'), complaintLabel('placeTypes', c.place_type, lang)],
    [t('complaints:complaint.placeDescription'), detail('place_description')],
    [t('complaints:complaint.authorityType'), complaintLabel('authorityTypes', c.authority_type, lang)],
    [t('complaints:complaint.authorityName'), detail('authority_name')],
    [t('complaints:complaint.officialDescription'), detail('official_description')],
    [t('complaints:complaint.badgeNumber'), detail('badge_number')],
    [t('complaints:complaint.vehicleNumber'), detail('vehicle_number')],
  ];
  return (
    <Section id="complaint-details" title={t('complaints:complaint.detailsSection')}>
      <dl className="details">
        <div>
          <dt>{t('complaints:complaint.narrative')}</dt>
          <dd className="prewrap">{c.narrative}</dd>
        </div>
        {reported
          .filter(([, value]) => value)
          .map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd className="prewrap">{value}</dd>
            </div>
          ))}
        <div>
          <dt>{t('complaints:complaint.contentHash')}</dt>
          <dd>
            <code className="hash">{c.content_sha256}</code>
          </dd>
        </div>
      </dl>
    </Section>
  );
}

/** How to reach the complainant, or that they chose not to be reached. */
export function ComplaintContact({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const fields = [
    ['name', t('complaints:complaint.contactName')],
    ['phone', t('complaints:complaint.contactPhone')],
    ['email', t('complaints:complaint.contactEmail')],
    ['other', t('complaints:complaint.contactOther')],
  ] as const;
  return (
    <Section id="complaint-contact" title={t('complaints:complaint.contactSection')}>
      {c.anonymous ? (
        <p>{t('complaints:complaint.anonymous')}</p>
      ) : !c.contact || Object.values(c.contact).every((v) => !v) ? (
        <p>{t('complaints:complaint.noContact')}</p>
      ) : (
        <dl className="details">
          {fields
            .filter(([k]) => c.contact?.[k])
            .map(([k, term]) => (
              <div key={k}>
                <dt>{term}</dt>
                <dd>{c.contact?.[k]}</dd>
              </div>
            ))}
        </dl>
      )}
    </Section>
  );
}

export function ComplaintAttachments({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <Section id="complaint-attachments" title={t('complaints:complaint.attachments')} count={c.attachments.length}>
      {c.attachments.length === 0 ? (
        <Empty>{t('complaints:complaint.noAttachments')}</Empty>
      ) : (
        <ul className="file-list">
          {c.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/complaints/${c.id}/attachments/${a.id}`} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span className="muted">
                {a.media_type} · {formatBytes(a.size_bytes, lang)} · {formatDateTime(a.created_at, lang)}
                {a.metadata_removed && ` · ${t('complaints:complaint.metadataRemoved')}`}
                {a.message_id && ` · ${t('complaints:complaint.fromComplainantFile')}`}
              </span>
              <br />
              <code className="hash">SHA-256 {a.sha256}</code>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** The conversation with the complainant (through their receipt) and the form to write to them. */
export function ComplaintMessages({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <Section id="complaint-messages" title={t('complaints:complaint.messages')} count={c.messages.length}>
      {c.messages.length === 0 ? (
        <Empty>{t('complaints:complaint.noMessages')}</Empty>
      ) : (
        <ol className="timeline">
          {c.messages.map((m) => (
            <li key={m.id}>
              <p>
                <strong>{m.direction === 'to_complainant' ? t('complaints:complaint.toComplainant') : t('complaints:complaint.fromComplainant')}</strong>
                {m.is_question && (
                  <>
                    {' '}
                    <span className="badge badge--ref-pending">{t('complaints:complaint.question')}</span>
                  </>
                )}{' '}
                <span className="muted">
                  <time dateTime={m.created_at}>{formatDateTime(m.created_at, lang)}</time>
                  {m.author?.display_name && ` · ${m.author.display_name}`}
                </span>
              </p>
              <p className="prewrap">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <MessageForm c={c} />
    </Section>
  );
}

export function ComplaintNotes({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <Section id="complaint-notes" title={t('complaints:complaint.notes')} count={c.notes.length}>
      {c.notes.length === 0 ? (
        <Empty>{t('complaints:complaint.noNotes')}</Empty>
      ) : (
        <ul className="notes">
          {c.notes.map((n) => (
            <li key={n.id}>
              <p className="prewrap">{n.body}</p>
              <p className="muted">
                {n.author?.display_name} · <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
      <NoteForm id="complaint-note" endpoint={`/api/v1/complaints/${c.id}/notes`} label={t('complaints:complaint.noteBody')} hint={t('complaints:complaint.noteHint')} saveLabel={t('complaints:complaint.addNote')} savedMessage={t('complaints:complaint.noteSaved')} />
    </Section>
  );
}

/** The packages sent to authorities, each downloadable and identified by its SHA-256. */
export function ComplaintTransmissions({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <Section id="complaint-transmissions" title={t('complaints:complaint.transmissions')} count={c.transmissions.length}>
      {c.transmissions.length === 0 ? (
        <Empty>{t('complaints:complaint.noTransmissions')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table table--responsive">
            <caption className="visually-hidden">{t('complaints:complaint.transmissions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('complaints:complaint.sentAt')}</th>
                <th scope="col">{t('complaints:complaint.toAuthority')}</th>
                <th scope="col">{t('complaints:complaint.means')}</th>
                <th scope="col">{t('complaints:complaint.reference')}</th>
                <th scope="col">{t('complaints:complaint.packageSha')}</th>
              </tr>
            </thead>
            <tbody>
              {c.transmissions.map((tr) => (
                <tr key={tr.id}>
                  <td data-label={t('complaints:complaint.sentAt')}>{formatDateTime(tr.sent_at, lang)}</td>
                  <td data-label={t('complaints:complaint.toAuthority')}>{tr.to_authority}</td>
                  <td data-label={t('complaints:complaint.means')}>{complaintLabel('transmissionMeans', tr.means, lang)}</td>
                  <td data-label={t('complaints:complaint.reference')}>{tr.reference ?? ''}</td>
                  <td data-label={t('complaints:complaint.packageSha')}>
                    <code className="hash">{tr.package_sha256}</code>
                    <br />
                    <a href={`/api/v1/complaints/${c.id}/transmissions/${tr.id}/package`} download={`${c.folio}-transmission.zip`}>
                      {t('complaints:complaint.downloadPackage', { authority: tr.to_authority })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

/** The complaint's custody chain, and whether its hashes still link up. */
export function ComplaintCustody({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <Section id="complaint-custody" title={t('complaints:complaint.custody')} count={c.custody.length}>
      {c.custody_intact ? (
        <p>{t('complaints:complaint.custodyIntact')}</p>
      ) : (
        <Alert kind="error">
          <p>{t('complaints:complaint.custodyBroken')}</p>
        </Alert>
      )}
      <div className="table-wrap">
        <table className="table table--responsive">
          <caption className="visually-hidden">{t('complaints:complaint.custody')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('complaints:complaint.seq')}</th>
              <th scope="col">{t('complaints:complaint.at')}</th>
              <th scope="col">{t('complaints:complaint.actor')}</th>
              <th scope="col">{t('complaints:complaint.action')}</th>
              <th scope="col">{t('complaints:complaint.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {c.custody.map((e) => (
              <tr key={e.seq}>
                <td data-label={t('complaints:complaint.seq')}>{e.seq}</td>
                <td data-label={t('complaints:complaint.at')}>{formatDateTime(e.at, lang)}</td>
                <td data-label={t('complaints:complaint.actor')}>{t(`complaints:complaint.actorKinds.${e.actor_kind}`, { defaultValue: e.actor_kind })}</td>
                <td data-label={t('complaints:complaint.action')}>
                  {t(`complaints:complaint.custodyActions.${e.action}`, { defaultValue: e.action })}
                  {e.action === 'status_changed' && typeof e.detail.to === 'string' && ` → ${complaintLabel('complaintStatuses', e.detail.to, lang)}`}
                </td>
                <td data-label={t('complaints:complaint.hash')}>
                  <code className="hash" title={e.hash}>
                    {e.hash.slice(0, 16)}…
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
