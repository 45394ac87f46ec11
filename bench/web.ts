/**
 * Web scenario: what each app costs to download — bytes on the wire of the JS the first
 * screen loads (the entry script and its modulepreloads in the served index.html),
 * fetched from the running node with a browser's Accept-Encoding, exactly as sent, and
 * checked against the issue-12 budgets — plus gzip-9 sizes from web/dist, and the time
 * from navigation to the resident's first parcel list in headless Chromium
 * (/usr/bin/chromium driven by playwright-core), cold (new browser context) and warm
 * (reload). Skips with a clear message when web/dist or playwright-core is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESIDENTS } from '../src/demo/jinquan.ts';
import { type Rig, startRig } from './cycle-rig.ts';
import { httpJson } from './load.ts';
import type { ScenarioContext } from './run.ts';
import { median, r3 } from './stats.ts';
import { appBundles, DIST, wireBytes } from './web-bytes.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The scenario. */
export async function webScenario(ctx: ScenarioContext): Promise<object> {
  if (!fs.existsSync(path.join(DIST, 'resident', 'index.html'))) {
    const why = `web/dist is missing (${DIST}): run \`npm run build:web\` first; web scenario skipped.`;
    console.log(why);
    return { skipped: why };
  }
  const bundles = appBundles();
  console.table(
    Object.fromEntries(
      Object.entries(bundles).map(([k, v]) => [
        k,
        {
          'JS gzip KiB': v.gzipKiB,
          'JS raw KiB': v.rawKiB,
          'CSS gzip KiB': v.cssGzipKiB,
          files: v.files.length,
        },
      ]),
    ),
  );
  const rig = await startRig({
    lockers: 160,
    halls: 2,
    seed: ctx.seed,
    log: console.log,
  });
  let wire: Awaited<ReturnType<typeof wireBytes>>;
  try {
    wire = await wireBytes(rig.info.httpUrl);
  } catch (e) {
    await rig.stop();
    throw e;
  }
  console.table(
    Object.fromEntries(
      Object.entries(wire).map(([k, v]) => [
        k,
        {
          'JS on the wire KiB (br)': v.brKiB,
          'gzip KiB': v.gzipKiB,
          'budget KiB': v.budgetKiB,
          within: v.withinBudget,
          encodings: v.encodings.join(' '),
          files: v.files,
        },
      ]),
    ),
  );
  let chromium: { launch(o: object): Promise<any> };
  try {
    ({ chromium } = (await import('playwright-core')) as unknown as { chromium: typeof chromium });
  } catch {
    const why = 'playwright-core is not installed: bundle sizes only, no browser timing.';
    console.log(why);
    await rig.stop();
    return { runs: 0, bundles, wire, firstParcelList: { skipped: why } };
  }
  if (!fs.existsSync(CHROMIUM)) {
    await rig.stop();
    return {
      runs: 0,
      bundles,
      wire,
      firstParcelList: { skipped: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` },
    };
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const resident = RESIDENTS[0]!;
    for (let i = 0; i < 3; i++) await rig.driver.depositAndStore(resident.phone);
    // Sign the resident in the way the app does (SMS code), then hand the session to the browser.
    const session = await residentSession(rig, resident.phone);
    const url = `${rig.info.httpUrl}/app/resident/`;
    const cold: number[] = [];
    const warm: number[] = [];
    const loads = ctx.short ? 1 : Math.max(ctx.runs, 5);
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
      });
      await context.addInitScript(
        (s: string) =>
          (
            globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
          ).localStorage.setItem('antnest.resident.session', s),
        session,
      );
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e: Error) => problems.push(e.message));
      page.on(
        'console',
        (m: { type(): string; text(): string }) =>
          void (m.type() === 'error' && problems.push(m.text())),
      );
      let t0 = performance.now();
      await page.goto(url);
      await page
        .waitForSelector('[data-testid="parcel"]', { timeout: 60_000 })
        .catch(async (e: Error) => {
          throw new Error(
            `${e.message.split('\n')[0]} — page says: ${(await page.textContent('body'))?.slice(0, 200)} ${problems.join(' | ')}`,
          );
        });
      cold.push(performance.now() - t0);
      t0 = performance.now();
      await page.reload();
      await page.waitForSelector('[data-testid="parcel"]', { timeout: 30_000 });
      warm.push(performance.now() - t0);
      await context.close();
    }
    const result = {
      coldMs: r3(median(cold)),
      warmMs: r3(median(warm)),
      cold: cold.map(r3),
      warm: warm.map(r3),
    };
    console.table({
      'navigation → first parcel card (ms)': { cold: result.coldMs, warm: result.warmMs },
    });
    return {
      runs: loads,
      bundles,
      wire,
      firstParcelList: result,
      notes: [
        'wire: bytes of the first-load JS (entry + modulepreload in the served index.html) as the node sends them to a browser (Accept-Encoding: br, gzip), and to a gzip-only client; budgets from issue 12.',
        "bundles: gzip level 9 of the JS and CSS referenced by each app's index.html (entry + modulepreload), lazily loaded chunks excluded.",
        'Timing: headless Chromium on the same machine, loopback, no throttling; cold = fresh context (empty cache), warm = reload; from goto() to the first [data-testid=parcel] card.',
      ],
    };
  } finally {
    await browser.close();
    await rig.stop();
  }
}

/**
 * Sign a resident in as the app does (SMS code, then the agreements in force), check they
 * see their parcels, and return the session JSON the app keeps in localStorage.
 */
async function residentSession(rig: Rig, phone: string): Promise<string> {
  const otp = new Promise<string>(
    (resolve) => (rig.driver.otherSms = (_p, body) => resolve(/\d{6}/.exec(body)?.[0] ?? '')),
  );
  const sent = await httpJson(`${rig.info.httpUrl}/api/v1/auth/otp`, 'POST', {
    phone,
  });
  if (sent.status >= 300) throw new Error(`otp ${sent.status}: ${JSON.stringify(sent.body)}`);
  const verified = await httpJson(`${rig.info.httpUrl}/api/v1/auth/otp/verify`, 'POST', {
    phone,
    code: await otp,
  });
  if (verified.status !== 200)
    throw new Error(`otp verify ${verified.status}: ${JSON.stringify(verified.body)}`);
  const bearer = {
    authorization: `Bearer ${(verified.body as { accessToken: string }).accessToken}`,
  };
  // As the sign-in screen does: accept the agreements in force, or the app asks first (AgreementGate).
  const docs = (await httpJson(`${rig.info.httpUrl}/api/v1/agreements`, 'GET')).body as {
    document: string;
    version: string;
  }[];
  const agreed = await httpJson(
    `${rig.info.httpUrl}/api/v1/me/agreements`,
    'POST',
    { accepted: docs.map((d) => ({ document: d.document, version: d.version })), lang: 'zh-CN' },
    bearer,
  );
  if (agreed.status !== 200)
    throw new Error(`agreements ${agreed.status}: ${JSON.stringify(agreed.body)}`);
  const mine = await httpJson(
    `${rig.info.httpUrl}/api/v1/me/parcels?include=recent`,
    'GET',
    undefined,
    { authorization: `Bearer ${(verified.body as { accessToken: string }).accessToken}` },
  );
  if (mine.status !== 200 || !Array.isArray(mine.body) || mine.body.length === 0)
    throw new Error(`GET /me/parcels: ${mine.status} ${JSON.stringify(mine.body).slice(0, 300)}`);
  return JSON.stringify(verified.body);
}
