/**
 * Where a compartment is, as the texts to residents say it: the compound, the locker and the
 * compartment (清淳家园12栋3单元门口智能柜 1号格口). The site is named only when the locker's
 * own name does not already say it (a site with lockers 'A柜' and 'B柜'): the demo's
 * lockers are named after their site, and every text said the place twice.
 */
export function compartmentText(
  place: { compound: string; site: string; locker: string } | undefined,
  compartment: number,
): string {
  if (!place) return `${compartment}号格口`; // a locker whose place is gone: the number alone
  const where = place.locker.startsWith(place.site)
    ? place.locker
    : `${place.site}（${place.locker}）`;
  return `${place.compound}${where}${compartment}号格口`;
}
