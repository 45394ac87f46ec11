/**
 * Text antnest refuses at the door, one rule for HTTP (platform/http/nul-guard.ts) and
 * device messages (contract/validate.ts), so it lives in the kernel both import:
 * - U+0000: PostgreSQL refuses it in `text` columns and SQLite would cut C-side strings at
 *   it, so it would fail halfway inside a transaction;
 * - other C0/C1 control characters (TAB, LF and CR only in multi-line fields): they corrupt
 *   logs, SMS and screens;
 * - bidi overrides, isolates and marks: they make a display name or a remote-open reason
 *   read differently from what was stored (issue 13, finding 10);
 * - JSON nested deeper than MAX_JSON_DEPTH: no message of ours needs it, and recursive code
 *   (canonical JSON, validators) would overflow the stack (finding 6).
 * The walk is iterative, so no input can exhaust the stack here.
 */

/** The deepest JSON nesting any request or device message may have (ours need fewer than 6). */
export const MAX_JSON_DEPTH = 32;

/** Fields whose text may span lines (TAB, LF and CR allowed); matched on the last key of the path. */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  'note',
  'notes',
  'message',
  'description',
  'details',
  'comment',
  'reply',
  'content',
  'body',
]);

export type TextProblemKind = 'nul' | 'control' | 'bidi' | 'depth';

/** The first refused thing in a value: where (`a.b[2]`, or `(value)` for the root) and what. */
export interface TextProblem {
  path: string;
  kind: TextProblemKind;
}

// U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/U+200F and U+061C marks.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
// C0 except TAB/LF/CR, DEL, C1.
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAKS = /[\t\n\r]/;

/** What is wrong with one string, or null; `multiline` allows TAB, LF and CR. */
export function textProblem(s: string, multiline: boolean): TextProblemKind | null {
  if (s.includes('\u0000')) return 'nul';
  if (CONTROL.test(s) || (!multiline && LINE_BREAKS.test(s))) return 'control';
  if (BIDI.test(s)) return 'bidi';
  return null;
}

type Judge = (s: string, key: string, isKey: boolean) => TextProblemKind | null;
const judgeAll: Judge = (s, key, isKey) => textProblem(s, !isKey && MULTILINE_FIELDS.has(key));
const judgeNul: Judge = (s) => (s.includes('\u0000') ? 'nul' : null);

/** The first refused string, key or nesting in a parsed value (depth-first, in order), or null. */
export function findBadText(value: unknown, maxDepth = MAX_JSON_DEPTH): TextProblem | null {
  // Every request and device message passes here and nearly all are clean: a walk that builds
  // no paths answers those; the full walk runs only to name what it found.
  if (maxDepth <= MAX_JSON_DEPTH && clean(value, 0, maxDepth, false)) return null;
  return findBadTextByWalk(value, maxDepth);
}

/** findBadText by the full walk alone, naming paths as it goes (the reference its fast path is tested against). */
export function findBadTextByWalk(value: unknown, maxDepth = MAX_JSON_DEPTH): TextProblem | null {
  return scan(value, maxDepth, judgeAll);
}

// Whatever textProblem refuses, in one class: with and without the line breaks.
const REFUSED_IN_MULTILINE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const REFUSED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/**
 * True when scan(value, maxDepth, judgeAll) finds nothing. Recursive, but never deeper than
 * maxDepth (≤ MAX_JSON_DEPTH) levels, so it cannot exhaust the stack either.
 */
function clean(v: unknown, depth: number, maxDepth: number, multiline: boolean): boolean {
  if (typeof v === 'string') return !(multiline ? REFUSED_IN_MULTILINE : REFUSED).test(v);
  if (v === null || typeof v !== 'object') return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++)
      if (!clean(v[i], depth + 1, maxDepth, multiline)) return false;
    return true;
  }
  for (const k of Object.keys(v)) {
    if (REFUSED.test(k)) return false;
    const child = (v as Record<string, unknown>)[k];
    if (!clean(child, depth + 1, maxDepth, MULTILINE_FIELDS.has(k))) return false;
  }
  return true;
}

/** The path (`a.b[2]`) of the first string or key holding U+0000, or null (any depth). */
export function findNulText(value: unknown): string | null {
  return scan(value, Number.POSITIVE_INFINITY, judgeNul)?.path ?? null;
}

function scan(value: unknown, maxDepth: number, judge: Judge): TextProblem | null {
  type Item = { v: unknown; path: string; key: string; depth: number };
  const stack: Item[] = [{ v: value, path: '', key: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, key, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const kind = judge(v, key, false);
      if (kind) return { path: path || '(value)', kind };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { path: path || '(value)', kind: 'depth' };
    const children: Item[] = [];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++)
        children.push({ v: v[i], path: `${path}[${i}]`, key, depth: depth + 1 });
    } else {
      for (const [k, child] of Object.entries(v)) {
        const name = k.replace(
          /[\u0000-\u001f\u007f-\u009f]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
        const here = path ? `${path}.${name}` : name;
        const kind = judge(k, k, true);
        if (kind) return { path: here, kind };
        children.push({ v: child, path: here, key: k, depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so the first child is looked at first.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

/**
 * True when JSON text nests arrays/objects deeper than `max`, found by one pass over the
 * characters (brackets inside strings do not count) before anything parses or walks it.
 */
export function jsonNestedDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** What was found, as a phrase: "a NUL character (\\u0000)", "a bidirectional-text control character (…)", … */
export function textProblemPhrase(kind: TextProblemKind): string {
  switch (kind) {
    case 'nul':
      return 'a NUL character (\\u0000)';
    case 'control':
      return 'a control character (line breaks only in multi-line fields such as a note)';
    case 'bidi':
      return 'a bidirectional-text control character (U+202A–202E, U+2066–2069, U+200E/200F or U+061C), which can make text read differently from what is stored';
    case 'depth':
      return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
  }
}

/** One sentence naming the field and what to remove, for a 400. */
export function describeTextProblem(p: TextProblem, where: string): string {
  if (p.kind === 'depth')
    return `The ${where} is JSON nested deeper than ${MAX_JSON_DEPTH} levels (at "${p.path}"); flatten it and send again.`;
  return `The ${where} field "${p.path}" contains ${textProblemPhrase(p.kind)}; remove it and send again.`;
}
