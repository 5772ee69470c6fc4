import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type FormHTMLAttributes, type InputHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage, issuesByPath } from '../api/client.ts';
import type { Lang } from './format.ts';

export type Errors = Record<string, string | undefined>;

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'es';
}

// ---- Announcements (one polite live region for the whole app) ----

const AnnouncerContext = createContext<(message: string) => void>(() => {});
export const useAnnounce = () => useContext(AnnouncerContext);

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clearing first makes screen readers repeat an identical message.
    setMessage('');
    window.setTimeout(() => setMessage(text), 50);
  }, []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

// ---- Focus ----

/**
 * Moves focus once React has drawn what it points at: a closed form gives focus back to the button
 * that opened it, a refused one to its first wrong field. A timer only guessed at that moment, and
 * on a busy machine it ran before the button was back.
 */
export function useFocusAfterRender() {
  const pending = useRef<(() => HTMLElement | null | undefined) | null>(null);
  const [, rerender] = useState(0);
  useEffect(() => {
    const target = pending.current?.();
    if (!target) return;
    pending.current = null;
    target.focus();
  });
  return useCallback((find: () => HTMLElement | null | undefined) => {
    pending.current = find;
    rerender((n) => n + 1);
  }, []);
}

// ---- Input ----

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

// ---- Forms ----

/** The starting values of text fields that begin empty: `emptyFields('notes', 'route')`. */
export const emptyFields = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, ''])) as Record<K, string>;

/**
 * Form state with client-side validation that mirrors the server's rules. A field shows its error
 * once it has been left (or the form submitted), and then re-validates on every keystroke. Server
 * issues are placed on the field with the same path and cleared when that field changes.
 */
