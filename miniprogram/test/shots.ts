/**
 * Screenshots of the simulated pages (docs/screenshots/miniprogram-*.png): the markup the
 * simulator rendered from the page's WXML, styled by the app's and the page's WXSS scoped
 * as the simulator scopes them (class prefix `main--`), with rpx at a 375-px-wide phone's
 * scale (750 rpx = 375 px), in headless Chromium. Only with ANTNEST_SCREENSHOTS=1 and
 * /usr/bin/chromium; otherwise nothing is written. WeChat's native widgets (input, picker,
 * switch) are drawn as plain boxes: these show layout and content, not WeChat's chrome.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { haveChromium, launch } from '../../test/browser/browser.ts';

const SHOT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');
const require = createRequire(import.meta.url);

/** One page to photograph: the page's folder name and the markup it rendered. */
export interface Shot {
  name: string;
  page: string;
  html: string;
}

const BASE = `
  body { margin: 0; background: #f5f5f5; font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
  wx-view, wx-button, wx-input, wx-textarea, wx-picker { display: block; }
  wx-text { display: inline; }
  wx-image { display: inline-block; }
  wx-input, wx-textarea { min-height: 1.4em; }
  wx-textarea { min-height: 4em; }
  wx-switch { display: inline-block; width: 44px; height: 26px; border-radius: 13px; background: #e5e5e5; }
  wx-button { border: 0; }
`;

/** The WXSS of `file` as the simulator scopes it, rpx at phone scale. */
function css(file: string): string {
  if (!fs.existsSync(file)) return '';
  const wxss = require('miniprogram-simulate/src/wxss') as {
    compile(text: string, o: { prefix: string }): string;
  };
  return wxss
    .compile(fs.readFileSync(file, 'utf8'), { prefix: 'main' })
    .replace(/(^|[\s,}])page(?=[\s,{])/g, '$1body')
    .replace(/(\d+(?:\.\d+)?)rpx/g, (_, n: string) => `${Number(n) / 2}px`);
}

/** Write one PNG per shot into docs/screenshots (when asked for, see above). */
export async function writeShots(dir: string, shots: Shot[]): Promise<void> {
  if (process.env['ANTNEST_SCREENSHOTS'] !== '1' || !haveChromium || !shots.length) return;
  const browser = await launch();
  try {
    const ctx = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
    });
    const page = await ctx.newPage();
    const app = css(path.join(dir, 'app.wxss'));
    for (const s of shots) {
      const own = css(path.join(dir, `pages/${s.page}/index.wxss`));
      await page.setContent(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${BASE}${app}${own}</style></head><body>${s.html}</body></html>`,
      );
      await page.screenshot({
        path: path.join(SHOT_DIR, `miniprogram-${s.name}.png`),
        fullPage: true,
      });
    }
  } finally {
    await browser.close();
  }
}
