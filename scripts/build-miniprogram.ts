/**
 * Builds the WeChat mini-program (ADR 0034) into a folder WeChat DevTools opens as it is:
 *   npm run build:miniprogram [-- --api https://node.example.cn] [--out dir]
 * TypeScript is compiled with esbuild to CommonJS (what WeChat's module loader runs): the
 * shared library (miniprogram/src/lib, with the web apps' api-core, error texts, format and
 * phone rules and strings) becomes one lib/index.js every page requires, each page and the
 * app one small file; .json/.wxml/.wxss are copied. npm packages the pages use
 * (qrcode-generator) are bundled into lib/index.js, so there is no miniprogram_npm to build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../miniprogram');
const SRC = path.join(ROOT, 'src');
const COPY = /\.(json|wxml|wxss|png|jpg|svg)$/;

/** Every file under `dir`, relative to it. */
function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    return e.isDirectory() ? walk(dir, p) : [p];
  });
}

/** Pages and the app require the shared library's built file instead of bundling a copy. */
function libExternal(outDir: string): Plugin {
  const lib = path.join(SRC, 'lib/index.ts');
  return {
    name: 'lib-external',
    setup(b) {
      b.onResolve({ filter: /\/lib\/index\.ts$/ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        if (target !== lib || args.importer === '') return undefined;
        const from = path.dirname(path.join(outDir, path.relative(SRC, args.importer)));
        let rel = path.relative(from, path.join(outDir, 'lib/index.js'));
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return { path: rel, external: true };
      });
    },
  };
}

/** Build the mini-program into `outDir` (emptied first); returns the files written. */
export async function buildMiniprogram(opts: { outDir: string; api: string }): Promise<string[]> {
  const outDir = path.resolve(opts.outDir);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const files = walk(SRC);
  for (const f of files.filter((x) => COPY.test(x))) {
    fs.mkdirSync(path.dirname(path.join(outDir, f)), { recursive: true });
    fs.copyFileSync(path.join(SRC, f), path.join(outDir, f));
  }
  const common = {
    bundle: true,
    format: 'cjs' as const,
    platform: 'neutral' as const,
    mainFields: ['module', 'main'],
    // WeChat's JS engines on older phones: ES2017 keeps async/await and drops newer syntax.
    target: 'es2017',
    charset: 'utf8' as const,
    logLevel: 'warning' as const,
    define: { __ANTNEST_API__: JSON.stringify(opts.api) },
  };
  await build({
    ...common,
    entryPoints: [path.join(SRC, 'lib/index.ts')],
    outfile: path.join(outDir, 'lib/index.js'),
  });
  const entries = files.filter(
    (f) => f === 'app.ts' || (f.startsWith('pages') && f.endsWith('.ts')),
  );
  for (const f of entries)
    await build({
      ...common,
      entryPoints: [path.join(SRC, f)],
      outfile: path.join(outDir, f.replace(/\.ts$/, '.js')),
      plugins: [libExternal(outDir)],
    });
  return walk(outDir);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const api = arg('api') ?? process.env['ANTNEST_MP_API'] ?? 'http://127.0.0.1:8080';
  const outDir = arg('out') ?? path.join(ROOT, 'dist');
  const written = await buildMiniprogram({ outDir, api });
  console.log(`mini-program built: ${written.length} files in ${outDir} (server ${api})`);
}
