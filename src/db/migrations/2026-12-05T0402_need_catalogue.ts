import type { Kysely } from 'kysely';

/**
 * The starting service catalogue for residents' needs, its three deadline classes and the
 * working-day calendar (issue 16). Communities change all of it later through the API;
 * this is what a fresh install (and the demo) starts with.
 *
 * 2026: the State Council's notice (国办发明电〔2025〕7号): holidays and make-up working days.
 * 2027: only the statutory days of the 2025 放假办法 are listed (provisional, marked so);
 * the annual notice's bridging days and make-up days are entered through the API when it
 * is published.
 */
const AT = '2026-12-05T00:00:00.000Z';

const classes = [
  {
    code: 'urgent',
    name: '紧急（当日）',
    name_en: 'Urgent (same day)',
    unit: 'hours',
    amount: 24,
    respond_hours: 1,
    warn_hours: 4,
  },
  {
    code: 'help',
    name: '求助咨询（3个工作日）',
    name_en: 'Help or consultation (3 working days)',
    unit: 'working_days',
    amount: 3,
    respond_hours: 24,
    warn_hours: 24,
  },
  {
    code: 'complaint',
    name: '投诉建议（13个工作日）',
    name_en: 'Complaint or suggestion (13 working days)',
    unit: 'working_days',
    amount: 13,
    respond_hours: 24,
    warn_hours: 48,
  },
];

const list = (code: string, desc: string, values: [string, string][], required = true) => ({
  code,
  datatype: 'singlevaluelist',
  required,
  description: desc,
  values: values.map(([key, name]) => ({ key, name })),
});
const text = (code: string, desc: string, required = false) => ({
  code,
  datatype: 'string',
  required,
  description: desc,
});

const services: [string, string, string, string, string, string, string, object[], string][] = [
  [
    'repair',
    '公共设施报修',
    'Repairs',
    '楼道灯、门禁、电梯、管道等公共设施损坏',
    '报修',
    'property',
    'help',
    [
      list('facility', '哪里坏了', [
        ['lights', '楼道灯'],
        ['door', '单元门禁'],
        ['lift', '电梯'],
        ['pipe', '水管/下水'],
        ['other', '其他'],
      ]),
    ],
    '报修 维修 坏了 灯 门禁 电梯 漏水',
  ],
  [
    'sanitation',
    '环境卫生',
    'Sanitation',
    '垃圾堆放、清运不及时、楼道杂物',
    '环境',
    'grid_worker',
    'help',
    [
      list('kind', '问题类型', [
        ['rubbish', '垃圾堆放'],
        ['clutter', '楼道杂物'],
        ['pests', '蚊虫鼠患'],
        ['other', '其他'],
      ]),
    ],
    '垃圾 卫生 杂物 清运',
  ],
  [
    'dispute',
    '邻里纠纷',
    'Neighbour dispute',
    '邻里之间的矛盾，需要社区调解',
    '矛盾调解',
    'grid_worker',
    'complaint',
    [text('other_party', '对方（如：楼上住户）')],
    '纠纷 调解 邻居 矛盾',
  ],
  [
    'elderly_help',
    '为老助老',
    'Help for the elderly',
    '独居老人助餐、代购药品、陪同就医、上门探访',
    '求助',
    'grid_worker',
    'help',
    [
      list('help_kind', '需要什么帮助', [
        ['meal', '助餐'],
        ['medicine', '代购药品'],
        ['escort', '陪同就医'],
        ['visit', '上门探访'],
      ]),
      text('preferred_time', '方便的时间'),
    ],
    '老人 助老 独居 助餐 就医',
  ],
  [
    'safety_hazard',
    '安全隐患',
    'Safety hazard',
    '消防通道堵塞、燃气异味、高空坠物、电线裸露',
    '安全',
    'grid_worker',
    'urgent',
    [
      list('hazard', '隐患类型', [
        ['fire_exit', '消防通道堵塞'],
        ['gas', '燃气异味'],
        ['falling', '高空坠物'],
        ['wires', '电线裸露'],
        ['other', '其他'],
      ]),
    ],
    '隐患 消防 燃气 电线 危险',
  ],
  [
    'policy',
    '政策咨询',
    'Policy question',
    '社区办事、证明开具、政策解读',
    '咨询',
    'community_office',
    'help',
    [text('topic', '想咨询什么事项')],
    '政策 咨询 证明 办事',
  ],
  [
    'social_security',
    '社保医保',
    'Social security',
    '社保、医保、养老金、低保等事项',
    '咨询',
    'community_office',
    'help',
    [
      list('topic', '事项', [
        ['pension', '养老保险'],
        ['medical', '医疗保险'],
        ['subsistence', '低保救助'],
        ['other', '其他'],
      ]),
    ],
    '社保 医保 养老金 低保',
  ],
  [
    'property',
    '物业服务',
    'Property management',
    '物业服务质量、收费、绿化、停车',
    '物业',
    'property',
    'complaint',
    [
      list('topic', '事项', [
        ['service', '服务质量'],
        ['fees', '收费'],
        ['greenery', '绿化'],
        ['parking', '停车'],
        ['other', '其他'],
      ]),
    ],
    '物业 收费 停车 绿化',
  ],
  [
    'noise',
    '噪音扰民',
    'Noise',
    '装修、商铺、夜间噪音',
    '投诉',
    'grid_worker',
    'complaint',
    [
      list('source', '噪音来源', [
        ['renovation', '装修'],
        ['shop', '商铺'],
        ['night', '夜间活动'],
        ['other', '其他'],
      ]),
      text('when', '通常什么时候'),
    ],
    '噪音 吵 装修 扰民',
  ],
  [
    'public_order',
    '治安问题',
    'Public order',
    '可疑人员、盗窃、占道等治安问题（紧急情况请拨 110）',
    '安全',
    'police',
    'urgent',
    [],
    '治安 盗窃 可疑 报警',
  ],
  [
    'utilities',
    '水电气故障',
    'Water, power or gas outage',
    '停水、停电、燃气中断',
    '公共服务',
    'utilities',
    'urgent',
    [
      list('utility', '哪一项', [
        ['water', '水'],
        ['power', '电'],
        ['gas', '燃气'],
      ]),
    ],
    '停水 停电 燃气 断气',
  ],
  [
    'suggestion',
    '意见建议',
    'Suggestion',
    '对社区工作和服务的意见、建议',
    '建议',
    'community_office',
    'complaint',
    [],
    '建议 意见',
  ],
  [
    'referral',
    '转办事项',
    'Outside institution',
    '需要街道、区级部门等外部机构办理的事项',
    '转办',
    'institution',
    'complaint',
    [text('institution', '涉及哪个单位（如知道）')],
    '转办 部门 街道 区里',
  ],
];

