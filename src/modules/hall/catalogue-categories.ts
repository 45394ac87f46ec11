/** The hall's service categories (DESIGN.md: 10+ everyday services), with their Chinese and English names. */
export const CATEGORIES = {
  fruit: { zh: '新鲜水果', en: 'Fresh fruit', kind: 'product' },
  produce: { zh: '生鲜蔬菜', en: 'Fresh produce', kind: 'product' },
  grocery: { zh: '日用百货', en: 'Groceries', kind: 'product' },
  snacks: { zh: '零食饮料', en: 'Snacks and drinks', kind: 'product' },
  medical: { zh: '医疗陪诊', en: 'Medical escort and health checks', kind: 'service' },
  housekeeping: { zh: '家政保洁', en: 'Housekeeping', kind: 'service' },
  laundry: { zh: '洗衣取送', en: 'Laundry pick-up', kind: 'service' },
  repair: { zh: '维修服务', en: 'Repairs', kind: 'service' },
  meals: { zh: '长者助餐', en: 'Elderly meals', kind: 'service' },
  printing: { zh: '打印复印', en: 'Printing and copying', kind: 'service' },
  bills: { zh: '生活缴费', en: 'Bill top-up', kind: 'service' },
  parcels: { zh: '快递代收', en: 'Parcels', kind: 'service' },
} as const;

export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];
