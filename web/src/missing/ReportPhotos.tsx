import { useTranslation } from 'react-i18next';
import { formatBytes, formatDateTime } from '../ui/format.ts';
import { Section } from '../ui/Section.tsx';
import { useLang } from '../ui/index.tsx';

export type ReportPhoto = { id: string; media_type: 'image/jpeg' | 'image/png'; size_bytes: number; metadata_removed: string[]; received_at: string };

/**
 * The photos a family attached to its report on the public page. Each is read from the server by
 * whoever may open the report, and every viewing is audited there; their metadata (GPS position,
 * camera) was removed when they arrived, and the caption says what was taken out.
 */
export function ReportPhotos({ reportId, photos }: { reportId: string; photos: ReportPhoto[] }) {
  const { t } = useTranslation(['missing']);
  const lang = useLang();
  if (!photos.length) return null;
  return (
    <Section id="photos" title={t('missing:photos.title')} count={photos.length}>
      <p className="muted">{t('missing:photos.lead')}</p>
      <ul className="photos">
        {photos.map((photo, i) => {
          const src = `/api/v1/missing/reports/${reportId}/photos/${photo.id}`;
          const n = i + 1;
          return (
            <li key={photo.id}>
              <figure>
                <a href={src} aria-label={t('missing:photos.open', { n })}>
                  <img src={src} alt={t('missing:photos.alt', { n })} />
                </a>
                <figcaption>
                  {t('missing:photos.caption', { n, type: photo.media_type === 'image/png' ? 'PNG' : 'JPEG', size: formatBytes(photo.size_bytes, lang), at: formatDateTime(photo.received_at, lang) })}
                  <br />
                  {photo.metadata_removed.length ? t('missing:photos.stripped', { what: photo.metadata_removed.join(', ') }) : t('missing:photos.nothingStripped')}
                </figcaption>
              </figure>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
