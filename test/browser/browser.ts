/**
 * Browser-test helpers: Debian's Chromium driven by playwright-core (no browser
 * downloads), every page's console errors and uncaught exceptions collected, and
 * screenshots written to docs/screenshots/ when ANTNEST_SCREENSHOTS=1 (else a temp dir).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
const REPO = path.resolve(import.meta.dirname, '../..');
export const SHOT_DIR =
  process.env['ANTNEST_SCREENSHOTS'] === '1'
    ? path.join(REPO, 'docs/screenshots')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-shots-'));

/** Build the web apps when web/dist is missing (CI builds them first and prints the sizes). */
export function ensureWebBuilt(): void {
  if (fs.existsSync(path.join(REPO, 'web/dist/kiosk/index.html'))) return;
  execFileSync(
    process.execPath,
    [
      path.join(REPO, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: REPO, stdio: 'inherit' },
  );
}

/** Launch Chromium headless with the flags the brief fixes. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Console errors and page exceptions seen, per page label. */
export const consoleErrors: string[] = [];

/**
 * Responses the browser logs as "Failed to load resource" for a 4xx we provoke on
 * purpose (a wrong code, an expired session) are expected; anything else is an error.
 */
const EXPECTED = /Failed to load resource: the server responded with a status of 4\d\d/;

/** A new isolated context (own localStorage) and page, watched for console errors. */
export async function openPage(
  browser: Browser,
  label: string,
  opts: { width: number; height: number; scale?: number; allow4xx?: boolean },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    deviceScaleFactor: opts.scale ?? 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (opts.allow4xx && EXPECTED.test(m.text())) return;
    consoleErrors.push(`${label}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${label}: uncaught ${e.message}`));
  return { context, page };
}

/** Save a screenshot as docs/screenshots/<name>.png (or the temp dir). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`) });
}
