/**
 * Build-time plugins for the web apps (issue 12, "light pages"):
 *  - precompress: writes .br (quality 11) and .gz (level 9) beside every text file over
 *    1 KB, when smaller, so the server sends them as they are (@fastify/static
 *    `preCompressed`) instead of compressing each request at a lower quality;
 *  - firstLoadBudget: prints each app's first-load JavaScript as bytes on the wire (the
 *    brotli file the server sends a browser; gzip beside it) and fails the build when any
 *    app with a budget is over it.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** First-load JavaScript budgets, KB (1024 bytes) on the wire, from issue 12. */
export const BUDGETS_KB: Record<string, number> = {
  resident: 150,
  courier: 150,
  staff: 300,
  'hall-kiosk': 150,
};
/** Apps whose budget fails the build (every app with a budget; the staff console lazy-loads its pages). */
const STRICT = new Set(['resident', 'courier', 'staff', 'hall-kiosk']);
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;
const MIN_BYTES = 1024;

/** Brotli at the quality the build uses (what the browser gets). */
export function brotli(buf: Buffer): Buffer {
  return brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    return statSync(f).isDirectory() ? walk(f) : [f];
  });
}

/** The files (relative to dist) an app's index.html loads up front: entry scripts and modulepreloads. */
export function firstLoadScripts(dist: string, app: string): string[] {
  const html = readFileSync(path.join(dist, app, 'index.html'), 'utf8');
  return [
    ...new Set([...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)),
  ];
}

/** Write .br and .gz beside each text file of the build. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'antnest-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle: {
      order: 'post',
      handler() {
        for (const f of walk(outDir)) {
          if (!TEXT.test(f)) continue;
          const raw = readFileSync(f);
          if (raw.length < MIN_BYTES) continue;
          const br = brotli(raw);
          const gz = gzipSync(raw, { level: 9 });
          if (br.length < raw.length) writeFileSync(`${f}.br`, br);
          if (gz.length < raw.length) writeFileSync(`${f}.gz`, gz);
        }
      },
    },
  };
}

/** Print first-load JS per app (brotli and gzip bytes) and enforce the budgets. */
export function firstLoadBudget(apps: readonly string[]): Plugin {
  let outDir = '';
  return {
    name: 'antnest-first-load-budget',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    closeBundle() {
      const lines: string[] = [];
      const over: string[] = [];
      for (const app of apps) {
        const files = firstLoadScripts(outDir, app);
        let br = 0;
        let gz = 0;
        for (const f of files) {
          const raw = readFileSync(path.join(outDir, f));
          br += brotli(raw).length;
          gz += gzipSync(raw, { level: 9 }).length;
        }
        const kb = br / 1024;
        const budget = BUDGETS_KB[app];
        const verdict =
          budget === undefined
            ? ''
            : kb <= budget
              ? ` ✓ budget ${budget} KB`
              : STRICT.has(app)
                ? ` ✗ OVER budget ${budget} KB`
                : ` ⚠ over budget ${budget} KB (warning only)`;
        if (budget !== undefined && kb > budget && STRICT.has(app))
          over.push(`${app} ${kb.toFixed(1)} KB > ${budget} KB`);
        lines.push(
          `  ${app.padEnd(9)} ${kb.toFixed(1).padStart(7)} KB brotli (${(gz / 1024).toFixed(1)} KB gzip) JS on first load, ${files.length} files${verdict}`,
        );
      }
      console.log(`\nfirst-load JavaScript per app (bytes on the wire):\n${lines.join('\n')}\n`);
      if (over.length) throw new Error(`first-load JavaScript over budget: ${over.join('; ')}`);
    },
  };
}
