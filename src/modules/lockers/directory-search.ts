/**
 * What a courier types to find a door, read the way they mean it: the address exactly as
 * an app shows it ("清水河社区 清淳家园 1栋1单元门口", or run together as
 * "清淳家园1栋1单元"), a compound with building and unit numbers ("清淳 12栋3单元",
 * "12-3", "12 3"), or part of a name or a locker id. Building and unit numbers are
 * matched exactly (1栋 is not 11栋); the rest are words that must all appear.
 */

/** A parsed search. */
export interface DirectorySearch {
  /** Building number ("12" for 12栋 / 12号楼 / 12幢), when given. */
  building: string | null;
  /** Unit number ("3" for 3单元), when given with a building. */
  unit: string | null;
  /** Words (no spaces inside) that must each appear in the address or the locker's name or id. */
  words: string[];
}

// "12栋3单元", "12号楼3单元", "12-3", "12 3", "12栋 3"; then a building alone: "12栋", "12号楼", "12幢".
const BUILDING_UNIT = /(\d{1,4})\s*(?:栋|号楼|幢|号|[-－—\s])\s*(\d{1,3})\s*(?:单元)?/;
const BUILDING = /(\d{1,4})\s*(?:栋|号楼|幢)/;

/** Parse a search text (full-width forms folded, LIKE wildcards dropped). */
export function parseDirectorySearch(input: string): DirectorySearch {
  let text = input
    .normalize('NFKC')
    .replace(/[\\%_]/g, '')
    .trim();
  let building: string | null = null;
  let unit: string | null = null;
  const bu = BUILDING_UNIT.exec(text);
  if (bu) {
    building = String(Number(bu[1]));
    unit = String(Number(bu[2]));
    text = `${text.slice(0, bu.index)} ${text.slice(bu.index + bu[0].length)}`;
  } else {
    const b = BUILDING.exec(text);
    if (b) {
      building = String(Number(b[1]));
      text = `${text.slice(0, b.index)} ${text.slice(b.index + b[0].length)}`;
    }
  }
  const words = text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  return { building, unit, words };
}

/** The names a building with this number may have. */
export function buildingNames(n: string): string[] {
  return [`${n}栋`, `${n}号楼`, `${n}幢`, `${n}号`];
}
