/**
 * The demo world: Jinquan subdistrict (金泉街道), Jinniu district, Chengdu, with
 * 清水河社区 (compound 清淳家园, ~24,000 residents) and 蜀西社区 (compound 两河锦地).
 * Pure data, fully deterministic: the seed (seed.ts) turns it into rows, and the CLI
 * can print the demo logins from it without touching the database.
 * Phone numbers and names are made up; the 028 lines are patterned placeholders.
 */
import type { Role } from '../platform/auth/roles.ts';

export type CommunityKey = 'qsh' | 'sx';

export interface DemoCommunity {
  key: CommunityKey;
  name: string;
  compound: {
    name: string;
    address: string;
    buildings: number;
    unitsPerBuilding: number;
    floors: number;
    householdsPerFloor: number;
  };
  /** Buildings 1–8 form grid 1, 9–16 grid 2, and so on. */
  buildingsPerGrid: number;
  /** Grid i's public service line is `${gridPhonePrefix}${i padded to 2}`. */
  gridPhonePrefix: string;
  hall: { name: string; address: string; openingHours: string };
  /** `grid` is the 1-based grid the officer is assigned to; null = the whole community. */
  police: { name: string; title: string; workPhone: string; grid: number | null }[];
}

export const DEMO_PASSWORD = 'antnest-demo-2026';

export const SUBDISTRICT = { name: '金泉街道', city: '成都市', district: '金牛区' } as const;

export const COMMUNITIES: readonly DemoCommunity[] = [
  {
    key: 'qsh',
    name: '清水河社区',
    // 40 buildings × 3 units × 24 floors × 3 households ≈ 8,640 households ≈ 24,000 residents.
    compound: {
      name: '清淳家园',
      address: '成都市金牛区金泉街道清淳家园',
      buildings: 40,
      unitsPerBuilding: 3,
      floors: 24,
      householdsPerFloor: 3,
    },
    buildingsPerGrid: 8,
    gridPhonePrefix: '028-875101',
    hall: {
      name: '清淳家园蚁巢服务馆',
      address: '清淳家园东门临街商铺',
      openingHours: '08:00-21:00',
    },
    police: [
      { name: '刘警官', title: '社区民警', workPhone: '028-87510110', grid: null },
      { name: '陈警官', title: '社区民警', workPhone: '028-87510111', grid: 1 },
    ],
  },
  {
    key: 'sx',
    name: '蜀西社区',
    compound: {
      name: '两河锦地',
      address: '成都市金牛区金泉街道两河锦地',
      buildings: 20,
      unitsPerBuilding: 2,
      floors: 18,
      householdsPerFloor: 2,
    },
    buildingsPerGrid: 8,
    gridPhonePrefix: '028-875201',
    hall: { name: '两河锦地蚁巢服务馆', address: '两河锦地南门', openingHours: '08:00-21:00' },
    police: [
      { name: '杨警官', title: '社区民警', workPhone: '028-87520110', grid: null },
      { name: '黄警官', title: '社区民警', workPhone: '028-87520111', grid: 1 },
    ],
  },
];

export interface DemoCarrier {
  code: string;
  name: string;
  kind: 'express' | 'takeout';
  /** The demo courier or rider of this carrier. */
  courier: { displayName: string; phone: string };
}

/** A fresh demo's first courier round (first-round.ts): 王大爷 gets a parcel at his unit's locker. */
export const FIRST_ROUND = {
  recipientPhone: '13800000003', // 王大爷
  place: '清淳家园 12栋3单元',
  carrier: 'sf',
  waybill: 'SF1000000001',
} as const;

