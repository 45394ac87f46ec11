/**
 * Where the mini-program finds its server: fixed at build time (`npm run build:miniprogram --
 * --api https://node.example.cn`, default the demo node on this machine). WeChat only calls
 * https domains listed in the mini-program's admin console; DevTools can skip that check
 * for a local node (project.config.json: urlCheck false).
 */
declare const __ANTNEST_API__: string;

/** The server's root URL, without a trailing slash. */
export const API_BASE: string = __ANTNEST_API__.replace(/\/+$/, '');
