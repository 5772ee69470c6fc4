import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, type ComplaintReceived } from '../api/client.ts';
import { formatDateTime } from '../ui/format.ts';
import { Alert, FormError, useAnnounce, useLang } from '../ui/index.tsx';
import { complaintLabel } from './shared.tsx';

/** Folio and receipt, large and grouped, for the operator to read back; then the acuse. */
export function ReceivedPanel({ received, onAnother }: { received: ComplaintReceived; onAnother: () => void }) {
  const { t } = useTranslation(['complaints']);
  const lang = useLang();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const [includeReceipt, setIncludeReceipt] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const pdf = await api.postForFile('/api/v1/complaints/acuse', { folio: received.folio, receipt: received.receipt, include_receipt: includeReceipt });
      const url = URL.createObjectURL(pdf);
      const link = document.createElement('a');
      link.href = url;
      link.download = `acuse-${received.folio}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce(t('complaints:complaintNew.acuseDownloaded'));
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const groups = (text: string, separator: RegExp) =>
    text
      .split(separator)
      .filter(Boolean)
      .flatMap((group, i) => [i > 0 ? ' ' : null, <span key={i}>{group}</span>]);
  const followUrl = `${window.location.origin}/quejas/seguimiento`;

  return (
    <section className="card section" aria-labelledby="complaint-received-title">
      <h2 id="complaint-received-title" tabIndex={-1} ref={heading}>
        {t('complaints:complaintNew.savedTitle')}
      </h2>
      <Alert kind="info">
        <p>
          <strong>{t('complaints:complaintNew.readBack')}</strong>
        </p>
      </Alert>
      <dl className="code-boxes">
        <div className="code-box">
          <dt>{t('complaints:complaintNew.folio')}</dt>
          <dd id="complaint-folio">{received.folio}</dd>
        </div>
        <div className="code-box code-box--secret">
          <dt>{t('complaints:complaintNew.receipt')}</dt>
          <dd id="complaint-receipt">{groups(received.receipt_formatted, /\s+/)}</dd>
        </div>
      </dl>
      <Alert kind="warning">
        <p>
          <strong>{t('complaints:complaintNew.receiptWarning')}</strong>
        </p>
      </Alert>
      <dl className="details received-facts">
        <div>
          <dt>{t('complaints:complaintNew.receivedAt')}</dt>
          <dd>{formatDateTime(received.received_at, lang)}</dd>
        </div>
        <div>
          <dt>{t('complaints:complaintNew.channelLabel')}</dt>
          <dd>{complaintLabel('complaintChannels', received.channel, lang)}</dd>
        </div>
        <div>
          <dt>{t('complaints:complaintNew.contentHash')}</dt>
          <dd>
            <code className="hash">{received.content_sha256}</code>
          </dd>
        </div>
      </dl>
      <p className="break-anywhere">{t('complaints:complaintNew.followUp', { url: followUrl })}</p>

      <h3>{t('complaints:complaintNew.acuseTitle')}</h3>
      <p>{t('complaints:complaintNew.acuseIntro')}</p>
      <FormError message={failure} />
      <label className="choice">
        <input type="checkbox" checked={includeReceipt} onChange={(e) => setIncludeReceipt(e.target.checked)} />
        <span>{t('complaints:complaintNew.acuseIncludeReceipt')}</span>
      </label>
      <div className="form-actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void download()}>
          {busy ? t('common.working') : t('complaints:complaintNew.acuseDownload')}
        </button>
      </div>

      <div className="form-actions form-actions--final">
        <p className="hint" id="complaint-another-hint">
          {t('complaints:complaintNew.anotherHint')}
        </p>
        <button type="button" className="button button--secondary" aria-describedby="complaint-another-hint" onClick={onAnother}>
          {t('complaints:complaintNew.another')}
        </button>
      </div>
    </section>
  );
}