export function useForm<T extends Record<string, unknown>>(initial: T, validate: (values: T) => Errors) {
  const [values, setValues] = useState<T>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const focusAfterRender = useFocusAfterRender();
  const client = validate(values);

  const errorOf = (name: string): string | undefined => server[name] ?? (touched[name] || submitted ? client[name] : undefined);
  const set = <K extends keyof T>(name: K, value: T[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setServer((s) => {
      const { [name as string]: _dropped, ...rest } = s;
      return rest;
    });
  };
  const touch = (name: string) => setTouched((t) => (t[name] ? t : { ...t, [name]: true }));

  /** Props for a text-like input bound to a field. */
  const text = (name: keyof T & string) => ({
    name,
    value: (values[name] as string | undefined) ?? '',
    onChange: (value: string) => set(name, value as T[typeof name]),
    onBlur: () => touch(name),
    error: errorOf(name),
  });

  const focusFirstError = (errors: Errors) => {
    const first = Object.keys(errors).find((k) => errors[k]);
    if (!first) return;
    focusAfterRender(() => document.querySelector<HTMLElement>(`[data-field="${CSS.escape(first)}"]`) ?? document.getElementById(fieldId(first)));
  };

  /** Runs `action` when the client-side rules pass; maps a server refusal onto the fields. */
  const submit = async (action: (values: T) => Promise<void>) => {
    setSubmitted(true);
    setFormError(null);
    const errors = Object.fromEntries(Object.entries(validate(values)).filter(([, v]) => v));
    if (Object.keys(errors).length) {
      setFormError('__client__');
      focusFirstError(errors);
      return;
    }
    setBusy(true);
    try {
      await action(values);
      setSubmitted(false);
      setTouched({});
    } catch (error) {
      const byPath = issuesByPath(error);
      setServer(byPath);
      setFormError(errorMessage(error));
      if (Object.keys(byPath).length) focusFirstError(byPath);
    } finally {
      setBusy(false);
    }
  };

  const reset = (next: T = initial) => {
    setValues(next);
    setTouched({});
    setSubmitted(false);
    setServer({});
    setFormError(null);
  };

  /** What the error summary lists after a refused submit: every field showing an error. */
  const shown: Errors = Object.fromEntries([...new Set([...Object.keys(client), ...Object.keys(server)])].map((name) => [name, errorOf(name)]).filter(([, message]) => message));
  return { values, set, setValues, touch, errorOf, text, submit, busy, formError, setFormError, reset, hasErrors: Object.values(client).some(Boolean), server, setServer, shown };
}

export const fieldId = (name: string, scope = '') => `f-${scope}${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

type FieldBase = { id: string; label: ReactNode; error?: string | undefined; hint?: ReactNode; required?: boolean; className?: string };

function describedBy(id: string, error?: string, hint?: ReactNode) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** What every text-like control carries: its name for the error summary, its value, and its state for screen readers. */
function controlProps({ id, name, error, hint, required, value, onChange, onBlur }: { id: string; name?: string | undefined; error?: string | undefined; hint?: ReactNode; required?: boolean | undefined; value: string; onChange: (value: string) => void; onBlur?: (() => void) | undefined }) {
  return {
    id,
    name,
    'data-field': name,
    value,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    onBlur,
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy(id, error, hint),
  };
}

/** A field's control between its hint and its error, each with the id that `describedBy` points at. */
function FieldNotes({ id, hint, error, children }: { id: string; hint?: ReactNode; error?: string | undefined; children: ReactNode }) {
  return (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

function FieldFrame({ id, label, error, hint, required, className, children }: FieldBase & { children: ReactNode }) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <RequiredMark />}
      </label>
      <FieldNotes id={id} hint={hint} error={error}>
        {children}
      </FieldNotes>
    </div>
  );
}

/** The asterisk is visual only: the control itself carries aria-required, which screen readers announce. */
export function RequiredMark() {
  const { t } = useTranslation();
  return (
    <span className="required" aria-hidden="true" title={t('form.required')}>
      {' '}
      *
    </span>
  );
}

type TextFieldProps = FieldBase & {
  name?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'onBlur' | 'value' | 'id' | 'name'>;

export function TextField({ id, label, error, hint, required, className, value, onChange, onBlur, name, ...rest }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required} className={className}>
      <input {...controlProps({ id, name, error, hint, required, value, onChange, onBlur })} {...rest} />
    </FieldFrame>
  );
}

export function TextArea({ id, label, error, hint, required, className, value, onChange, onBlur, name, rows = 4 }: FieldBase & { name?: string; value: string; onChange: (v: string) => void; onBlur?: () => void; rows?: number }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required} className={className}>
      <textarea rows={rows} {...controlProps({ id, name, error, hint, required, value, onChange, onBlur })} />
    </FieldFrame>
  );
}

export function SelectField({
  id,
  label,
  error,
  hint,
  required,
  className,
  value,
  onChange,
  onBlur,
  name,
  options,
  placeholder,
}: FieldBase & { name?: string; value: string; onChange: (v: string) => void; onBlur?: () => void; options: [string, string][]; placeholder?: string }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required} className={className}>
      <select {...controlProps({ id, name, error, hint, required, value, onChange, onBlur })}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A file to send; `onFile` receives it (or null when the choice is emptied). Give it a new `key` to empty it. */
export function FileField({ id, name, label, hint, required, error, accept, onFile }: FieldBase & { name: string; accept: string; onFile: (file: File | null) => void }) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      <input
        id={id}
        data-field={name}
        type="file"
        accept={accept}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(e) => onFile(e.target.files?.[0] ?? null)}
      />
    </FieldFrame>
  );
}

/** A group of checkboxes in a fieldset; the legend names the group. */
export function CheckboxGroup({
  id,
  legend,
  options,
  value,
  onChange,
  error,
  hint,
  required,
  columns = true,
  name,
}: {
  id: string;
  legend: ReactNode;
  options: [string, string][];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  columns?: boolean;
  name?: string;
}) {
  const toggle = (key: string, on: boolean) => onChange(on ? [...value, key] : value.filter((k) => k !== key));
  return (
    <ChoiceFieldset id={id} kind="checkbox-group" legend={legend} error={error} hint={hint} required={required}>
      <div className={columns ? 'choices choices--columns' : 'choices'}>
        {options.map(([key, text], index) => (
          <label key={key} className="choice">
            <input type="checkbox" data-field={index === 0 ? name : undefined} checked={value.includes(key)} onChange={(e) => toggle(key, e.target.checked)} />
            <span>{text}</span>
          </label>
        ))}
      </div>
    </ChoiceFieldset>
  );
}

/** A group of checkboxes or radio buttons: legend (with the required mark), hint and error around them. */
function ChoiceFieldset({ id, kind, legend, error, hint, required, children }: { id: string; kind: 'checkbox-group' | 'radio-group'; legend: ReactNode; error?: string | undefined; hint?: ReactNode; required?: boolean | undefined; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <fieldset className={`field ${kind}${error ? ' field--invalid' : ''}`} aria-describedby={describedBy(id, error, hint)} id={id}>
      <legend>
        {legend}
        {required && (
          <>
            <RequiredMark />
            <span className="visually-hidden"> ({t('form.required')})</span>
          </>
        )}
      </legend>
      <FieldNotes id={id} hint={hint} error={error}>
        {children}
      </FieldNotes>
    </fieldset>
  );
}

/** Radio buttons; `dataField` marks the first one as the field the error summary focuses. */
export function RadioGroup({
  id,
  legend,
  options,
  value,
  onChange,
  onBlur,
  name,
  error,
  hint,
  required,
  dataField,
}: {
  id: string;
  legend: ReactNode;
  options: [string, string][];
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  dataField?: string;
}) {
  return (
    <ChoiceFieldset id={id} kind="radio-group" legend={legend} error={error} hint={hint} required={required}>
      <div className="choices">
        {options.map(([key, text], index) => (
          <label key={key} className="choice">
            <input type="radio" id={`${id}-${key}`} name={name} value={key} data-field={index === 0 ? dataField : undefined} checked={value === key} onChange={() => onChange(key)} onBlur={onBlur} />
            <span>{text}</span>
          </label>
        ))}
      </div>
    </ChoiceFieldset>
  );
}

type SummaryItem = { field: string; id: string; text: string };

/** The visible name of a field: its label, or the legend of its group, without the required mark. */
function fieldName(element: HTMLElement): string {
  const holder = (element.id && document.querySelector<HTMLElement>(`label[for="${CSS.escape(element.id)}"]`)) || element.closest('fieldset')?.querySelector<HTMLElement>('legend');
  if (!holder) return element.getAttribute('aria-label') ?? '';
  const copy = holder.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('.required, .visually-hidden').forEach((node) => node.remove());
  return copy.textContent?.trim() ?? '';
}

/**
 * The form-level outcome: a refusal (role=alert) with the server's translated message, then one link
 * per field to correct, named by the field's own label, in the order of the form; a link moves focus
 * to its field.
 */
export function FormError({ message, errors = {} }: { message: string | null; errors?: Errors }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<SummaryItem[]>([]);
  const key = message ? JSON.stringify(errors) : '';
  useLayoutEffect(() => {
    const found = Object.entries(errors).flatMap(([field, text]) => {
      const element = text ? document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`) : null;
      return element ? [{ element, field, text: `${fieldName(element)}: ${text}` }] : [];
    });
    found.sort((a, b) => (a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    setItems(found.map(({ element, field, text }) => ({ field, text, id: element.id })));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!message) return null;
  const go = (event: MouseEvent<HTMLAnchorElement>, field: string) => {
    event.preventDefault();
    document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`)?.focus();
  };
  return (
    <div className="alert alert--error error-summary" role="alert">
      <p>{message === '__client__' ? t('form.fixErrors') : message}</p>
      {items.length > 0 ? (
        <ul>
          {items.map((item) => (
            <li key={item.field}>
              <a href={item.id ? `#${item.id}` : '#'} onClick={(e) => go(e, item.field)}>
                {item.text}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        message !== '__client__' && <p className="alert__more">{t('form.checkFields')}</p>
      )}
    </div>
  );
}


