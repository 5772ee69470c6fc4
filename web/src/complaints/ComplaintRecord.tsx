import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintView } from '../api/client.ts';
import { formatBytes, formatDate, formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Alert, NoteForm, useLang } from '../ui/index.tsx';
import { Details, ItemsSection, Section } from '../ui/Section.tsx';
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
  const hash: [string, ReactNode] = [t('complaints:complaint.contentHash'), <code className="hash">{c.content_sha256}</code>];
  return (
    <Section id="complaint-details" title={t('complaints:complaint.detailsSection')}>
      {/* Every value keeps the line breaks it was written with (the hash has none). */}
      <Details wrap rows={[[t('complaints:complaint.narrative'), c.narrative], ...reported.filter(([, value]) => value), hash]} />
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
        <Details rows={fields.filter(([k]) => c.contact?.[k]).map(([k, term]) => [term, c.contact?.[k]])} />
      )}
    </Section>
  );
}

export function ComplaintAttachments({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <ItemsSection id="complaint-attachments" title={t('complaints:complaint.attachments')} items={c.attachments} empty={t('complaints:complaint.noAttachments')}>
      {(attachments) => (
        <ul className="file-list">
          {attachments.map((a) => (
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
    </ItemsSection>
  );
}

/** The conversation with the complainant (through their receipt) and the form to write to them. */
export function ComplaintMessages({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <ItemsSection id="complaint-messages" title={t('complaints:complaint.messages')} items={c.messages} empty={t('complaints:complaint.noMessages')} after={<MessageForm c={c} />}>
      {(messages) => (
        <ol className="timeline">
          {messages.map((m) => (
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
    </ItemsSection>
  );
}

export function ComplaintNotes({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <ItemsSection
      id="complaint-notes"
      title={t('complaints:complaint.notes')}
      items={c.notes}
      empty={t('complaints:complaint.noNotes')}
      after={<NoteForm id="complaint-note" endpoint={`/api/v1/complaints/${c.id}/notes`} label={t('complaints:complaint.noteBody')} hint={t('complaints:complaint.noteHint')} saveLabel={t('complaints:complaint.addNote')} savedMessage={t('complaints:complaint.noteSaved')} />}
    >
      {(notes) => (
        <ul className="notes">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="prewrap">{n.body}</p>
              <p className="muted">
                {n.author?.display_name} · <time dateTime={n.created_at}>{formatDateTime(n.created_at, lang)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </ItemsSection>
  );
}

/** The packages sent to authorities, each downloadable and identified by its SHA-256. */
export function ComplaintTransmissions({ c }: { c: ComplaintView }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  return (
    <ItemsSection id="complaint-transmissions" title={t('complaints:complaint.transmissions')} items={c.transmissions} empty={t('complaints:complaint.noTransmissions')}>
      {(transmissions) => (
        <DataTable
          caption={t('complaints:complaint.transmissions')}
          rows={transmissions}
          rowKey={(tr) => tr.id}
          columns={[
            { header: t('complaints:complaint.sentAt'), cell: (tr) => formatDateTime(tr.sent_at, lang) },
            { header: t('complaints:complaint.toAuthority'), cell: (tr) => tr.to_authority },
            { header: t('complaints:complaint.means'), cell: (tr) => complaintLabel('transmissionMeans', tr.means, lang) },
            { header: t('complaints:complaint.reference'), cell: (tr) => tr.reference ?? '' },
            {
              header: t('complaints:complaint.packageSha'),
              cell: (tr) => (
                <>
                  <code className="hash">{tr.package_sha256}</code>
                  <br />
                  <a href={`/api/v1/complaints/${c.id}/transmissions/${tr.id}/package`} download={`${c.folio}-transmission.zip`}>
                    {t('complaints:complaint.downloadPackage', { authority: tr.to_authority })}
                  </a>
                </>
              ),
            },
          ]}
        />
      )}
    </ItemsSection>
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
      <DataTable
        caption={t('complaints:complaint.custody')}
        rows={c.custody}
        rowKey={(e) => e.seq}
        columns={[
          { header: t('complaints:complaint.seq'), cell: (e) => e.seq },
          { header: t('complaints:complaint.at'), cell: (e) => formatDateTime(e.at, lang) },
          { header: t('complaints:complaint.actor'), cell: (e) => t(`complaints:complaint.actorKinds.${e.actor_kind}`, { defaultValue: e.actor_kind }) },
          {
            header: t('complaints:complaint.action'),
            cell: (e) => (
              <>
                {t(`complaints:complaint.custodyActions.${e.action}`, { defaultValue: e.action })}
                {e.action === 'status_changed' && typeof e.detail.to === 'string' && ` → ${complaintLabel('complaintStatuses', e.detail.to, lang)}`}
              </>
            ),
          },
          {
            header: t('complaints:complaint.hash'),
            cell: (e) => (
              <code className="hash" title={e.hash}>
                {e.hash.slice(0, 16)}…
              </code>
            ),
          },
        ]}
      />
    </Section>
  );
}
