/**
 * The device agent and the contract stand alone (issue 14 item 4, ADR 0021): loading every
 * source file of src/device (or of src/contract) in a fresh Node process pulls in neither a
 * database driver nor any of the cloud's code. A module-resolution hook, registered outside
 * tsx so it sees every resolved URL, writes each one to a file the test then reads.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

const REGISTER = `import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url), { data: { file: process.env.MODULE_LOG } });
`;
const HOOKS = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(file, r.url + '\\n');
  return r;
}
`;

/** What a standalone closure must never load: the drivers and the cloud's folders. */
const FORBIDDEN: { what: string; test: (url: string) => boolean }[] = [
  { what: 'kysely', test: (u) => u.includes('/node_modules/kysely/') },
  { what: 'pg', test: (u) => /\/node_modules\/pg(-[a-z]+)?\//.test(u) },
  ...[
    'src/platform/',
    'src/db/',
    'src/modules/',
    'src/app.ts',
    'src/server.ts',
    'src/config.ts',
  ].map((p) => ({
    what: p,
    test: (u: string) => u.startsWith(pathToFileURL(path.join(ROOT, p)).href),
  })),
];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-standalone-'));
  fs.writeFileSync(path.join(dir, 'register.mjs'), REGISTER);
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every non-test source file under a folder of src/. */
function sources(folder: string): string[] {
  return (fs.readdirSync(path.join(ROOT, 'src', folder), { recursive: true }) as string[])
    .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
    .map((f) => path.join(ROOT, 'src', folder, f));
}

/** The URLs a fresh `node --import tsx` resolves while importing `files`. */
async function closureOf(name: string, files: string[]): Promise<string[]> {
  const log = path.join(dir, `${name}.log`);
  const script = files.map((f) => `await import(${JSON.stringify(pathToFileURL(f).href)});`);
  await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(path.join(dir, 'register.mjs')).href,
      '--input-type=module',
      '-e',
      script.join('\n'),
    ],
    { cwd: ROOT, env: { ...process.env, MODULE_LOG: log }, timeout: 30_000 },
  );
  return [...new Set(fs.readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

function offences(urls: string[]): string[] {
  return urls.flatMap((u) => FORBIDDEN.filter((f) => f.test(u)).map((f) => `${f.what}: ${u}`));
}

describe('standalone closures', () => {
  it('the hook sees a driver when cloud code is loaded (the check can fail)', async () => {
    const urls = await closureOf('control', [path.join(ROOT, 'src/db/database.ts')]);
    const found = offences(urls).map((o) => o.split(':')[0]);
    expect(found).toEqual(expect.arrayContaining(['kysely', 'pg', 'src/db/']));
  });

  it('src/device loads neither kysely, pg nor cloud code', async () => {
    const files = sources('device');
    expect(files).toContain(path.join(ROOT, 'src/device/cli.ts'));
    const urls = await closureOf('device', files);
    expect(urls).toContain(pathToFileURL(path.join(ROOT, 'src/device/agent.ts')).href);
    expect(urls).toContain(pathToFileURL(path.join(ROOT, 'src/kernel/clock.ts')).href);
    expect(urls).toContain(pathToFileURL(path.join(ROOT, 'src/contract/index.ts')).href);
    expect(offences(urls)).toEqual([]);
  });

  it('src/contract loads neither kysely, pg nor cloud code', async () => {
    const urls = await closureOf('contract', sources('contract'));
    expect(urls).toContain(pathToFileURL(path.join(ROOT, 'src/contract/validate.ts')).href);
    expect(offences(urls)).toEqual([]);
    // The contract needs nothing of the device either.
    expect(urls.filter((u) => u.includes('/src/device/'))).toEqual([]);
  });
});
