/**
 * The mini-program pages a WeChat subscribe message opens when the resident taps it (the
 * `page` of subscribe/send). One list for the server's senders and the mini-program's
 * app.json: miniprogram/test/project.test.ts fails when a page here is not one the
 * mini-program registers, since WeChat opens a missing page as an error screen.
 */
export const MINIPROGRAM_PAGES = {
  parcels: 'pages/parcels/index',
  hall: 'pages/hall/index',
  needs: 'pages/needs/index',
} as const;

/** The page a message about `id` opens (the page may use `id` to show that item first). */
export function miniprogramPage(page: keyof typeof MINIPROGRAM_PAGES, id?: string): string {
  return id ? `${MINIPROGRAM_PAGES[page]}?id=${encodeURIComponent(id)}` : MINIPROGRAM_PAGES[page];
}
