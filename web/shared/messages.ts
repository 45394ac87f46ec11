/**
 * Server errors as text a person can act on, in the web apps' language (i18next); the wording
 * itself is in error-text.ts, which the mini-program shares.
 */
import i18next from 'i18next';
import { errorText, inLanguage } from './error-text.ts';
import { t } from './i18n.ts';

const lang = () => (i18next.language === 'en' ? 'en' : 'zh-CN');

/** A bilingual server message in the reader's language; null when it has no Chinese. */
export function inReadersLanguage(serverMessage: string): string | null {
  return inLanguage(serverMessage, lang());
}

/** The message to show for an error code (the server's English text picks finer cases). */
export function describeError(
  code: string,
  status: number,
  serverMessage: string,
  path: string,
): string {
  return errorText(t, lang(), code, status, serverMessage, path);
}
