/**
 * The text rule for the cloud's importers. It lives in the shared kernel (src/kernel/text.ts),
 * so the contract and the device agent apply the same rule; add multi-line field names to
 * `MULTILINE_FIELDS` there.
 */
export * from '../kernel/text.ts';
