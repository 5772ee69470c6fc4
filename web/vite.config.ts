import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes `file.br` and `file.gz` beside every text asset of the build, once, so that the server sends
 * them as they are (`@fastify/static` with `preCompressed`) instead of compressing on every request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'amparo-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? (entry.name.startsWith('.') ? [] : walk(path.join(dir, entry.name))) : [path.join(dir, entry.name)]));
      for (const file of walk(outDir).filter((f) => /\.(js|css|html|json|svg|txt)$/.test(f))) {
        const content = fs.readFileSync(file);
        if (content.length < 512) continue;
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
      }
    },
  };
}

/**
 * Writes /sw.js: web/service-worker.js with the list of every file of this build to keep for offline
 * use (docs/offline.md) and a version that changes with them, so a new build replaces the old shell.
 */
function offlineShell(): Plugin {
  return {
    name: 'amparo-offline-shell',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      // Only what offline work opens: the entry, the offline screens, the shared strings and every
      // style, font and image, each with the chunks it imports (a closed set, found from the bundle).
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const wanted = (chunk: (typeof chunks)[number]) =>
        chunk.isEntry || /\/src\/offline\/(OfflineMode|OfflineWork|OfflineStatus)\.tsx$/.test(chunk.facadeModuleId ?? '') || /\/src\/(ui|app|offline)\/locales\/(es|en)\.json$/.test(chunk.facadeModuleId ?? '');
      const keep = new Set<string>();
      const visit = (fileName: string) => {
        if (keep.has(fileName)) return;
        keep.add(fileName);
        const chunk = bundle[fileName];
        if (chunk?.type !== 'chunk') return;
        chunk.imports.forEach(visit);
        chunk.viteMetadata?.importedCss.forEach((css) => keep.add(css));
      };
      chunks.filter(wanted).forEach((chunk) => visit(chunk.fileName));
      for (const item of Object.values(bundle)) if (item.type === 'asset' && !item.fileName.startsWith('.') && item.fileName !== 'index.html') keep.add(item.fileName);
      const publicFiles = fs.readdirSync(path.join(root, 'public')).map((name) => `/${name}`);
      const files = [...[...keep].map((name) => `/${name}`), ...publicFiles].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const source = fs.readFileSync(path.join(root, 'service-worker.js'), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: `const PRECACHE = ${JSON.stringify(files)};\nconst VERSION = '${version}';\n${source}` });
    },
  };
}

/** The web app. `npm run build:web` writes web/dist, which the server serves with an SPA fallback. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), offlineShell(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Which chunks each page needs: read by the size budget test (web/src/app/bundle-size.test.ts).
    manifest: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // The app imports the server's controlled lists (src/cases/vocabularies.ts) for its labels.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
