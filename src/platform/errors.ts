import type { MessageKey } from './i18n/messages.ts';
import type { AuditEntry } from './audit/audit.ts';

/**
 * A refusal the caller can act on. The code is stable (clients switch on it); the message is
 * translated at the edge, in the request's language.
 */
export class AppError extends Error {
  constructor(
    readonly code: MessageKey,
    readonly statusCode: number,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
  }
}

export const notFound = () => new AppError('not_found', 404);
export const forbidden = () => new AppError('forbidden', 403);
export const badRequest = (code: MessageKey, params?: Record<string, string | number>, details?: unknown) =>
  new AppError(code, 400, params, details);
export const conflict = (code: MessageKey = 'conflict') => new AppError(code, 409);

/** Validation issues with a path, for forms to place next to the right field. */
export type FieldIssue = { path: string; code: string; message: string };

export class RequestValidationError extends Error {
  constructor(readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly code: string }>) {
    super('validation_failed');
  }
}

/**
 * A record the actor may not see answers 404, as if it did not exist, and the attempt is audited.
 * The audit entry is written by the HTTP error handler, outside the request's transaction, which the
 * refusal rolls back.
 */
export class RecordNotVisible extends AppError {
  constructor(readonly audit: AuditEntry) {
    super('not_found', 404);
  }
}