export const CARRIERS: readonly DemoCarrier[] = [
  {
    code: 'sf',
    name: '顺丰速运',
    kind: 'express',
    courier: { displayName: '顺丰 周师傅', phone: '13900000001' },
  },
  {
    code: 'zto',
    name: '中通快递',
    kind: 'express',
    courier: { displayName: '中通 吴师傅', phone: '13900000002' },
  },
  {
    code: 'yto',
    name: '圆通速递',
    kind: 'express',
    courier: { displayName: '圆通 郑师傅', phone: '13900000003' },
  },
  {
    code: 'yunda',
    name: '韵达快递',
    kind: 'express',
    courier: { displayName: '韵达 冯师傅', phone: '13900000004' },
  },
  {
    code: 'jd',
    name: '京东物流',
    kind: 'express',
    courier: { displayName: '京东 何师傅', phone: '13900000005' },
  },
  {
    code: 'ems',
    name: '邮政EMS',
    kind: 'express',
    courier: { displayName: '邮政 罗师傅', phone: '13900000006' },
  },
  {
    code: 'meituan',
    name: '美团',
    kind: 'takeout',
    courier: { displayName: '美团骑手 小唐', phone: '13900000007' },
  },
  {
    code: 'eleme',
    name: '饿了么',
    kind: 'takeout',
    courier: { displayName: '饿了么骑手 小许', phone: '13900000008' },
  },
];

/** Where a demo account's role applies, by name rather than id (ids are made when seeding). */
export type DemoScope =
  | { kind: 'platform' }
  | { kind: 'subdistrict' }
  | { kind: 'community'; community: CommunityKey }
  | { kind: 'grid'; community: CommunityKey; grid: number }
  | { kind: 'hall'; community: CommunityKey }
  | { kind: 'carrier'; carrier: string };

export interface DemoStaff {
  username: string;
  displayName: string;
  role: Role;
  scope: DemoScope;
  phone: string | null;
}

export interface DemoResident {
  phone: string;
  displayName: string;
  community: CommunityKey;
  building: number;
  unit: number;
  /** Their default delivery preference (ADR 0009): most gave standing consent to the locker; one asks to be asked each time. */
  delivery: 'locker' | 'ask_first';
}

export const RESIDENTS: readonly DemoResident[] = [
  {
    phone: '13800000001',
    displayName: '张阿姨',
    community: 'qsh',
    building: 1,
    unit: 1,
    delivery: 'locker',
  },
  {
    phone: '13800000002',
    displayName: '李师傅',
    community: 'qsh',
    building: 1,
    unit: 2,
    delivery: 'locker',
  },
  {
    phone: '13800000003',
    displayName: '王大爷',
    community: 'qsh',
    building: 12,
    unit: 3,
    delivery: 'locker',
  },
  {
    phone: '13800000004',
    displayName: '刘姐',
    community: 'qsh',
    building: 33,
    unit: 1,
    delivery: 'ask_first',
  },
  {
    phone: '13800000005',
    displayName: '陈同学',
    community: 'sx',
    building: 1,
    unit: 1,
    delivery: 'locker',
  },
  {
    phone: '13800000006',
    displayName: '赵老师',
    community: 'sx',
    building: 15,
    unit: 2,
    delivery: 'locker',
  },
];

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 第一网格 … 第十网格 (then 第11网格). */
export function gridName(i: number): string {
  return `第${CN_DIGITS[i] ?? String(i)}网格`;
}

/** The public service line of grid i of a community. */
export function gridPhone(c: DemoCommunity, i: number): string {
  return `${c.gridPhonePrefix}${String(i).padStart(2, '0')}`;
}

/** How many grids a community has. */
export function gridCount(c: DemoCommunity): number {
  return Math.ceil(c.compound.buildings / c.buildingsPerGrid);
}

/** The 1-based grid a building (1-based) belongs to. */
export function gridOfBuilding(c: DemoCommunity, building: number): number {
  return Math.ceil(building / c.buildingsPerGrid);
}

/** 1栋, 2栋, … */
export const buildingName = (n: number) => `${n}栋`;
/** 1单元, 2单元, … */
export const unitName = (n: number) => `${n}单元`;
/** The locker site at a unit door, e.g. 1栋2单元门口. */
export const lockerSiteName = (building: number, unit: number) =>
  `${buildingName(building)}${unitName(unit)}门口`;

