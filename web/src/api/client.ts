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
  ) {
    super(message);
  }
}

let csrfToken = '';
let language: 'es' | 'en' = 'es';
let onUnauthenticated: (() => void) | null = null;

export const setCsrfToken = (token: string) => (csrfToken = token);
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
    const error = (payload && typeof payload === 'object' ? payload : {}) as { code?: string; message?: string; issues?: Issue[] };
    if (response.status === 401 && error.code === 'unauthenticated' && onUnauthenticated) onUnauthenticated();
    throw new ApiError(response.status, error.code ?? 'error', error.message ?? String(response.status), error.issues ?? []);
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

// ---- Shapes returned by the API (the parts the app uses) ----

export type Role = 'administrator' | 'supervisor' | 'caseworker' | 'analyst' | 'auditor' | 'complaint_handler' | 'search_officer';
export type SessionState = 'active' | 'mfa_required' | 'mfa_enrolment_required';
export type Session = {
  user: { id: string; email: string; display_name: string; preferred_language: 'es' | 'en'; is_platform_admin: boolean; totp_enabled: boolean };
  institution: { id: string; code: string; name: string; type: string };
  role: Role;
  memberships: { institution_id: string; institution_name: string; role: string }[];
  state: SessionState;
  capabilities: Capability[];
  csrf_token: string;
};
export type Capability = string;
export type UserRef = { id: string; display_name: string } | null;
export type Page<T> = { items: T[]; total: number; limit: number; offset: number };
export type CaseListItem = { id: string; folio: string; programme: string; status: string; opened_on: string; closed_on: string | null; assigned_to: UserRef; participant_count: number };
export type PersonSummary = { id: string; given_names: string; surname1: string | null; surname2: string | null; sex: string; date_of_birth: string | null; estimated_age: number | null; nationalities: string[] };
export type PersonMatch = PersonSummary & { score: number; reasons: string[] };
export type Referral = {
  id: string;
  case_id: string;
  case_folio: string;
  from_institution: { id: string; name: string };
  to_institution: { id: string; name: string };
  reason: string;
  consent_recorded_on: string;
  consent_method: string;
  shared_sections: string[];
  status: string;
  response_note: string | null;
  responded_at: string | null;
  receiving_case_id: string | null;
  created_at: string;
};
export type CaseView = {
  id: string;
  institution: { id: string; name: string; code: string };
  folio: string;
  programme: string;
  status: string;
  closure_reason: string | null;
  opened_on: string;
  closed_on: string | null;
  assigned_to: UserRef;
  summary: string | null;
  crime_types: string[];
  rights_violations: string[];
  origin_referral_id: string | null;
  view: 'full' | 'shared';
  shared_sections: string[];
  can_edit: boolean;
  participants: { id: string; role: string; relationship: string | null; person: PersonSummary }[];
  services: { id: string; person_id: string; service_type: string; provided_on: string; provider_unit: string | null; notes: string | null; created_at: string }[];
  notes: { id: string; body: string; author: UserRef; created_at: string }[];
  attachments: { id: string; filename: string; media_type: string; size_bytes: number; sha256: string; created_at: string }[];
  referrals: Referral[];
  timeline: { at: string; kind: string; actor: UserRef; data: Record<string, unknown> }[];
};
export type PersonView = PersonSummary & {
  other_names: string[];
  gender_identity: string | null;
  age_estimated_on: string | null;
  country_of_birth: string | null;
  languages: string[];
  disabilities: string[];
  vulnerabilities: string[];
  documents: { type: string; number: string; issuer?: string }[];
  contact: { phone?: string; email?: string; address?: string; notes?: string } | null;
  location_country: string | null;
  location_state: string | null;
  details_restricted: boolean;
  /** Set when the record was merged into another (the record kept). */
  merged_into: string | null;
  cases: { id: string; folio: string; programme: string; status: string; opened_on: string; role: string }[];
};
export type Dashboard = {
  scope: 'institution' | 'own';
  cases_by_status: Record<string, number>;
  cases_by_programme: Record<string, number>;
  services_this_month: number;
  pending_incoming_referrals: number;
  my_open_cases: { id: string; folio: string; programme: string; status: string; opened_on: string; last_service_on: string | null }[];
  tasks: { kind: 'case_without_recent_service' | 'referral_to_answer'; record_id: string; folio: string; since: string }[];
};
export type UserItem = { id: string; display_name: string; role: string; email: string | null; disabled: boolean; locked: boolean };
export type Institution = { id: string; code: string; name: string; type: string; require_mfa: boolean; state_code: string | null };
export type AuditEntry = { id: number; at: string; actor: UserRef; action: string; record_type: string; record_id: string | null; ip: string | null; detail: Record<string, unknown> };

// ---- Complaints (the handler's view; dates arrive as ISO strings) ----

export type ComplaintInboxItem = {
  id: string;
  folio: string;
  kind: string;
  channel: string;
  status: string;
  received_at: string;
  status_changed_at: string;
  due_at: string | null;
  overdue: boolean;
  state_code: string | null;
  authority_type: string;
  anonymous: boolean;
  assigned_to: UserRef;
  unanswered_messages: number;
  legal_hold: boolean;
};
/** key_access `pending`: a colleague must open the inbox first; `sign_in_again`: this session holds no key pair. */
export type ComplaintInbox = Page<ComplaintInboxItem> & { overdue_total: number; key_access: 'granted' | 'pending' | 'sign_in_again' };
export type ComplaintView = {
  id: string;
  folio: string;
  institution: { id: string; code: string; name: string };
  kind: string;
  channel: string;
  status: string;
  status_changed_at: string;
  due_at: string | null;
  overdue: boolean;
  not_admitted_reason: string | null;
  outcome: string | null;
  anonymous: boolean;
  language: string;
  received_at: string;
  occurred_on: string | null;
  state_code: string | null;
  municipality_code: string | null;
  place_type: string;
  authority_type: string;
  narrative: string;
  details: Record<string, string>;
  contact: { name?: string; phone?: string; email?: string; other?: string } | null;
  content_sha256: string;
  assigned_to: UserRef;
  recorded_by: UserRef;
  legal_hold: boolean;
  legal_hold_reason: string | null;
  messages: { id: string; direction: string; is_question: boolean; body: string; author: UserRef; created_at: string }[];
  notes: { id: string; body: string; author: UserRef; created_at: string }[];
  attachments: { id: string; message_id: string | null; source: string; filename: string; media_type: string; size_bytes: number; sha256: string; metadata_removed: boolean; created_at: string }[];
  transmissions: { id: string; to_authority: string; means: string; reference: string | null; sent_at: string; package_sha256: string }[];
  custody: { seq: number; at: string; actor_kind: string; actor_user_id: string | null; action: string; detail: Record<string, unknown>; prev_hash: string; hash: string }[];
  custody_intact: boolean;
};
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
