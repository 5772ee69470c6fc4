import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStatus, type ErrorCode } from './errors.ts';
import { languages, translate } from './i18n/messages.ts';

const codes = Object.keys(errorStatus) as ErrorCode[];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Codes named where an error is raised or answered: `new AppError('x'…`, `httpStatus('x')`, `answer('x'…`, `send(503, 'x'…`. */
function codesUsedInSource(): Set<string> {
  const used = new Set<string>();
  const pattern = /(?:new AppError|httpStatus|answer|bad|send)\(\s*(?:\d{3},\s*)?(?:[a-z]+\s*\?\s*'([a-z_]+)'\s*:\s*)?'([a-z_]+)'/g;
  for (const file of sourceFiles(path.resolve(import.meta.dirname, '..'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(pattern)) {
      if (match[1]) used.add(match[1]);
      used.add(match[2]!);
    }
    // A rule the database enforces (a trigger) raises 'amparo:<code>' (src/platform/http/pg-errors.ts).
    for (const match of source.matchAll(/'amparo:([a-z_]+)'/g)) used.add(match[1]!);
  }
  return used;
}

describe('the error table', () => {
  it('gives every code one 4xx or 5xx status and a message in every language', () => {
    for (const code of codes) {
      expect(Number.isInteger(errorStatus[code]) && errorStatus[code] >= 400 && errorStatus[code] < 600, code).toBe(true);
      const messages = languages.map((lang) => translate(lang, code));
      for (const message of messages) expect(message.trim().length, `${code}: empty message`).toBeGreaterThan(10);
      // A message left untranslated reads the same in both languages.
      expect(new Set(messages).size, `${code}: the same text in every language`).toBe(languages.length);
    }
  });

  it('covers every code the server raises, and holds no code nobody raises', () => {
    const used = codesUsedInSource();
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((code) => !(code in errorStatus)), 'codes raised without a status').toEqual([]);
    expect(codes.filter((code) => !used.has(code)), 'codes in the table nobody raises').toEqual([]);
  });

  it('answers the codes that once had two statuses with one each', () => {
    expect([errorStatus.invalid_credentials, errorStatus.mfa_invalid, errorStatus.too_many_requests]).toEqual([401, 401, 429]);
  });
});
