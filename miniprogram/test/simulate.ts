/**
 * Driving the built mini-program in Node (ADR 0034): miniprogram-simulate renders a page
 * (WeChat's own WXML compiler, wcc, from miniprogram-compiler) and runs its JS as WeChat
 * would; the `wx` it provides is replaced where the page talks to the outside: wx.request
 * goes to a real node over HTTP, storage is a Map, wx.login / scanCode / chooseMedia /
 * showModal answer what the test says. The simulator needs a DOM: installDom() lends it
 * jsdom's window and document as globals (only those, so the node running in the same
 * process keeps Node's own TextEncoder, fetch and events).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildMiniprogram } from '../../scripts/build-miniprogram.ts';
import { until } from '../../test/harness.ts';

/** What the fake WeChat recorded and what it will answer. */
export interface FakeWx {
  storage: Map<string, unknown>;
  toasts: string[];
  modals: string[];
  /** Every navigateTo / reLaunch / redirectTo url, in order. */
  navigations: string[];
  /** Requests the pages made: method and path. */
  requests: string[];
  /** The WeChat user wx.login signs in as (codes are demo:<name>:<n>, fresh each call). */
  wechatName: string;
  /** What wx.scanCode reads next (null: the user closes the camera). */
  scan: string | null;
  /** What showModal answers. */
  confirm: boolean;
  /** The phone's files by temp path (wx.getFileSystemManager reads them). */
  files: Map<string, Buffer>;
  /** Temp paths wx.chooseMedia returns next. */
  media: string[];
  /** What wx.requestSubscribeMessage answers. */
  subscribe: Record<string, string>;
}

type Wx = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a page's data is what the page keeps; tests read it loosely
type PageData = Record<string, any>;
type Simulate = typeof import('miniprogram-simulate');
let simulate: Simulate;
const require = createRequire(import.meta.url);
/** The part of jsdom used here (jsdom ships no types; @types/jsdom is not worth a dependency). */
const { JSDOM } = require('jsdom') as {
  JSDOM: new (html: string) => { window: Record<string, unknown> & { close(): void } };
};

const DOM_GLOBALS = ['window', 'document', 'Node', 'Event', 'CustomEvent', 'HTMLElement'] as const;

/** Give the simulator a DOM and load it; returns the function that takes the DOM away again. */
export function installDom(): () => void {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>');
  const g = globalThis as unknown as Record<string, unknown>;
  const before = DOM_GLOBALS.map((k) => [k, Object.getOwnPropertyDescriptor(g, k)] as const);
  const win = dom.window;
  for (const k of DOM_GLOBALS)
    Object.defineProperty(g, k, {
      value: k === 'window' ? win : win[k],
      configurable: true,
      writable: true,
    });
  simulate ??= require('miniprogram-simulate') as Simulate;
  return () => {
    for (const [k, d] of before) {
      if (d) Object.defineProperty(g, k, d);
      else delete g[k];
    }
    dom.window.close();
  };
}
let logins = 0;

/** Build the mini-program for `apiBase` into a fresh temp dir; returns the dir. */
export async function buildFor(apiBase: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-mp-'));
  await buildMiniprogram({ outDir: dir, api: apiBase });
  return dir;
}

