import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from './validation.ts';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
};

describe('describeIssues', () => {
  it('words a text that does not match its pattern without showing the pattern', () => {
    const issues = issuesOf(z.object({ code: z.string().regex(/^[A-Z]{3}\d{2}$/) }), { code: 'abc' });
    for (const language of ['es', 'en'] as const) {
      const [issue] = describeIssues(issues, language);
      expect(issue).toMatchObject({ path: 'code', code: 'invalid_format' });
      expect(issue!.message).not.toMatch(/[\^$\\[\]{}]/);
    }
    expect(describeIssues(issues, 'es')[0]!.message).toBe('No tiene el formato esperado.');
    expect(describeIssues(issues, 'en')[0]!.message).toBe('This is not in the expected format.');
  });

  it('keeps zod’s words for other issues, in the request’s language', () => {
    const issues = issuesOf(z.object({ email: z.email(), n: z.number().max(3) }), { email: 'no', n: 9 });
    const [email, n] = describeIssues(issues, 'en');
    expect(email).toMatchObject({ path: 'email', code: 'invalid_format' });
    expect(email!.message).toMatch(/email/i);
    expect(n).toMatchObject({ path: 'n', code: 'too_big' });
    expect(n!.message).toMatch(/3/);
    expect(describeIssues(issues, 'es')[1]!.message).not.toBe(n!.message);
  });
});