function community(key: CommunityKey): DemoCommunity {
  const c = COMMUNITIES.find((x) => x.key === key);
  if (!c) throw new Error(`unknown demo community ${key}`);
  return c;
}

/** Every demo staff account (operator, officer, community and grid workers, hall staff, partner, couriers). */
export function demoStaff(): DemoStaff[] {
  const staff: DemoStaff[] = [
    {
      username: 'admin',
      displayName: '蚁巢运营管理员',
      role: 'operator_admin',
      scope: { kind: 'platform' },
      phone: null,
    },
    {
      username: 'jq.officer',
      displayName: '金泉街道 孙主任',
      role: 'subdistrict_officer',
      scope: { kind: 'subdistrict' },
      phone: null,
    },
    {
      username: 'qsh.worker',
      displayName: '清水河社区 周书记',
      role: 'community_worker',
      scope: { kind: 'community', community: 'qsh' },
      phone: null,
    },
    {
      username: 'sx.worker',
      displayName: '蜀西社区 吴主任',
      role: 'community_worker',
      scope: { kind: 'community', community: 'sx' },
      phone: null,
    },
  ];
  for (const c of COMMUNITIES) {
    for (let g = 1; g <= gridCount(c); g++) {
      staff.push({
        username: `${c.key}.grid${g}`,
        displayName: `${c.name}${gridName(g)}网格员`,
        role: 'grid_worker',
        scope: { kind: 'grid', community: c.key, grid: g },
        phone: null,
      });
    }
  }
  staff.push(
    {
      username: 'qsh.hall',
      displayName: '清淳家园服务馆 店员小郑',
      role: 'hall_staff',
      scope: { kind: 'hall', community: 'qsh' },
      phone: null,
    },
    {
      username: 'sx.hall',
      displayName: '两河锦地服务馆 店员小冯',
      role: 'hall_staff',
      scope: { kind: 'hall', community: 'sx' },
      phone: null,
    },
    {
      username: 'qsh.partner',
      displayName: '社区合伙人 钱阿姨',
      role: 'partner',
      scope: { kind: 'hall', community: 'qsh' },
      // Also signs in to the resident app by SMS code, where 我的 shows her partner statement.
      phone: '13800000007',
    },
  );
  for (const k of CARRIERS) {
    staff.push({
      username: `courier.${k.code}`,
      displayName: k.courier.displayName,
      role: 'courier',
      scope: { kind: 'carrier', carrier: k.code },
      phone: k.courier.phone,
    });
  }
  return staff;
}

/** A place's name for people, e.g. "清水河社区 第一网格". */
export function describeScope(s: DemoScope): string {
  switch (s.kind) {
    case 'platform':
      return '整个平台 (platform)';
    case 'subdistrict':
      return SUBDISTRICT.name;
    case 'community':
      return community(s.community).name;
    case 'grid':
      return `${community(s.community).name} ${gridName(s.grid)}`;
    case 'hall':
      return community(s.community).hall.name;
    case 'carrier':
      return CARRIERS.find((k) => k.code === s.carrier)?.name ?? s.carrier;
  }
}

/** Where a demo resident lives, e.g. "清水河社区 清淳家园 1栋1单元". */
export function describeHome(r: DemoResident): string {
  const c = community(r.community);
  return `${c.name} ${c.compound.name} ${buildingName(r.building)}${unitName(r.unit)}`;
}

/**
 * Sending prices (寄件, issue 20) of the express carriers, in fen: a base for the lightest
 * band and the smallest compartment, plus steps per heavier band and per larger size.
 * Roughly what a city-to-city parcel cost at a Chengdu locker in 2026.
 */
export const SENDING_TARIFFS: Readonly<Record<string, number>> = {
  sf: 1300,
  jd: 1200,
  ems: 1000,
  zto: 800,
  yto: 800,
  yunda: 800,
};
export const SENDING_BAND_STEP_FEN = { '0-1kg': 0, '1-3kg': 400, '3-5kg': 900, '5-10kg': 1800 };
export const SENDING_SIZE_STEP_FEN = { S: 0, M: 200, L: 500, XL: 900 };
