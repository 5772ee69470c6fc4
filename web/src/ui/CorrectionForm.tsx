import type { ReactNode } from 'react';
import { api } from '../api/client.ts';
import { ActionForm, type SubmittableForm } from './DisclosureForm.tsx';
import { changedFields } from './format.ts';

/**
 * A correction of a record (a rescue or transfer, a programme point): sends only the fields that
 * changed, so that its history (CorrectionHistory) names exactly those, with the reason when one is
 * given; keeps what was typed, since the record stays on the screen, corrected.
 */
export function CorrectionForm<T extends { reason: string }>({
  form,
  path,
  fields,
  submitLabel,
  saved,
  children,
}: {
  form: SubmittableForm<T>;
  /** The record's address, sent a PATCH. */
  path: string;
  /** The corrected fields as the form's values would set them (`next`) and as the record holds them (`was`). */
  fields: (values: T) => { next: Record<string, unknown>; was: Record<string, unknown> };
  submitLabel: string;
  saved: string;
  children: ReactNode;
}) {
  const send = (values: T) => {
    const { next, was } = fields(values);
    const reason = values.reason.trim();
    return api.patch(path, { ...changedFields(next, was), ...(reason ? { reason } : {}) });
  };
  return (
    <ActionForm className="" form={form} keep send={send} submitLabel={submitLabel} saved={saved}>
      {children}
    </ActionForm>
  );
}
