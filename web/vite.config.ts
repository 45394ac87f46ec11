/**
 * One Vite build for the four apps (multi-page): web/dist/{resident,courier,staff,kiosk,hall-kiosk}/index.html
 * sharing hashed chunks in web/dist/assets/, all under the /app/ base the server uses.
 * After the build it writes .br/.gz beside the text files and prints each app's first-load
 * JavaScript as bytes on the wire, failing when resident or courier is over budget
 * (build-report.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { firstLoadBudget, precompress } from './build-report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const APPS = ['resident', 'courier', 'staff', 'kiosk', 'hall-kiosk'] as const;

export default defineConfig({
  root: path.join(here, 'apps'),
  base: '/app/',
  plugins: [react(), precompress(), firstLoadBudget(APPS)],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: Object.fromEntries(APPS.map((a) => [a, path.join(here, 'apps', a, 'index.html')])),
      // React and i18n are on every app's first load: one chunk compresses better than the
      // many small shared chunks the default split makes of them once apps load screens lazily.
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next|@babel[\\/]runtime)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
    // The kernel's phone rule (src/kernel/phone.ts) is the one file of src/ the apps run.
    fs: {
      allow: [here, path.join(here, '..', 'node_modules'), path.join(here, '..', 'src', 'kernel')],
    },
  },
});
