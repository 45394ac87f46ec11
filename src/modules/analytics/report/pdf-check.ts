/**
 * Structural checks of a PDF this module wrote (used by its tests): the header, every
 * xref entry pointing at its `n 0 obj`, startxref pointing at the table, and the text
 * drawn (Latin runs as literal strings, Chinese as UCS-2 hex) read back in order.
 */

/** Problems found in the file's structure; empty when it is sound. */
export function xrefProblems(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  const problems: string[] = [];
  if (!s.startsWith('%PDF-')) problems.push('does not start with %PDF-');
  if (!s.trimEnd().endsWith('%%EOF')) problems.push('does not end with %%EOF');
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(s);
  if (!start) return [...problems, 'no startxref'];
  const xref = Number(start[1]);
  if (!s.startsWith('xref', xref)) return [...problems, `startxref ${xref} is not at "xref"`];
  const head = /^xref\s+0 (\d+)\s+/.exec(s.slice(xref));
  if (!head) return [...problems, 'malformed xref header'];
  const count = Number(head[1]);
  const entries = s
    .slice(xref + head[0].length)
    .split('\n')
    .slice(0, count);
  if (!/^0000000000 65535 f ?$/.test(entries[0] ?? '')) problems.push('entry 0 is not free');
  for (let i = 1; i < count; i++) {
    const m = /^(\d{10}) 00000 n ?$/.exec(entries[i] ?? '');
    if (!m) {
      problems.push(`entry ${i} malformed`);
      continue;
    }
    if (!s.startsWith(`${i} 0 obj`, Number(m[1])))
      problems.push(`entry ${i} does not point at its object`);
  }
  const trailer = /trailer\s*<<[^]*?\/Size (\d+)/.exec(s);
  if (Number(trailer?.[1]) !== count) problems.push('trailer /Size differs from the xref count');
  return problems;
}

/** The text drawn by Tj operators, decoded, joined per BT…ET block. */
export function drawnText(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  const blocks = s.match(/BT [^]*? ET/g) ?? [];
  return blocks.map((b) =>
    [...b.matchAll(/\((.*?)(?<!\\)\) Tj|<([0-9a-f]+)> Tj/g)]
      .map((m) =>
        m[1] !== undefined
          ? m[1].replace(/\\([\\()])/g, '$1')
          : String.fromCharCode(...(m[2]!.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16))),
      )
      .join(''),
  );
}
