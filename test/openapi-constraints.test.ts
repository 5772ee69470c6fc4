import { describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import { buildApp, registerModules } from '../src/platform/http/app.ts';
import { modules } from '../src/modules.ts';
import { createDb } from '../src/platform/db/database.ts';
import { FieldCipher, newKeyRing } from '../src/platform/crypto/field-encryption.ts';
import { loadConfig } from '../src/platform/config.ts';
import { neutraliseFileName, fileName } from '../src/platform/http/schemas.ts';

type JsonSchema = { type?: string | string[]; minLength?: number; maxLength?: number; pattern?: string; format?: string; enum?: unknown[] };

/**
 * The OpenAPI document is what clients build forms from: a length it allows must be one the server
 * accepts, and one it refuses must be refused. For every string field of every JSON body and query,
 * a value of exactly the documented minimum and maximum length is checked against the route's own
 * zod schema (the referral reason once said minLength 1 where the server wanted 3).
 */
describe('OpenAPI constraints equal the server’s validation', () => {
  it('accepts the documented minimum and maximum lengths, and refuses one less and one more', async () => {
    const routes: RouteOptions[] = [];
    const context = { db: createDb('postgres://x:y@127.0.0.1:1/none'), cipher: await FieldCipher.fromRing(await newKeyRing()), config: loadConfig({ LOG_LEVEL: 'silent', AMPARO_MATCHING_WORKER: 'off' }) };
    const app = await buildApp(context, { logger: false });
    app.addHook('onRoute', (route) => void routes.push(route));
    await registerModules(app, context, modules);
    await app.ready();

    const problems: string[] = [];
    let checked = 0;
    for (const route of routes) {
      for (const part of ['body', 'querystring'] as const) {
        const schema = (route.schema as Record<string, unknown> | undefined)?.[part];
        if (!(schema instanceof z.ZodObject)) continue;
        for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
          let documented: JsonSchema;
          try {
            documented = z.toJSONSchema(fieldSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
          } catch {
            continue;
          }
          const type = Array.isArray(documented.type) ? documented.type : [documented.type];
          // Fields with a shape of their own (codes, dates, ids) are checked by the fuzzer; free text here.
          if (!type.includes('string') || (documented.pattern && !documented.pattern.startsWith('^[^')) || documented.format || documented.enum) continue;
          const sample = (length: number) => 'a'.repeat(length);
          const accepts = (value: string) => fieldSchema.safeParse(value).success;
          const where = `${String(route.method)} ${route.url} ${part}.${field}`;
          const min = documented.minLength ?? 0;
          if (!accepts(sample(Math.max(min, 1)))) problems.push(`${where}: documented minLength ${min}, refused`);
          if (min > 1 && accepts(sample(min - 1))) problems.push(`${where}: documented minLength ${min}, ${min - 1} accepted`);
          if (documented.maxLength !== undefined) {
            if (!accepts(sample(documented.maxLength))) problems.push(`${where}: documented maxLength ${documented.maxLength}, refused`);
            if (accepts(sample(documented.maxLength + 1))) problems.push(`${where}: documented maxLength ${documented.maxLength}, longer accepted`);
          }
          checked++;
        }
      }
    }
    await app.close();
    await context.db.destroy();
    expect(checked).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});

describe('file names', () => {
  it('refuses control and bidirectional characters in a file name, and neutralises them where a form sends one', () => {
    for (const bad of ['invoice\u202Efdp.exe', 'a\u0000.pdf', 'b\u0085.pdf', 'c\u2067.pdf', 'd\u200F.txt', 'e\u007F.txt', '../f.txt']) {
      expect(fileName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(fileName.safeParse('Acta de nacimiento (copia) ñ.pdf').success).toBe(true);
    expect(neutraliseFileName('invoice\u202Efdp.exe')).toBe('invoice_fdp.exe');
  });
});
