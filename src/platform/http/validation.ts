import type { FastifySchemaCompiler } from 'fastify';
import { z, type ZodType } from 'zod';
import { RequestValidationError, type FieldIssue } from '../errors.ts';
import { translate, type Language } from '../i18n/messages.ts';

/**
 * Validates with zod and keeps the raw issues, so that the error handler can word them in the
 * request's language (fastify compiles validators once, before any request language is known).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => (data) => {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data };
  return { error: new RequestValidationError(result.error.issues) };
};

const localeErrors = { es: z.locales.es().localeError, en: z.locales.en().localeError };

/**
 * Each issue in words of the request's language: zod's own wording, except for a text that does not
 * match a pattern, where zod would show the regular expression itself (`/^[A-Z0-9-]{3,30}$/`), which
 * says nothing to the person filling the form; the field the issue points at says which text.
 */
export function describeIssues(issues: RequestValidationError['issues'], language: Language): FieldIssue[] {
  return issues.slice(0, 50).map((issue) => {
    if (issue.code === 'invalid_format' && (issue as { format?: string }).format === 'regex') return { path: issue.path.map(String).join('.'), code: issue.code, message: translate(language, 'format_invalid') };
    const worded = localeErrors[language](issue as z.core.$ZodRawIssue);
    const message = typeof worded === 'string' ? worded : (worded?.message ?? issue.code);
    return { path: issue.path.map(String).join('.'), code: issue.code, message };
  });
}
