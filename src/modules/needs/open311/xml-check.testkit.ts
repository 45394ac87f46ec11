/**
 * A strict, small XML well-formedness check for tests (no XML library is installed): one
 * optional declaration, then one root element; elements without attributes (GeoReport v2
 * uses none), text with the five predefined entities or numeric references, properly nested.
 */

/** A parsed element. */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;

/** Parse a document or throw saying where it is not well-formed. */
export function parseXml(doc: string): XmlNode {
  let i = 0;
  if (doc.startsWith('<?xml')) {
    const end = doc.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  const decode = (s: string) => {
    if (/&(?!(lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);)/.test(s))
      throw new Error(`bad entity in "${s}"`);
    if (/</.test(s)) throw new Error('stray <');
    return s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&amp;/g, '&');
  };
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (text.trim()) {
      if (!stack.length) throw new Error(`text outside the root at ${i}`);
      stack.at(-1)!.text += decode(text);
    }
    if (lt < 0) break;
    const gt = doc.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const tag = doc.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1))
        throw new Error(`</${tag.slice(1)}> closes <${open?.name}>`);
      continue;
    }
    const self = tag.endsWith('/');
    const name = (self ? tag.slice(0, -1) : tag).trim();
    if (NAME.exec(name)?.[0] !== name) throw new Error(`bad element name "${name}"`);
    const node: XmlNode = { name, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(node);
    else if (root) throw new Error('a second root element');
    else root = node;
    if (!self) stack.push(node);
  }
  if (stack.length) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element name in a tree. */
export function elementNames(n: XmlNode, out = new Set<string>()): Set<string> {
  out.add(n.name);
  for (const c of n.children) elementNames(c, out);
  return out;
}

/** The first descendant with a name. */
export function find(n: XmlNode, name: string): XmlNode | undefined {
  if (n.name === name) return n;
  for (const c of n.children) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}
