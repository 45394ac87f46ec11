/**
 * The user agreement and privacy notice shown at sign-in (PIPL arts. 13–17: the purposes,
 * the data, how long it is kept, who receives it, the person's rights and how to reach
 * us). Changing a text means a new version: everyone is asked to accept it again.
 */
export type AgreementDoc = 'terms' | 'privacy';
export type AgreementLang = 'zh-CN' | 'en';

export interface AgreementText {
  title: string;
  sections: { heading: string; body: string }[];
}

/** Current version of each document (the date it took effect). */
export const AGREEMENT_VERSIONS: Record<AgreementDoc, string> = {
  terms: '2026-12-05',
  privacy: '2026-12-05',
};

export const AGREEMENT_TEXTS: Record<AgreementDoc, Record<AgreementLang, AgreementText>> = {
  terms: {
    'zh-CN': {
      title: '蚁巢用户服务协议',
      sections: [
        {
          heading: '一、服务内容',
          body: '蚁巢由社区与运营的社会组织共同提供：楼下智能柜收取快递和外卖、寄件与寄存、社区服务馆下单、向社区反映需求。部分服务由快递公司、外卖平台和服务馆商户提供，他们对各自的服务负责。',
        },
        {
          heading: '二、账号',
          body: '您用本人手机号和短信验证码登录。请勿把验证码、取件码告诉他人；分享给家人代取时，请只分享给您信任的人，可随时取消分享，取件码会随之更换。家人绑定房屋需本户居民邀请或社区审核。',
        },
        {
          heading: '三、取件与保管',
          body: '快递在柜内免费保管至卡片上显示的时间，逾期按本社区公布的规则处理（如移至服务馆或按上限收费）。请取件后关好柜门。柜机每次使用后会进行蓝光消毒。',
        },
        {
          heading: '四、您的承诺',
          body: '不寄存违禁、危险、易腐（外卖格口除外）物品；不破坏柜机；不冒用他人身份取件。违反的，社区可暂停您使用柜机。',
        },
        {
          heading: '五、责任与争议',
          body: '因柜机故障造成的损失，由运营方依法承担；因不可抗力或您泄露取件码造成的损失除外。争议可向社区办公室反映，协商不成的，依法向运营方所在地人民法院起诉。',
        },
        {
          heading: '六、联系我们',
          body: '社区办公室工作时间内接待；非工作时间可在服务馆前台或 App「找社区」留言，我们会在 1 个工作日内答复。',
        },
      ],
    },
    en: {
      title: 'antnest User Agreement',
      sections: [
        {
          heading: '1. The service',
          body: 'antnest is provided by your community together with the social organisation that runs it: parcels and takeout in the lockers at your door, sending and neighbour deposit, orders from the service hall, and requests to the community. Some services are provided by carriers, takeout platforms and hall merchants, each responsible for their own service.',
        },
        {
          heading: '2. Your account',
          body: 'You sign in with your own phone number and an SMS code. Never tell anyone your sign-in or pickup codes. Share a pickup only with people you trust; you can cancel a share at any time and the pickup code then changes. Family members are bound to a home by an invitation from a resident of it or after the community checks.',
        },
        {
          heading: '3. Pickup and storage',
          body: "Parcels are kept free until the time shown on the card; after that your community's published rules apply (for example a move to the hall or a capped fee). Close the door after pickup. Compartments are disinfected with blue light after each use.",
        },
        {
          heading: '4. Your commitments',
          body: "Do not store prohibited, dangerous or perishable goods (except in takeout compartments), damage the lockers or collect parcels in someone else's name. The community may suspend locker use for anyone who does.",
        },
        {
          heading: '5. Liability and disputes',
          body: "The operator is liable under the law for losses caused by a locker fault, except for force majeure or a pickup code you disclosed. Raise disputes with the community office; if that fails, the people's court where the operator is registered decides.",
        },
        {
          heading: '6. Contact',
          body: 'The community office during working hours; at other times the hall desk or 找社区 in the app. We answer within one working day.',
        },
      ],
    },
  },
  privacy: {
    'zh-CN': {
      title: '蚁巢隐私政策',
      sections: [
        {
          heading: '一、我们收集什么',
          body: '手机号（登录和通知）、您绑定的房屋（楼栋单元）、快递与外卖记录（运单尾号、承运商、格口、存取时间）、您设置的投递偏好和地址别名。我们不收集您的身份证号、通讯录或位置。',
        },
        {
          heading: '二、为什么收集',
          body: '只用于：登录、把快递放到您家楼下并通知您、让您取件、让社区处理您的需求、统计柜机使用情况（统计只用去标识化数据）。',
        },
        {
          heading: '三、怎样保护',
          body: '手机号加密存储，对快递员和工作人员只显示为 138****1234；快递员看不到您的门牌号。取件码只以摘要形式保存。工作人员只能看到其负责片区的数据，查询留有记录。',
        },
        {
          heading: '四、保存多久',
          body: '已取走的快递记录在保留期满后去除手机号等个人信息，仅保留统计所需的匿名数据。注销账号后，您的个人信息在法律要求的期限届满后删除。',
        },
        {
          heading: '五、向谁提供',
          body: '仅在投递需要时，向承运商提供格口和状态；不出售您的个人信息，不用于广告。法律法规要求时依法提供。',
        },
        {
          heading: '六、您的权利',
          body: '您可以查阅、更正您的信息，撤回同意、取消分享、解绑房屋或注销账号；可以随时开启或关闭关怀模式等设置。请在 App「我的」或向社区办公室提出，我们在 15 个工作日内答复。',
        },
      ],
    },
    en: {
      title: 'antnest Privacy Notice',
      sections: [
        {
          heading: '1. What we collect',
          body: 'Your phone number (sign-in and notices), the home you are bound to (building and unit), parcel and takeout records (waybill tail, carrier, compartment, times), and your delivery preferences and address alias. We do not collect ID numbers, contacts or location.',
        },
        {
          heading: '2. Why',
          body: 'Only to sign you in, deliver parcels to the locker at your door and tell you, let you collect them, let the community handle your requests, and count locker use (with de-identified data only).',
        },
        {
          heading: '3. How it is protected',
          body: 'Phone numbers are stored encrypted and shown as 138****1234 to couriers and staff; couriers never see your flat number. Pickup codes are kept only as digests. Staff see only the area they serve, and their look-ups are logged.',
        },
        {
          heading: '4. How long',
          body: 'After the retention period, collected parcels lose the phone number and other personal data; only anonymous counts remain. When you close your account, your personal data is deleted once the periods the law requires have passed.',
        },
        {
          heading: '5. Who receives it',
          body: 'Carriers receive the compartment and status only where delivery needs it. We do not sell personal data or use it for advertising. We disclose it where the law requires.',
        },
        {
          heading: '6. Your rights',
          body: 'You may see and correct your data, withdraw consent, cancel shares, unbind a home or close your account, and switch settings such as elder mode at any time: in 我的 in the app or at the community office. We answer within 15 working days.',
        },
      ],
    },
  },
};