export function Alert({ kind = 'info', children, role }: { kind?: 'info' | 'success' | 'error' | 'warning'; children: ReactNode; role?: 'alert' | 'status' }) {
  return (
    <div className={`alert alert--${kind}`} role={role}>
      {children}
    </div>
  );
}

/** The page's h1; it takes focus after navigation so that screen-reader users land on the new page. */
export function PageTitle({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.body.dataset.navigated === '1') ref.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    if (typeof children === 'string') document.title = `${children} · Amparo`;
  }, [children]);
  return (
    <div className="page-title">
      <h1 tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {lead && <p className="lead">{lead}</p>}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  );
}

export function LoadError({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert--error" role="alert">
      <p>{error instanceof ApiError ? error.message : errorMessage(error)}</p>
      {retry && (
        <button type="button" className="button button--secondary" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Previous / next through a list the server pages; `go` receives the new offset. */
export function Pager({ offset, pageSize, total, go }: { offset: number; pageSize: number; total: number; go: (offset: number) => void }) {
  const { t } = useTranslation();
  if (total <= pageSize) return null;
  return (
    <nav className="pager" aria-label={t('common.pagination')}>
      <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => go(Math.max(0, offset - pageSize))}>
        {t('common.previous')}
      </button>
      <span>{t('common.pageOf', { page: Math.floor(offset / pageSize) + 1, pages: Math.ceil(total / pageSize) })}</span>
      <button type="button" className="button button--secondary" disabled={offset + pageSize >= total} onClick={() => go(offset + pageSize)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/**
 * A form checked by `useForm`: the error summary first, then the fields; on submit `onValid` runs with
 * the values when the client rules pass (a server refusal lands on the fields). `onStart` runs on every
 * submit, before the rules are checked (to hide an earlier outcome, or to keep the event from an outer form).
 */
export function ValidatedForm<T extends Record<string, unknown>>({
  form,
  onValid,
  onStart,
  title,
  children,
  ...attributes
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'title' | 'children' | 'noValidate'> & {
  form: Pick<ReturnType<typeof useForm<T>>, 'submit' | 'formError' | 'shown'>;
  onValid: (values: T) => Promise<void>;
  onStart?: (event: FormEvent<HTMLFormElement>) => void;
  /** A heading (and what introduces the form) above the error summary. */
  title?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form
      noValidate
      {...attributes}
      onSubmit={(e) => {
        e.preventDefault();
        onStart?.(e);
        void form.submit(onValid);
      }}
    >
      {title}
      <FormError message={form.formError} errors={form.shown} />
      {children}
    </form>
  );
}

/** A small button acting on one row of a list; `name` is what screen readers hear (the action and its row). */
export function RowButton({ label, name, ghost, onClick }: { label: string; name?: string; ghost?: boolean; onClick: () => void }) {
  return (
    <button type="button" className={`button ${ghost ? 'button--ghost' : 'button--secondary'} button--small`} aria-label={name} onClick={onClick}>
      {label}
    </button>
  );
}

/** The primary button of a form, disabled while the form is being sent (`working`: and saying so). */
export function SubmitButton({ busy, working, disabled, block, danger, children }: { busy: boolean; working?: boolean; disabled?: boolean; block?: boolean; danger?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className={`button ${danger ? 'button--danger' : 'button--primary'}${block ? ' button--block' : ''}`} disabled={busy || disabled}>
      {busy && working ? t('common.working') : children}
    </button>
  );
}

/** A form's closing row when its only action is to submit (`final`: the end of a long form, set apart). */
export function FormSubmit({ final, ...button }: Parameters<typeof SubmitButton>[0] & { final?: boolean }) {
  return (
    <div className={final ? 'form-actions form-actions--final' : 'form-actions'}>
      <SubmitButton {...button} />
    </div>
  );
}

const bodyRule = (t: (key: string, options?: Record<string, unknown>) => string) => (v: { body: string }) => ({
  body: !v.body.trim() ? t('validation.required') : v.body.length > 10_000 ? t('validation.maxLength', { max: 10_000 }) : undefined,
});

/**
 * A one-field form for a text to add to a record (a note on a case or a complaint, a message to the
 * complainant): `send` receives the trimmed text; then the field empties and `savedMessage` is announced.
 * `children` go between the text and the button (a choice that travels with the text).
 */
export function TextEntryForm({ id, label, hint, saveLabel, savedMessage, send, children }: { id: string; label: string; hint: string; saveLabel: string; savedMessage: string; send: (body: string) => Promise<void>; children?: ReactNode }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const form = useForm({ body: '' }, bodyRule(t));
  return (
    <ValidatedForm
      form={form}
      className="inline-form"
      onValid={async (v) => {
        await send(v.body.trim());
        form.reset({ body: '' });
        announce(savedMessage);
      }}
    >
      <TextArea id={id} label={label} hint={hint} rows={3} {...form.text('body')} />
      {children}
      <SubmitButton busy={form.busy}>{saveLabel}</SubmitButton>
    </ValidatedForm>
  );
}

/** A note on a record: posts `{ body }` to `endpoint`. */
export function NoteForm({ endpoint, ...rest }: { id: string; endpoint: string; label: string; hint: string; saveLabel: string; savedMessage: string }) {
  return <TextEntryForm {...rest} send={async (body) => void (await api.post(endpoint, { body }))} />;
}

/**
 * The end of a form that edits something in place: save and cancel. `showWorking` says "working" on the
 * button while the form is sent; `danger` for a save that takes something away.
 */
export function SaveOrCancel({ busy, saveLabel, onCancel, cancelLabel, showWorking = true, danger }: { busy: boolean; saveLabel: string; onCancel: () => void; cancelLabel?: string; showWorking?: boolean; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <SubmitButton busy={busy} working={showWorking} danger={danger}>
        {saveLabel}
      </SubmitButton>
      <button type="button" className="button button--secondary" onClick={onCancel}>
        {cancelLabel ?? t('common.cancel')}
      </button>
    </div>
  );
}
