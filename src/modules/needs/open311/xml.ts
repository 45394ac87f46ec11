/**
 * The XML form of GeoReport v2 responses: the same objects as the JSON, with each array
 * wrapped in its plural element and each item in the singular one the spec names
 * (<services><service>, <attributes><attribute>, <values><value>, <endpoints><endpoint>,
 * <formats><format>, <service_requests><request>, <errors><error>).
 */
const ITEM: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests: 'request',
  errors: 'error',
};

/** Escape text for an XML element body. */
export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

function element(name: string, v: unknown): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) {
    const item = ITEM[name] ?? 'item';
    return `<${name}>${v.map((x) => element(item, x)).join('')}</${name}>`;
  }
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => element(k, x))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** A whole document: `root` holds the array or object. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${element(root, value)}`;
}
