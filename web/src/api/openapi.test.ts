import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes } from '../../../tools/api-types.ts';

describe('the web app’s API types', () => {
  it('are the ones generated from the server’s OpenAPI document (run `npm run api-types` after changing a schema)', async () => {
    const generated = await generateApiTypes();
    expect(generated).toContain('"/api/v1/auth/session"');
    expect(fs.readFileSync(apiTypesFile, 'utf8') === generated, 'web/src/api/openapi.d.ts differs from the server’s document: run `npm run api-types`').toBe(true);
  });
});
