/**
 * One Vite build for the four apps (multi-page): web/dist/{resident,courier,staff,kiosk}/index.html
 * sharing hashed chunks in web/dist/assets/, all under the /app/ base the server uses.
 * After the build it prints each app's first-load JavaScript, gzipped, and fails when the
 * resident app is over its 250 KB budget.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const APPS = ['resident', 'courier', 'staff', 'kiosk'] as const;
/** First-load budget of the resident app (gzipped JS), from the issue. */
const RESIDENT_BUDGET_KB = 250;

/** Prints the gzipped JS an app's index.html loads up front (entry + static imports). */
function sizeReport(): Plugin {
  let outDir = '';
  return {
    name: 'antnest-size-report',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle() {
      const lines: string[] = [];
      let over = false;
      for (const app of APPS) {
        const html = readFileSync(path.join(outDir, app, 'index.html'), 'utf8');
        const files = new Set([...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
        let gz = 0;
        for (const f of files) gz += gzipSync(readFileSync(path.join(outDir, f))).length;
        const kb = gz / 1024;
        const budget = app === 'resident' ? ` (budget ${RESIDENT_BUDGET_KB} KB)` : '';
        if (app === 'resident' && kb > RESIDENT_BUDGET_KB) over = true;
        lines.push(`  ${app.padEnd(9)} ${kb.toFixed(1).padStart(7)} KB gzipped JS on first load, ${files.size} files${budget}`);
      }
      console.log(`\nfirst-load JavaScript per app:\n${lines.join('\n')}\n`);
      if (over) throw new Error(`resident app first load is over ${RESIDENT_BUDGET_KB} KB gzipped`);
    },
  };
}

export default defineConfig({
  root: path.join(here, 'apps'),
  base: '/app/',
  plugins: [react(), sizeReport()],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: Object.fromEntries(APPS.map((a) => [a, path.join(here, 'apps', a, 'index.html')])) },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' }, fs: { allow: [here, path.join(here, '..', 'node_modules')] } },
});
