import { errorStatus, httpStatus, type ErrorCode } from '../errors.ts';

/**
 * What a PostgreSQL (or driver) error means for the caller, by SQLSTATE class. Data errors (class 22:
 * a NUL byte, a malformed number, a value too long or out of range) and integrity violations (class 23)
 * are the request's fault and answer 4xx; an unavailable, overloaded or slow database answers 503, so
 * that clients retry instead of reporting a bug. Anything else is the server's fault: 500, logged.
 */
export type PgErrorAnswer = { status: number; code: ErrorCode };

/** The status comes from the one table of error codes (src/platform/errors.ts). */
const answer = (code: ErrorCode): PgErrorAnswer => ({ status: httpStatus(code), code });

const UNAVAILABLE_DRIVER_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
/** node-postgres says these without a code: the pool timed out, or the server went away mid-query. */
const UNAVAILABLE_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /Query read timeout/i, /Client has encountered a connection error/i];

export function pgErrorAnswer(error: { code?: unknown; message?: unknown }): PgErrorAnswer | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (UNAVAILABLE_DRIVER_CODES.has(code)) return answer('database_unavailable');
  if (/^[0-9A-Z]{5}$/.test(code)) {
    // A rule enforced by the database itself (a trigger) names the error code it stands for.
    const rule = code === 'P0001' && typeof error.message === 'string' ? /^amparo:([a-z_]+)$/.exec(error.message)?.[1] : undefined;
    if (rule && Object.hasOwn(errorStatus, rule)) return answer(rule as ErrorCode);
    if (code === '23505' || code === '23P01') return answer('conflict');
    // Data exceptions and integrity violations (not null, foreign key, check): bad input.
    if (code.startsWith('22') || code.startsWith('23')) return answer('validation_failed');
    // Serialisation failures and deadlocks: a retry succeeds.
    if (code === '40001' || code === '40P01') return answer('busy');
    // Connection exceptions (08), insufficient resources (53), operator intervention (57: shutdown,
    // statement timeout), lock not available (55P03), idle-in-transaction timeout (25P03).
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57') || code === '55P03' || code === '25P03') {
      return answer('database_unavailable');
    }
    return null;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return answer('database_unavailable');
  return null;
}
