import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../api/client.ts';

/** A button that reveals a form below it; the form gets a way to close itself. */
export function Disclosure({ label: text, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = `panel-${text.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="disclosure">
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true" className="disclosure__icon">
          {open ? '−' : '+'}
        </span>{' '}
        {text}
      </button>
      <div id={panelId} hidden={!open} className="disclosure__panel">
        {open && children(() => setOpen(false))}
      </div>
    </div>
  );
}

/**
 * Why this user cannot change the case, in words (instead of a button that does nothing): a case
 * shared through a referral belongs to the institution that opened it; a role may only read.
 */
export function ReadOnlyNote({ c }: { c: CaseView }) {
  const { t } = useTranslation(['cases']);
  if (c.can_edit && c.view !== 'shared') return null;
  return <p className="hint read-only-note">{c.view === 'shared' ? t('cases:edit.sharedReadOnly', { institution: c.institution.name }) : t('cases:edit.roleReadOnly')}</p>;
}

/** Whether the signed-in user may change the case's own records (summary, services, notes, files). */
export const mayEdit = (c: CaseView) => c.can_edit && c.view !== 'shared';
