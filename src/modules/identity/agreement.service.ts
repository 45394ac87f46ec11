/**
 * Agreement acceptance (PIPL): which versions of the user agreement and privacy notice a
 * person accepted, when, and in which language; and whether they must accept again
 * because a text changed. Also the account's display settings (elder mode).
 */
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './agreement.repository.ts';
import {
  AGREEMENT_TEXTS,
  AGREEMENT_VERSIONS,
  type AgreementDoc,
  type AgreementLang,
} from './agreement-texts.ts';

const DOCS = Object.keys(AGREEMENT_VERSIONS) as AgreementDoc[];

export interface CurrentAgreement {
  document: AgreementDoc;
  version: string;
  title: string;
  url: string;
}

/** The documents in force, with where to read them. */
export function currentAgreements(lang: AgreementLang = 'zh-CN'): CurrentAgreement[] {
  return DOCS.map((d) => ({
    document: d,
    version: AGREEMENT_VERSIONS[d],
    title: AGREEMENT_TEXTS[d][lang].title,
    url: `/legal/${d}${lang === 'en' ? '?lang=en' : ''}`,
  }));
}

export interface MyAgreements {
  accepted: { document: AgreementDoc; version: string; lang: string; acceptedAt: string }[];
  /** True when every current document is accepted at its current version. */
  upToDate: boolean;
}

/** What I accepted and whether that is still enough. */
export async function myAgreements(deps: AppDeps, userId: string): Promise<MyAgreements> {
  const rows = await repo.acceptancesOf(deps.db, userId);
  return {
    accepted: rows.map((r) => ({
      document: r.document,
      version: r.version,
      lang: r.lang,
      acceptedAt: r.accepted_at,
    })),
    upToDate: DOCS.every((d) =>
      rows.some((r) => r.document === d && r.version === AGREEMENT_VERSIONS[d]),
    ),
  };
}

/** Record acceptance of the current versions; a stale or partial acceptance is refused so the person reads what is in force. */
export async function accept(
  deps: AppDeps,
  userId: string,
  input: { accepted: { document: AgreementDoc; version: string }[]; lang: AgreementLang },
): Promise<MyAgreements> {
  for (const d of DOCS) {
    const a = input.accepted.find((x) => x.document === d);
    if (!a)
      throw new AppError(
        'validation_failed',
        `Accept the ${d === 'terms' ? 'user agreement' : 'privacy notice'} too (version ${AGREEMENT_VERSIONS[d]}).`,
      );
    if (a.version !== AGREEMENT_VERSIONS[d])
      throw new AppError(
        'conflict',
        `The ${d} text changed: version ${AGREEMENT_VERSIONS[d]} is in force, not ${a.version}. Reload and read it again.`,
      );
  }
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    for (const d of DOCS)
      await repo.insertAcceptance(trx, {
        id: newId(deps.clock, deps.random),
        user_id: userId,
        document: d,
        version: AGREEMENT_VERSIONS[d],
        lang: input.lang,
        accepted_at: now,
      });
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: userId,
      action: 'agreement.accept',
      targetKind: 'user',
      targetId: userId,
      communityId: null,
      detail: { ...AGREEMENT_VERSIONS, lang: input.lang },
    });
  });
  return myAgreements(deps, userId);
}

/** The account's display settings. */
export async function getSettings(deps: AppDeps, userId: string): Promise<{ elderMode: boolean }> {
  return { elderMode: await repo.elderModeOf(deps.db, userId) };
}

/** Save the account's display settings (they follow the person to another phone). */
export async function saveSettings(
  deps: AppDeps,
  userId: string,
  s: { elderMode: boolean },
): Promise<{ elderMode: boolean }> {
  await repo.saveElderMode(deps.db, userId, s.elderMode, iso(deps.clock.now()));
  return getSettings(deps, userId);
}

function esc(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );
}

/** A document as a small readable page (large type: older residents read it too). */
export function agreementPage(doc: AgreementDoc, lang: AgreementLang): string {
  const t = AGREEMENT_TEXTS[doc][lang];
  const other =
    lang === 'en'
      ? `<a href="/legal/${doc}">中文</a>`
      : `<a href="/legal/${doc}?lang=en">English</a>`;
  const version =
    lang === 'en' ? `Version ${AGREEMENT_VERSIONS[doc]}` : `版本 ${AGREEMENT_VERSIONS[doc]}`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(t.title)}</title>
<style>body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:640px;margin:0 auto;padding:16px 20px 40px;font-size:18px;line-height:1.75;color:#222}h1{font-size:24px}h2{font-size:19px;margin:20px 0 6px}a{color:#0a7a5a}.meta{color:#555;font-size:16px}</style></head>
<body><p class="meta">${version} · ${other}</p><h1>${esc(t.title)}</h1>${t.sections.map((s) => `<h2>${esc(s.heading)}</h2><p>${esc(s.body)}</p>`).join('')}</body></html>`;
}
