import type { paths } from './openapi.d.ts';

/**
 * The API client: session cookie (sent by the browser), CSRF header on every write, and the UI's
 * language on every request so that error messages come back already translated.
 */
export type Issue = { path: string; code: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    /** What the server adds to some refusals (e.g. the problems of a screening instrument's definition). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken = '';
let language: 'es' | 'en' = 'es';
let onUnauthenticated: (() => void) | null = null;

export const setCsrfToken = (token: string) => (csrfToken = token);
/** Whether writes can be sent: a page opened offline has no token until it reaches the server. */
export const hasCsrfToken = () => csrfToken !== '';
export const setApiLanguage = (lang: 'es' | 'en') => (language = lang);
/** The language answers come in (server messages and labels are translated). */
export const apiLanguage = () => language;

export const setUnauthenticatedHandler = (handler: (() => void) | null) => (onUnauthenticated = handler);
let onWritten: (path: string) => Promise<unknown> = async () => undefined;
/** Called after every successful write with its path; the query cache refreshes what it affected (queries.ts). */
export const setWriteHandler = (handler: (path: string) => Promise<unknown>) => (onWritten = handler);

export type Query = Record<string, string | number | undefined | null | false>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const raw = body instanceof Blob || body instanceof ArrayBuffer;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': language,
        ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
        ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? (body as BodyInit) : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', language === 'es' ? 'No hay conexión con el servidor. Revise su red e intente de nuevo.' : 'Cannot reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (payload && typeof payload === 'object' ? payload : {}) as { code?: string; message?: string; issues?: Issue[]; details?: unknown };
    if (response.status === 401 && error.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated();
    throw new ApiError(response.status, error.code ?? 'error', error.message ?? String(response.status), error.issues ?? [], error.details);
  }
  return payload as T;
}

/** A POST whose answer is a file (a PDF, a ZIP): the bytes as a Blob, or the API's error as an ApiError. */
async function requestFile(path: string, body: unknown): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: '*/*', 'accept-language': language, 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', language === 'es' ? 'No hay conexión con el servidor. Revise su red e intente de nuevo.' : 'Cannot reach the server. Check your connection and try again.');
  }
  if (response.ok) return response.blob();
  const error = ((response.headers.get('content-type') ?? '').includes('application/json') ? await response.json() : {}) as { code?: string; message?: string; issues?: Issue[] };
  if (response.status === 401 && error.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated();
  throw new ApiError(response.status, error.code ?? 'error', error.message ?? String(response.status), error.issues ?? []);
}

async function write<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const result = await request<T>(method, path, body, headers);
  await onWritten(path);
  return result;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body: unknown = {}) => write<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => write<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => write<T>('PUT', path, body),
  /** A POST with headers of its own (an offline write's Idempotency-Key, web/src/offline/sync.ts). */
  postWithHeaders: <T>(path: string, body: unknown, headers: Record<string, string>) => write<T>('POST', path, body, headers),
  delete: <T>(path: string) => write<T>('DELETE', path, undefined),
  upload: <T>(path: string, file: Blob, contentType: string) => write<T>('POST', path, file, { 'content-type': contentType }),
  /** A POST that only produces a document (an acuse, a report): nothing to refresh. */
  postForFile: (path: string, body: unknown) => requestFile(path, body),
};

/** Issues keyed by their path ("date_of_birth", "participants.0.person_id"); the first one per path wins. */
export function issuesByPath(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const issue of error.issues) if (!(issue.path in out)) out[issue.path] = issue.message;
  return out;
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// ---- Shapes returned by the API: generated from the server's OpenAPI document (openapi.d.ts) ----

/** The JSON body of a path's 200 answer to `method`, as the server declares it. */
export type ApiAnswer<P extends keyof paths, M extends 'get' | 'post' | 'patch' = 'get'> = paths[P] extends Record<M, { responses: { 200: { content: { 'application/json': infer Body } } } }> ? Body : never;

export type Session = ApiAnswer<'/api/v1/auth/session'>;
export type Capability = Session['capabilities'][number];
export type SessionState = Session['state'];
export type Role = 'administrator' | 'supervisor' | 'caseworker' | 'analyst' | 'auditor' | 'complaint_handler' | 'search_officer' | 'child_protection_officer' | 'directory_editor';
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };
export type CaseView = ApiAnswer<'/api/v1/cases/{id}'>;
export type CaseListItem = ApiAnswer<'/api/v1/cases'>['items'][number];
export type PersonView = ApiAnswer<'/api/v1/people/{id}'>;
export type Dashboard = ApiAnswer<'/api/v1/dashboard'>;
export type Referral = ApiAnswer<'/api/v1/referrals'>['items'][number];
export type UserItem = ApiAnswer<'/api/v1/users'>['items'][number];
export type Institution = ApiAnswer<'/api/v1/institutions'>['items'][number];
export type AuditEntry = ApiAnswer<'/api/v1/audit'>['items'][number];
export type ComplaintInbox = ApiAnswer<'/api/v1/complaints'>;
export type ComplaintInboxItem = ComplaintInbox['items'][number];
export type ComplaintView = ApiAnswer<'/api/v1/complaints/{id}'>;

// ---- Shapes not yet generated (their routes answer files or several shapes) ----

export type UserRef = { id: string; display_name: string } | null;
export type PersonSummary = { id: string; given_names: string; surname1: string | null; surname2: string | null; sex: string; date_of_birth: string | null; estimated_age: number | null; nationalities: string[] };
export type PersonMatch = PersonSummary & { score: number; reasons: string[] };

// ---- Complaints (the handler's view; dates arrive as ISO strings) ----

export type ComplaintTransmission = { id: string; sent_at: string; package_sha256: string; folio: string };
/** What the operator endpoint answers once: the receipt is never shown again. */
export type ComplaintReceived = {
  id: string;
  folio: string;
  receipt: string;
  receipt_formatted: string;
  received_at: string;
  channel: string;
  content_sha256: string;
  attachments: { filename: string; media_type: string; size_bytes: number; sha256: string; metadata_removed: string[] | null }[];
};
export type ComplaintUnit = { id: string; code: string; name: string };
