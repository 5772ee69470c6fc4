import type { ReactNode } from 'react';
import { FormError, useAnnounce, type Errors } from './index.tsx';

/** What these forms need of `useForm`'s answer. */
export type SubmittableForm<T> = { submit: (action: (values: T) => Promise<void>) => Promise<void>; reset: () => void; formError: string | null; shown: Errors; busy: boolean };

type ActionFormProps<T> = {
  form: SubmittableForm<T>;
  /** Sends the values; a refusal lands on the fields and in the error summary (useForm). */
  send: (values: T) => Promise<unknown>;
  submitLabel: string;
  /** Announced to screen readers (and shown) once the values were sent. */
  saved: string;
  /** Keep what was typed after sending (a form whose record goes away with it needs no emptying). */
  keep?: boolean;
  secondary?: boolean;
  className?: string;
  children: ReactNode;
};

/**
 * A form that records one thing: the error summary first, the fields, one submit button that shows
 * when it is working; after sending it announces what it did and empties itself.
 */
export function ActionForm<T>({ form, send, submitLabel, saved, keep = false, secondary = false, className = 'inline-form', children }: ActionFormProps<T>) {
  const announce = useAnnounce();
  return (
    <form
      noValidate
      className={className}
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(async (values) => {
          await send(values);
          if (!keep) form.reset();
          announce(saved);
        });
      }}
    >
      <FormError message={form.formError} errors={form.shown} />
      {children}
      <button type="submit" className={`button ${secondary ? 'button--secondary' : 'button--primary'}`} disabled={form.busy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** The same form folded away behind its summary ("Añadir medida"), open only when asked for. */
export function DisclosureForm<T>({ summary, ...props }: ActionFormProps<T> & { summary: string }) {
  return (
    <details className="disclosure">
      <summary>{summary}</summary>
      <ActionForm className="disclosure__panel" {...props} />
    </details>
  );
}