const holidays2026: [string, 'holiday' | 'workday', string][] = [
  ['2026-01-01', 'holiday', '元旦'],
  ['2026-01-02', 'holiday', '元旦'],
  ['2026-01-03', 'holiday', '元旦'],
  ['2026-01-04', 'workday', '元旦调休上班'],
  ['2026-02-14', 'workday', '春节调休上班'],
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map(
    (d) => [`2026-02-${d}`, 'holiday', '春节'] as [string, 'holiday', string],
  ),
  ['2026-02-28', 'workday', '春节调休上班'],
  ['2026-04-04', 'holiday', '清明节'],
  ['2026-04-05', 'holiday', '清明节'],
  ['2026-04-06', 'holiday', '清明节'],
  ...['01', '02', '03', '04', '05'].map(
    (d) => [`2026-05-${d}`, 'holiday', '劳动节'] as [string, 'holiday', string],
  ),
  ['2026-05-09', 'workday', '劳动节调休上班'],
  ['2026-06-19', 'holiday', '端午节'],
  ['2026-06-20', 'holiday', '端午节'],
  ['2026-06-21', 'holiday', '端午节'],
  ['2026-09-20', 'workday', '国庆节调休上班'],
  ['2026-09-25', 'holiday', '中秋节'],
  ['2026-09-26', 'holiday', '中秋节'],
  ['2026-09-27', 'holiday', '中秋节'],
  ...['01', '02', '03', '04', '05', '06', '07'].map(
    (d) => [`2026-10-${d}`, 'holiday', '国庆节'] as [string, 'holiday', string],
  ),
  ['2026-10-10', 'workday', '国庆节调休上班'],
];

const holidays2027: [string, 'holiday' | 'workday', string][] = [
  ['2027-01-01', 'holiday', '元旦（暂定）'],
  ['2027-02-05', 'holiday', '春节（暂定）'],
  ['2027-02-06', 'holiday', '春节（暂定）'],
  ['2027-02-07', 'holiday', '春节（暂定）'],
  ['2027-02-08', 'holiday', '春节（暂定）'],
  ['2027-04-05', 'holiday', '清明节（暂定）'],
  ['2027-05-01', 'holiday', '劳动节（暂定）'],
  ['2027-05-02', 'holiday', '劳动节（暂定）'],
  ['2027-06-09', 'holiday', '端午节（暂定）'],
  ['2027-09-15', 'holiday', '中秋节（暂定）'],
  ['2027-10-01', 'holiday', '国庆节（暂定）'],
  ['2027-10-02', 'holiday', '国庆节（暂定）'],
  ['2027-10-03', 'holiday', '国庆节（暂定）'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('need_deadline_classes').values(classes).execute();
  await db
    .insertInto('need_services')
    .values(
      services.map(
        (
          [
            code,
            name,
            name_en,
            description,
            group_name,
            responsible,
            deadline_class,
            attributes,
            keywords,
          ],
          i,
        ) => ({
          code,
          name,
          name_en,
          description,
          group_name,
          responsible,
          deadline_class,
          attributes: JSON.stringify(attributes),
          keywords,
          active: 1,
          sort: (i + 1) * 10,
          updated_at: AT,
        }),
      ),
    )
    .execute();
  await db
    .insertInto('need_calendar')
    .values([...holidays2026, ...holidays2027].map(([day, kind, name]) => ({ day, kind, name })))
    .execute();
}
