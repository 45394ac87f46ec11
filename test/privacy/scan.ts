/**
 * The privacy scanner shared by the privacy suite and the fault suites' log scan: finds
 * full mobile numbers, pickup codes and flat numbers in any text.
 */
/** Not the fraction of a decimal: a log's `"responseTime":102.17516600003` held one (a PostgreSQL run, 2026-12-05). */
export const MOBILE = /(?<![0-9])(?<![0-9]\.)1[3-9][0-9]{9}(?![0-9])/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A digest in hex (the ledger's entry hashes, SHA-256: 64 digits). */
const DIGEST = /(?<![0-9a-z])[0-9a-f]{32,}(?![0-9a-z])/gi;
/** A flat named outright: 1502室, 3-2-1502, 15楼02, room 1502. */
const FLAT = [
  /(?<![0-9])[0-9]{3,4}\s*(?:室|房|号房)/,
  /(?<![0-9-])[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}(?![0-9-])/,
  /[0-9]+\s*(?:楼|层)\s*[0-9]{1,2}\s*号/,
  /单元\s*[0-9]{1,2}\s*-\s*[0-9]{1,2}(?![0-9])/,
  /\b(?:room|flat|apt)\s*[0-9]+/i,
];

export interface Finding {
  where: string;
  what: string;
}

/** What in `text` a viewer must not see. `ownCodes` are the viewer's own pickup codes. */
export function scan(
  raw: string,
  where: string,
  codes: string[],
  own: { phone?: string; codes?: string[] } = {},
): Finding[] {
  const out: Finding[] = [];
  // Identifiers are not personal data: a UUID's random hex can hold an 11-digit run that looks like a mobile
  // number (it happened: "…-14611701811a", about once in a thousand runs); so can a digest's (the ledger's
  // entry hash "…13612025934…" in GET /halls/:id/ledger).
  const text = raw.replace(UUID, 'uuid').replace(DIGEST, 'digest');
  for (const m of text.matchAll(MOBILE))
    if (m[0] !== own.phone) out.push({ where, what: `full phone ${m[0]}` });
  for (const c of codes)
    if (!own.codes?.includes(c) && text.includes(c)) out.push({ where, what: `pickup code ${c}` });
  for (const re of FLAT) {
    const m = text.match(re);
    if (m) out.push({ where, what: `flat-like "${m[0]}"` });
  }
  return out;
}
