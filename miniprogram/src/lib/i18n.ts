/**
 * The mini-program's strings: the web apps' own (Chinese is the key, English from
 * web/shared/locales), so a screen reads the same in both. The choice is kept in wx storage.
 */
import { EN } from '../../../web/shared/locales/en.ts';

export type Lang = 'zh-CN' | 'en';
const KEY = 'antnest.lang';

/** The reader's language. */
export function lang(): Lang {
  try {
    return wx.getStorageSync(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Remember the language; pages re-read their strings on show. */
export function setLang(l: Lang): void {
  wx.setStorageSync(KEY, l);
}

/** Translate a Chinese source text, filling {{name}} from `vars`. */
export function t(key: string, vars: Record<string, unknown> = {}): string {
  const text = (lang() === 'en' ? EN[key] : undefined) ?? key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** A page's strings, translated: `{ title: '我的快递' }` → `{ title: 'My parcels' }` in English. */
export function strings<T extends Record<string, string>>(source: T): T {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) out[k] = t(v);
  return out as T;
}
