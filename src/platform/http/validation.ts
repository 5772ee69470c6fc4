import type { FastifySchemaCompiler } from 'fastify';
import { z, type ZodType } from 'zod';
import { RequestValidationError, type FieldIssue } from '../errors.ts';
import type { Language } from '../i18n/messages.ts';

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

export function describeIssues(issues: RequestValidationError['issues'], language: Language): FieldIssue[] {
  return issues.slice(0, 50).map((issue) => {
    const worded = localeErrors[language](issue as z.core.$ZodRawIssue);
    const message = typeof worded === 'string' ? worded : (worded?.message ?? issue.code);
    return { path: issue.path.map(String).join('.'), code: issue.code, message };
  });
}
