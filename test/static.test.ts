import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.ts';

/**
 * How the web app reaches a cheap phone: its files compressed once at build time, hashed files cached
 * for a year, index.html checked on every visit, and a budget for what the sign-in page downloads.
 * Reads the build in web/dist (`npm test` builds it first).
 */
const dist = fileURLToPath(new URL('../web/dist/', import.meta.url));
type ManifestChunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const get = (url: string, encoding?: string) => fetch(`${server.baseUrl}${url}`, { headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('static files of the web app', () => {
  it('sends the precompressed file the browser accepts, with the same content, cached for a year', async () => {
    const original = fs.readFileSync(path.join(dist, entry.file));
    const brotli = await get(`/${entry.file}`, 'br, gzip');
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers.get('content-type')).toMatch(/javascript/);
    const brotliBytes = Buffer.from(await brotli.arrayBuffer());
    // fetch does not decode on its own here when the body arrives as stored; accept either.
    const decoded = brotliBytes.equals(original) ? brotliBytes : zlib.brotliDecompressSync(brotliBytes);
    expect(decoded.equals(original)).toBe(true);

    const gzip = await get(`/${entry.file}`, 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gzip.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const plain = await get(`/${entry.file}`, 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
  });

  it('makes browsers check index.html on every visit, for the staff home and for a client-side route', async () => {
    for (const url of ['/personal', '/expedientes']) {
      const response = await get(url, 'br, gzip');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain(entry.file);
    }
    const api = await get('/api/health');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps what the sign-in page needs under 150 KB of gzip-compressed JavaScript', () => {
    // The entry chunk and everything it imports statically, plus the three string catalogues sign-in asks for.
    const needed = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || needed.has(chunk.file)) return;
      needed.add(chunk.file);
      for (const next of chunk.imports ?? []) visit(next);
    };
    visit(Object.keys(manifest).find((key) => manifest[key] === entry)!);
    for (const ns of ['ui', 'app', 'account']) visit(`src/${ns}/locales/es.json`);
    expect(needed.size).toBeGreaterThanOrEqual(4);
    const js = [...needed].filter((file) => file.endsWith('.js'));
    const bytes = js.reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length, 0);
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes, `${js.join(', ')}: ${bytes} bytes`).toBeLessThanOrEqual(150 * 1024);
    // No screen's code is in it: each is loaded when opened.
    const screens = Object.values(manifest).filter((chunk) => /\/(cases|complaints|statistics|missing)\//.test(chunk.src ?? '') && !chunk.src!.includes('locales'));
    expect(screens.length).toBeGreaterThan(3);
    for (const screen of screens) expect(needed.has(screen.file), screen.src).toBe(false);
  });
});