/** Replace the network, storage and native dialogs of the simulator's `wx`. */
export function installWx(): FakeWx {
  const f: FakeWx = {
    storage: new Map(),
    toasts: [],
    modals: [],
    navigations: [],
    requests: [],
    wechatName: 'zhang',
    scan: null,
    confirm: true,
    files: new Map(),
    media: [],
    subscribe: {},
  };
  const wx = (globalThis as unknown as { wx: Wx }).wx;
  Object.assign(wx, {
    getStorageSync: (k: string) => f.storage.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => void f.storage.set(k, v),
    removeStorageSync: (k: string) => void f.storage.delete(k),
    request(o: {
      url: string;
      method: string;
      header: Record<string, string>;
      data?: string | ArrayBuffer;
      success(r: { statusCode: number; data: string }): void;
      fail(e: { errMsg: string }): void;
    }) {
      f.requests.push(`${o.method} ${new URL(o.url).pathname}`);
      fetch(o.url, {
        method: o.method,
        headers: o.header,
        ...(o.data !== undefined ? { body: o.data } : {}),
      })
        .then(async (r) => o.success({ statusCode: r.status, data: await r.text() }))
        .catch((e: Error) => o.fail({ errMsg: `request:fail ${e.message}` }));
    },
    login(o: { success(r: { code: string; errMsg: string }): void }) {
      setTimeout(() => o.success({ code: `demo:${f.wechatName}:${++logins}`, errMsg: 'login:ok' }));
    },
    scanCode: async () => {
      if (f.scan === null) throw new Error('scanCode:fail cancel');
      return { result: f.scan, scanType: 'QR_CODE', errMsg: 'scanCode:ok' };
    },
    showToast: (o: { title: string }) => void f.toasts.push(o.title),
    showModal(o: { content: string; success(r: { confirm: boolean; cancel: boolean }): void }) {
      f.modals.push(o.content);
      setTimeout(() => o.success({ confirm: f.confirm, cancel: !f.confirm }));
    },
    reLaunch: async (o: { url: string }) => void f.navigations.push(o.url),
    navigateTo: async (o: { url: string }) => void f.navigations.push(o.url),
    stopPullDownRefresh: () => {},
    chooseMedia: async () => ({
      tempFiles: f.media.splice(0).map((p) => ({ tempFilePath: p, size: f.files.get(p)?.length })),
    }),
    getFileSystemManager: () => ({
      readFileSync(p: string) {
        const b = f.files.get(p);
        if (!b) throw new Error(`readFileSync:fail no such file ${p}`);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
      },
    }),
    requestSubscribeMessage: async () => ({ ...f.subscribe, errMsg: 'requestSubscribeMessage:ok' }),
  });
  return f;
}

/** A rendered page: its instance, its data, and the simulator's handles. */
export interface MpPage {
  comp: ReturnType<typeof simulate.render>;
  data(): Record<string, unknown>;
  /** Tap the first element matching `selector` (nth when given). */
  tap(selector: string, nth?: number): Promise<void>;
  /** Fire a component event (a switch's or picker's change) with its detail. */
  trigger(selector: string, event: string, detail: object): Promise<void>;
  /** Type into an input. */
  input(selector: string, value: string): Promise<void>;
  /** Wait until `fn(data)` is truthy. */
  until<T>(what: string, fn: (data: PageData) => T): Promise<T>;
  /** The rendered markup. */
  html(): string;
  text(): string;
}

/** Render page `name` of the built mini-program in `dir` and run its onLoad. */
export async function openPage(
  dir: string,
  name: string,
  query: Record<string, string> = {},
): Promise<MpPage> {
  const id = simulate.load(path.join(dir, `pages/${name}/index`), { rootPath: dir });
  const comp = simulate.render(id);
  const doc = (globalThis as unknown as { document: { createElement(t: string): unknown } })
    .document;
  comp.attach(doc.createElement('parent-wrapper') as never);
  const inst = comp.instance as unknown as Record<string, (...a: unknown[]) => unknown>;
  await inst['onLoad']?.(query);
  const all = (selector: string) => comp.querySelectorAll(selector);
  const page: MpPage = {
    comp,
    data: () => comp.data as Record<string, unknown>,
    async tap(selector, nth = 0) {
      const el = all(selector)[nth];
      if (!el) throw new Error(`nothing matches ${selector} [${nth}] in ${name}`);
      el.dispatchEvent('tap');
      await simulate.sleep(0);
    },
    async trigger(selector, event, detail) {
      const el = all(selector)[0];
      if (!el) throw new Error(`nothing matches ${selector} in ${name}`);
      el.dispatchEvent(event, { detail });
      await simulate.sleep(0);
    },
    async input(selector, value) {
      const el = all(selector)[0];
      if (!el) throw new Error(`nothing matches ${selector} in ${name}`);
      el.dispatchEvent('input', { detail: { value } });
      await simulate.sleep(0);
    },
    until: (what, fn) => until(what, async () => fn(comp.data as Record<string, unknown>)),
    html: () => comp.dom!.outerHTML,
    text: () => comp.dom!.textContent ?? '',
  };
  return page;
}
