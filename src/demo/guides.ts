// The demo hall's guides (办事指南), complete in all eight parts of the catalogue review. Legal bases
// name real laws and rules; fees follow the national fee documents named. Demo data: a hall replaces it
// with its own catalogue (import or the editor), never ships it as its own.
import type { GuideContentInput } from '../catalog/schemas.js';
import { DEMO_WINDOWS } from './hall.js';

export type DemoGuide = Omit<GuideContentInput, 'name' | 'category' | 'departmentId' | 'kind' | 'legalLimitDays' | 'promisedLimitDays'>;
type MaterialIn = NonNullable<GuideContentInput['materials']>[number];
type StepIn = NonNullable<GuideContentInput['steps']>[number];

/** Where an item is handled: the hall and its window(s). */
const at = (...numbers: number[]) =>
  `随县政务服务中心 ${numbers.map((n) => `${n} 号${DEMO_WINDOWS.find((w) => w.number === n)?.name ?? '窗口'}`).join('、')}`;
const phone = (window: number) => `0722-00000${String(window).padStart(2, '0')}`;
const SUPERVISION = '0722-0000000（中心管理办公室）、12345';

const id = (id: string, name: string, extra: Partial<MaterialIn> = {}): MaterialIn => ({ id, name, required: true, form: 'original', copies: 1, ...extra });
const idCard: MaterialIn = id('id-card', '申请人居民身份证', { form: 'original_and_copy', notes: '现场核验原件，复印件留存' });
const proxy = (what = '委托他人代为办理的'): MaterialIn =>
  id('proxy', '授权委托书及受托人居民身份证', { required: false, condition: what, notes: '委托书须载明委托事项和权限' });
const step = (name: string, role: string, timeLimitDays: number, standard: string, result: string): StepIn => ({ name, role, timeLimitDays, standard, result });
const free = (note = '') => ({ free: true, items: [], note });
const ACCEPT_RISK = { step: '受理', point: '对材料齐全的申请不予受理，或未一次性告知需补正的全部材料', level: 'medium' as const, measure: '实行首问负责和一次性告知制度，补正通知书留档；电子监察系统记录受理时间' };

export const DEMO_GUIDES: Record<string, DemoGuide> = {
  'GA-CRJ-001': {
    legalBasis: '《中华人民共和国护照法》第五条、第六条；《中华人民共和国出境入境管理法》',
    conditions: '具有中华人民共和国国籍，因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的中国公民。内地居民可在全国任一出入境管理窗口申请（全国通办）。登记备案的国家工作人员须经所在单位同意。',
    result: '中华人民共和国普通护照',
    onlineApplicable: true,
    location: at(2),
    hoursNote: '工作日 9:00-11:45、13:00-16:45；周六上午提供预约延时服务',
    consultPhone: phone(2),
    supervisionPhone: SUPERVISION,
    keywords: ['护照', '出国', '出入境', '因私护照', '换发护照'],
    fees: {
      free: false,
      items: [{ name: '普通护照', amountFen: 12000, unit: '本', basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格规〔2019〕914号）' }],
      note: '现场可使用微信、支付宝或银行卡缴费',
    },
    materials: [
      idCard,
      id('application', '《中国公民出入境证件申请表》', { notes: '窗口现场填写并采集照片、指纹，无需自带照片' }),
      id('old-passport', '原护照', { required: false, condition: '换发、补发护照的（原护照遗失的须提交报失证明）' }),
      id('guardian', '监护人居民身份证及监护关系证明（出生医学证明或户口簿）', { required: false, condition: '未满十六周岁的申请人（须由监护人陪同）', form: 'original_and_copy' }),
      id('approval', '所在单位出具的同意出境意见', { required: false, condition: '登记备案的国家工作人员' }),
    ],
    steps: [
      step('申请', '申请人', 0, '本人到场，携带有效居民身份证', '取号、填表、采集照片和指纹'),
      step('受理', '出入境窗口受理人员', 0, '材料齐全、符合法定形式；核验人证一致', '出具受理回执'),
      step('审核', '出入境管理大队审核民警', 2, '核查申请人身份、出境事由及是否属于不准出境人员', '审核意见'),
      step('审批', '出入境管理大队负责人', 1, '符合《护照法》规定的签发条件', '准予签发或书面说明不予签发的理由'),
      step('制证', '省级证件制作中心', 3, '证件信息准确', '制作完成的护照'),
      step('发证', '出入境窗口发证人员', 1, '核对领证人身份和受理回执', '领取护照或邮政速递送达'),
    ],
    forms: [{ name: '中国公民出入境证件申请表', notes: '窗口现场打印填写' }],
    risks: [
      ACCEPT_RISK,
      { step: '审批', point: '为不符合条件的人员违规签发护照，或违规为登记备案的国家工作人员办证', level: 'high', measure: '系统自动比对备案人员信息；审批实行两级审核，全程留痕' },
      { step: '发证', point: '违规代领或泄露申请人个人信息', level: 'medium', measure: '凭受理回执和身份证件领取；个人信息查询留痕并定期审计' },
    ],
    faq: [
      { question: '护照的有效期是多久？', answer: '未满十六周岁的申请人，护照有效期为五年；十六周岁以上的为十年。' },
      { question: '户籍不在随县可以在这里办理吗？', answer: '可以。内地居民普通护照已实行全国通办，持本人有效居民身份证即可申请。' },
      { question: '护照可以邮寄到家吗？', answer: '可以。受理时选择邮政速递送达，邮寄费用由申请人承担。' },
      { question: '护照有效期不足半年怎么办？', answer: '可申请换发。有效期不足六个月或签证页即将用完的，均可申请换发。' },
    ],
    tips: ['请本人到场，照片和指纹现场采集，无需自带照片。', '可通过“移民局”APP 或本中心网上预约，按预约时段到场办理。', '七个工作日后凭受理回执领取，或选择邮寄送达。'],
  },

  'GA-CRJ-002': {
    legalBasis: '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》；《中华人民共和国出境入境管理法》',
    conditions: '内地居民因私事前往香港特别行政区或澳门特别行政区，可申请往来港澳通行证及相应签注。内地居民可在全国任一出入境管理窗口申请（全国通办）。',
    result: '往来港澳通行证（电子证件）及签注',
    onlineApplicable: true,
    location: at(2),
    hoursNote: '',
    consultPhone: phone(2),
    supervisionPhone: SUPERVISION,
    keywords: ['港澳通行证', '香港', '澳门', '出入境', '签注', '港澳'],
    fees: {
      free: false,
      items: [
        { name: '往来港澳通行证（电子证件）', amountFen: 6000, unit: '件', basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格规〔2019〕914号）' },
        { name: '赴港澳签注（一次有效）', amountFen: 1500, unit: '件', basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格规〔2019〕914号）' },
        { name: '赴港澳签注（二次有效）', amountFen: 3000, unit: '件', basis: '《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格规〔2019〕914号）' },
      ],
      note: '通行证和签注同时申请的，分别收费',
    },
    materials: [
      idCard,
      id('application', '《中国公民出入境证件申请表》', { notes: '现场填写并采集照片、指纹' }),
      id('old-permit', '原往来港澳通行证', { required: false, condition: '换发、补发或仅申请签注的' }),
      id('guardian', '监护人居民身份证及监护关系证明', { required: false, condition: '未满十六周岁的申请人（须由监护人陪同）', form: 'original_and_copy' }),
      id('visit-proof', '探亲、商务等事由证明材料', { required: false, condition: '申请探亲、商务等非旅游类签注的' }),
    ],
    steps: [
      step('申请', '申请人', 0, '本人到场，携带有效居民身份证', '取号、填表、采集照片和指纹'),
      step('受理', '出入境窗口受理人员', 0, '材料齐全、符合法定形式；核验人证一致', '出具受理回执'),
      step('审核', '出入境管理大队审核民警', 2, '核查申请人身份与申请事由', '审核意见'),
      step('审批', '出入境管理大队负责人', 1, '符合签发条件', '准予签发或书面说明理由'),
      step('制证', '省级证件制作中心', 3, '证件信息准确', '通行证及签注'),
      step('发证', '出入境窗口发证人员', 1, '核对领证人身份和受理回执', '领取证件或邮寄送达'),
    ],
    forms: [{ name: '中国公民出入境证件申请表', notes: '窗口现场打印填写' }],
    risks: [
      ACCEPT_RISK,
      { step: '审批', point: '违规为不符合条件的人员签发通行证或签注', level: 'high', measure: '系统自动比对不准出境人员信息；两级审批，全程留痕' },
    ],
    faq: [
      { question: '通行证有效期多久？', answer: '十六周岁以上的为十年，未满十六周岁的为五年。' },
      { question: '已有通行证，只办签注需要到窗口吗？', answer: '旅游签注可在自助签注机上办理，即时出签；其他类型签注须到窗口申请。' },
      { question: '一次签注和二次签注有什么区别？', answer: '一次有效签注在有效期内可往返一次，二次有效可往返两次，收费分别为 15 元和 30 元。' },
    ],
    tips: ['大厅设有自助签注机，已有电子通行证的旅游签注可自助办理。', '请在受理回执载明的日期后领取证件。'],
  },

  'GA-HZ-001': {
    legalBasis: '《中华人民共和国居民身份证法》；《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）',
    conditions: '居住在中华人民共和国境内的中国公民，居民身份证有效期满、登记项目变更或证件损坏的，应当申请换领。',
    result: '中华人民共和国居民身份证',
    onlineApplicable: false,
    location: at(3),
    hoursNote: '',
    consultPhone: phone(3),
    supervisionPhone: SUPERVISION,
    keywords: ['身份证', '换证', '户政', '身份证到期'],
    fees: {
      free: false,
      items: [
        { name: '有效期满换领', amountFen: 2000, unit: '证', basis: '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）' },
        { name: '损坏换领', amountFen: 4000, unit: '证', basis: '《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）' },
      ],
      note: '享受最低生活保障的、农村特困人员等按规定免收工本费',
    },
    materials: [
      id('hukou', '居民户口簿', { notes: '用于核对户籍登记项目' }),
      id('old-card', '原居民身份证', { notes: '换领时交回' }),
      id('change-proof', '登记项目变更证明', { required: false, condition: '姓名、出生日期等登记项目变更后换领的' }),
      id('guardian', '监护人居民身份证', { required: false, condition: '未满十六周岁的申请人（须由监护人陪同）' }),
    ],
    steps: [
      step('申请', '申请人', 0, '本人到场', '取号、采集人像和指纹'),
      step('受理', '户政窗口受理人员', 0, '户籍信息与申请一致，人像合格', '出具领取凭证'),
      step('审核', '派出所户籍民警', 3, '核对户籍登记信息', '审核意见'),
      step('审批', '公安局户政部门', 2, '符合换领条件', '准予制证'),
      step('制证', '省级居民身份证制证中心', 14, '证件信息准确', '居民身份证'),
      step('发证', '户政窗口', 1, '核对领取凭证', '领取或邮寄送达'),
    ],
    forms: [{ name: '居民身份证申领登记表', notes: '窗口现场打印，申请人核对签字' }],
    risks: [
      ACCEPT_RISK,
      { step: '审核', point: '违规变更户籍登记项目或为他人冒领身份证', level: 'high', measure: '人像比对核验；变更项目须审批并留档；定期抽查' },
    ],
    faq: [
      { question: '身份证到期前多久可以换领？', answer: '有效期满前三个月内即可申请换领。' },
      { question: '换领期间需要用证怎么办？', answer: '可同时申请临时居民身份证，工本费 10 元，当场或次日领取。' },
      { question: '可以异地换领吗？', answer: '可以。居民身份证已实行跨省通办，可在居住地申请换领。' },
    ],
    tips: ['请本人到场，着深色有领上衣，不佩戴饰品，以便采集人像。', '换领期间原证件由窗口收回，急需用证请同时申请临时居民身份证。'],
  },

  'ZJ-FC-001': {
    legalBasis: '《中华人民共和国城市房地产管理法》；《住房城乡建设部关于进一步规范和加强房屋网签备案工作的指导意见》（建房〔2018〕128号）；《房屋交易与产权管理工作导则》（建办房〔2015〕45号）',
    conditions: '已取得不动产权属证书、无查封等限制交易情形的存量房屋，买卖双方已协商一致的，可办理买卖合同网签备案。',
    result: '存量房买卖合同网签备案证明',
    onlineApplicable: true,
    location: at(4),
    hoursNote: '',
    consultPhone: phone(4),
    supervisionPhone: SUPERVISION,
    keywords: ['网签', '二手房', '房屋买卖', '存量房', '过户', '房产交易'],
    fees: free('网签备案不收取费用'),
    materials: [
      id('parties-id', '买卖双方身份证明', { form: 'original_and_copy', notes: '个人提交居民身份证；单位提交营业执照和法定代表人身份证明' }),
      id('title', '不动产权证书（或房屋所有权证、国有土地使用证）', { form: 'original_and_copy' }),
      id('contract', '存量房买卖合同', { copies: 3, notes: '使用网签系统生成的合同文本，双方签字（盖章）' }),
      id('marriage', '卖方婚姻状况证明', { required: false, condition: '房屋为夫妻共有的（须配偶到场或提交同意出售的书面意见）', form: 'original_and_copy' }),
      proxy('委托代理人或房地产经纪机构办理的'),
    ],
    steps: [
      step('申请', '买卖双方或经纪机构', 0, '信息真实、双方一致', '提交网签申请'),
      step('受理审核', '房产交易窗口', 0, '核验房屋权属、查封和抵押状态，核对双方身份', '系统生成合同'),
      step('签约备案', '房产交易窗口', 0, '合同经双方确认签字', '出具网签备案证明'),
    ],
    forms: [{ name: '存量房买卖合同（示范文本）', notes: '由网签系统生成' }],
    risks: [
      ACCEPT_RISK,
      { step: '受理审核', point: '对查封、限制交易的房屋违规办理网签', level: 'high', measure: '网签系统与不动产登记、司法查封信息实时联动，限制状态自动拦截' },
      { step: '签约备案', point: '为中介机构违规插队办理或收受好处', level: 'medium', measure: '严格按号办理；中介机构办件全程录像并纳入信用管理' },
    ],
    faq: [
      { question: '网签备案后还能撤销吗？', answer: '买卖双方协商一致的，可共同到窗口申请注销网签备案；一方申请的须提交法院判决等法律文书。' },
      { question: '可以在网上办理网签吗？', answer: '可以。经纪机构和当事人可通过网上办事大厅预约并在线签约，再到窗口核验身份。' },
    ],
    tips: ['网签备案后请及时办理契税申报和不动产转移登记（可在本中心“一窗受理”一次办结）。', '房屋有抵押的，须先取得抵押权人同意。'],
  },

  'ZJ-JS-001': {
    legalBasis: '《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）',
    conditions: '在县域内从事各类房屋建筑及其附属设施的建造、装修装饰和与其配套的线路、管道、设备的安装，以及城镇市政基础设施工程的施工，工程投资额在 30 万元以上或者建筑面积在 300 平方米以上的，建设单位须在开工前申请领取施工许可证。',
    result: '建筑工程施工许可证',
    onlineApplicable: true,
    location: at(5),
    hoursNote: '',
    consultPhone: phone(5),
    supervisionPhone: SUPERVISION,
    keywords: ['施工许可', '开工', '建筑工程', '施工证'],
    fees: free('不收取费用'),
    materials: [
      id('application', '建筑工程施工许可证申请表', { notes: '建设单位盖章' }),
      id('land', '用地批准手续（不动产权证书或建设用地批准书）', { form: 'copy' }),
      id('planning', '建设工程规划许可证', { form: 'copy', required: false, condition: '依法需要办理规划许可的' }),
      id('contract', '中标通知书及施工合同', { form: 'copy', notes: '依法必须招标的工程须提交中标通知书' }),
      id('drawings', '施工图设计文件审查合格书', { form: 'copy' }),
      id('safety', '施工安全和质量保证措施', { notes: '含专项施工方案清单' }),
      id('funds', '建设资金已落实承诺书', { notes: '建设单位法定代表人签字并盖章' }),
    ],
    steps: [
      step('受理', '建设审批窗口', 0, '材料齐全、符合法定形式', '受理通知书'),
      step('审查', '住建局建管股', 2, '用地、规划、施工图审查、施工合同等条件具备', '审查意见'),
      step('决定与发证', '住建局分管负责人', 1, '符合《建筑法》第八条规定的条件', '核发施工许可证或书面说明理由'),
    ],
    forms: [{ name: '建筑工程施工许可证申请表', notes: '可在窗口领取或网上下载' }],
    risks: [
      ACCEPT_RISK,
      { step: '审查', point: '降低标准为条件不具备的工程发证，或故意拖延', level: 'high', measure: '审查要点清单化，超时系统亮黄牌；重大项目集体研究' },
    ],
    faq: [
      { question: '施工许可证多久内要开工？', answer: '建设单位应自领取施工许可证之日起三个月内开工；因故不能按期开工的，应申请延期，延期以两次为限，每次不超过三个月。' },
      { question: '哪些工程不需要办理施工许可证？', answer: '工程投资额在 30 万元以下或建筑面积在 300 平方米以下的建筑工程，可以不申请施工许可证（各地可在此限额内调整）。' },
    ],
    tips: ['可通过工程建设项目审批管理系统网上申报，材料电子化提交。'],
  },

  'LY-001': {
    legalBasis: '《中华人民共和国森林法》第五十六条、第五十七条；《中华人民共和国森林法实施条例》；《中华人民共和国行政许可法》第四十二条',
    conditions: '采伐林地上的林木，以及采伐非林地上的农田防护林、防风固沙林、护路林、护岸护堤林和城镇林木等的单位和个人，应当申请采伐许可证（农村居民采伐自留地和房前屋后个人所有的零星林木除外）。',
    result: '林木采伐许可证',
    onlineApplicable: true,
    location: at(6),
    hoursNote: '',
    consultPhone: phone(6),
    supervisionPhone: SUPERVISION,
    keywords: ['采伐证', '砍树', '伐木', '林木采伐', '林业'],
    fees: free('不收取费用'),
    materials: [
      id('application', '林木采伐申请书', { notes: '载明采伐林木的地点、面积、树种、株数、蓄积量、更新时间等' }),
      idCard,
      id('forest-title', '林权证书或林地、林木权属证明', { form: 'original_and_copy' }),
      id('design', '伐区调查设计文件', { required: false, condition: '采伐蓄积量超过 15 立方米的', notes: '由具备能力的单位编制' }),
      id('contract', '林木承包或流转合同', { required: false, condition: '采伐承包或流转取得的林木的', form: 'copy' }),
    ],
    steps: [
      step('受理', '林业窗口', 0, '材料齐全、符合法定形式', '受理通知书'),
      step('现场查验', '乡镇林业站', 2, '采伐地点、面积、树种、株数与申请一致，在年度采伐限额内', '现场查验记录'),
      step('审核', '林业局资源股', 2, '符合采伐限额和森林经营规定', '审核意见'),
      step('发证', '林业局分管负责人', 1, '审核通过', '林木采伐许可证'),
    ],
    forms: [
      { name: '林木采伐申请书', notes: '窗口领取或网上下载' },
      { name: '伐区调查设计表', notes: '采伐蓄积超过 15 立方米时填写' },
    ],
    risks: [
      ACCEPT_RISK,
      { step: '现场查验', point: '查验不实，超限额或超面积批准采伐', level: 'high', measure: '两人以上现场查验并拍照定位；采伐限额系统自动核减' },
      { step: '发证', point: '收受好处违规发证', level: 'high', measure: '采伐许可证网上公示；纪检部门随机抽查' },
    ],
    faq: [
      { question: '房前屋后自家的几棵树需要办证吗？', answer: '农村居民采伐自留地和房前屋后个人所有的零星林木，不需要申请采伐许可证。' },
      { question: '采伐后有什么义务？', answer: '应当按照采伐许可证规定的面积、株数、树种、期限完成更新造林，更新造林的面积不得少于采伐的面积。' },
      { question: '可以在手机上申请吗？', answer: '可以通过湖北政务服务网或“鄂汇办”APP 在线申请，林业站现场查验后发证。' },
    ],
    tips: ['采伐许可证注明的期限内未采伐完的，须重新申请。', '运输木材时请随车携带采伐许可证复印件备查。'],
  },

  'LY-002': {
    legalBasis: '《植物检疫条例》；《植物检疫条例实施细则（林业部分）》',
    conditions: '调运应施检疫的森林植物及其产品（苗木、木材、竹材、种子等）出县级行政区域的单位和个人，应当在调运前申请植物检疫证书。',
    result: '植物检疫证书（出省、省内）',
    onlineApplicable: true,
    location: at(6),
    hoursNote: '',
    consultPhone: phone(6),
    supervisionPhone: SUPERVISION,
    keywords: ['检疫证', '植物检疫', '苗木调运', '木材运输'],
    fees: free('不收取费用'),
    materials: [
      id('application', '森林植物检疫报检单'),
      idCard,
      id('origin', '产地检疫合格证或来源证明', { required: false, condition: '调运苗木、种子等繁殖材料的' }),
      id('requirement', '调入地检疫要求书', { required: false, condition: '调往省外且调入地有检疫要求的' }),
    ],
    steps: [
      step('受理', '林业窗口', 0, '报检信息完整', '受理'),
      step('检疫检验', '森林植物检疫员', 0, '现场或室内检验，未发现检疫性有害生物', '检验结果'),
      step('签证', '林业窗口', 0, '检验合格', '签发植物检疫证书'),
    ],
    forms: [{ name: '森林植物检疫报检单', notes: '窗口领取或网上填报' }],
    risks: [
      ACCEPT_RISK,
      { step: '检疫检验', point: '不检验即出证或检验不严', level: 'high', measure: '检疫员持证上岗，检疫记录拍照留存；上级机关定期抽检' },
    ],
    faq: [
      { question: '检疫证当天能拿到吗？', answer: '材料齐全且检验合格的当场签发；需要室内检验的，检验完成后签发。' },
      { question: '调运到省外要注意什么？', answer: '请事先了解调入地的检疫要求，必要时提交调入地检疫要求书。' },
    ],
    tips: ['请在调运前办理，运输时随货携带检疫证书。'],
  },

  'FG-001': {
    legalBasis: '《企业投资项目核准和备案管理条例》（国务院令第673号）第三条、第十三条；《企业投资项目核准和备案管理办法》（国家发展改革委令第2号）',
    conditions: '企业在县域内投资建设的、不属于《政府核准的投资项目目录》范围的固定资产投资项目，实行备案管理。',
    result: '企业投资项目备案证明',
    onlineApplicable: true,
    location: at(8),
    hoursNote: '',
    consultPhone: phone(8),
    supervisionPhone: SUPERVISION,
    keywords: ['项目备案', '投资备案', '企业投资', '发改'],
    fees: free('不收取费用'),
    materials: [
      id('info', '项目备案信息表', { notes: '载明企业基本情况、项目名称、建设地点、建设规模、建设内容、项目总投资额，以及符合产业政策的声明' }),
      id('license', '企业营业执照', { form: 'copy' }),
      proxy('委托他人代为办理的'),
    ],
    steps: [
      step('网上填报', '企业', 0, '通过投资项目在线审批监管平台填报，信息真实完整', '生成项目代码'),
      step('受理告知', '发改窗口', 1, '信息齐全；属于备案范围', '受理或告知不属于备案范围'),
      step('备案', '发改局投资股', 2, '不违反产业政策', '出具备案证明'),
    ],
    forms: [{ name: '企业投资项目备案信息表', notes: '在线平台生成' }],
    risks: [
      ACCEPT_RISK,
      { step: '备案', point: '对属于核准目录的项目违规备案，或借备案设置审批条件', level: 'medium', measure: '对照核准目录逐项核对；备案信息在线公开接受监督' },
    ],
    faq: [
      { question: '备案需要审批吗？', answer: '不需要。备案机关收到全部信息即为备案，只对是否属于备案范围、信息是否齐全进行核对。' },
      { question: '项目信息变了怎么办？', answer: '项目法人、建设地点、规模、内容发生较大变更，或放弃建设的，应当通过在线平台及时告知备案机关并修改备案信息。' },
    ],
    tips: ['请先在全国投资项目在线审批监管平台注册并填报，再到窗口领取备案证明或在线下载。'],
  },

  'SJ-001': {
    legalBasis: '《中华人民共和国食品安全法》第三十五条；《中华人民共和国食品安全法实施条例》；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）',
    conditions: '在县域内从事食品销售和餐饮服务活动的，应当依法取得食品经营许可（仅销售预包装食品的实行备案）。申请人应当先取得营业执照等合法主体资格，具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度。',
    result: '食品经营许可证',
    onlineApplicable: true,
    location: at(9, 1),
    hoursNote: '',
    consultPhone: phone(9),
    supervisionPhone: SUPERVISION,
    keywords: ['食品经营许可', '餐饮', '开饭店', '食品许可证', '小吃店'],
    fees: free('不收取费用'),
    materials: [
      id('application', '食品经营许可申请书'),
      id('license', '营业执照或其他主体资格证明文件', { form: 'copy' }),
      id('site', '与食品经营相适应的主要设备设施、经营布局、操作流程等文件', { notes: '含经营场所平面图和设备布局图' }),
      id('rules', '食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度'),
      id('health', '从业人员健康证明', { form: 'copy' }),
      id('central-kitchen', '食品处理区及操作流程说明', { required: false, condition: '从事中央厨房、集体用餐配送或网络经营的' }),
      proxy('委托他人代为办理的'),
    ],
    steps: [
      step('受理', '市场监管窗口', 0, '材料齐全、符合法定形式', '受理通知书'),
      step('审查与现场核查', '市场监管所', 3, '对照审查细则核查经营场所、设备设施和制度', '核查记录'),
      step('决定', '市场监管局分管负责人', 1, '符合许可条件', '准予许可决定'),
      step('发证', '市场监管窗口', 1, '核对申请人身份', '食品经营许可证（可选电子证照）'),
    ],
    forms: [
      { name: '食品经营许可申请书', notes: '窗口领取或网上下载' },
      { name: '食品经营设施设备布局图（示例）', notes: '按示例绘制' },
    ],
    risks: [
      ACCEPT_RISK,
      { step: '审查与现场核查', point: '现场核查走过场或吃拿卡要', level: 'high', measure: '两名以上核查人员现场核查并签字；实行“双随机”抽查和廉政回访' },
      { step: '决定', point: '超期或违规作出许可决定', level: 'medium', measure: '电子监察实时预警，超期亮黄牌、红牌' },
    ],
    faq: [
      { question: '只卖预包装食品需要办许可证吗？', answer: '不需要。仅销售预包装食品的，向所在地市场监管部门备案即可。' },
      { question: '许可证有效期多长？', answer: '食品经营许可证有效期为五年，期满需继续经营的应在届满前 30 个工作日前申请延续。' },
      { question: '地址变了怎么办？', answer: '经营场所改变的应当重新申请许可；其他许可事项变化的，申请变更。' },
    ],
    tips: ['可预约“上门服务”，窗口人员到经营场所指导办理。', '申请前请先办理营业执照，可在本中心 1 号综合受理窗口“一窗受理”。'],
  },

  'SJ-002': {
    legalBasis: '《促进个体工商户发展条例》（国务院令第755号）；《中华人民共和国市场主体登记管理条例》（国务院令第746号）；《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）',
    conditions: '有经营能力的公民从事工商业经营的，可以登记为个体工商户。个体工商户可以个人经营，也可以家庭经营。',
    result: '营业执照（个体工商户）',
    onlineApplicable: true,
    location: at(9, 1),
    hoursNote: '',
    consultPhone: phone(9),
    supervisionPhone: SUPERVISION,
    keywords: ['个体户', '营业执照', '开店', '个体工商户', '办执照'],
    fees: free('不收取登记费'),
    materials: [
      id('application', '个体工商户登记（备案）申请书', { notes: '经营者签字' }),
      idCard,
      id('premises', '经营场所使用证明', { form: 'copy', notes: '自有房屋提交产权证明，租用的提交租赁合同' }),
      id('family', '家庭成员关系证明', { required: false, condition: '家庭经营的', form: 'copy' }),
      proxy('委托他人代为办理的'),
    ],
    steps: [
      step('申请', '经营者', 0, '名称自主申报，信息真实', '提交申请'),
      step('受理审核', '市场监管窗口', 0, '材料齐全、符合法定形式', '准予登记'),
      step('发照', '市场监管窗口', 0, '核对身份', '当场领取营业执照或电子营业执照'),
    ],
    forms: [{ name: '个体工商户登记（备案）申请书', notes: '可网上填报' }],
    risks: [
      ACCEPT_RISK,
      { step: '受理审核', point: '要求提交法定以外的材料或设置隐性门槛', level: 'medium', measure: '材料清单公开，不得增加；群众评价差评回访' },
    ],
    faq: [
      { question: '办执照要多久？', answer: '材料齐全的当场办结，当场领取营业执照。' },
      { question: '个体户可以起字号吗？', answer: '可以，也可以不起字号。名称由行政区划、字号、行业、组织形式依次组成。' },
      { question: '需要每年报年报吗？', answer: '需要。个体工商户应当于每年 1 月 1 日至 6 月 30 日报送上一年度年度报告。' },
    ],
    tips: ['可通过湖北政务服务网“一网通办”全程网上办理，领取电子营业执照。'],
  },

  'SL-001': {
    legalBasis: '《中华人民共和国水土保持法》第二十五条、第二十六条；《中华人民共和国水土保持法实施条例》；《生产建设项目水土保持方案管理办法》（水利部令第53号）',
    conditions: '在山区、丘陵区、风沙区以及水土保持规划确定的容易发生水土流失的其他区域开办可能造成水土流失的生产建设项目，生产建设单位应当编制水土保持方案，报县级以上人民政府水行政主管部门审批。',
    result: '生产建设项目水土保持方案批复文件',
    onlineApplicable: true,
    location: at(10),
    hoursNote: '',
    consultPhone: phone(10),
    supervisionPhone: SUPERVISION,
    keywords: ['水保方案', '水土保持', '水保', '生产建设项目', '光伏'],
    fees: free('审批不收费；水土保持补偿费由税务部门依法征收'),
    materials: [
      id('application', '水土保持方案审批申请文件', { notes: '生产建设单位盖章' }),
      id('plan', '水土保持方案报告书或报告表', { copies: 2, notes: '征占地面积 5 公顷以上或挖填土石方总量 5 万立方米以上的编制报告书，其余编制报告表' }),
      id('review', '技术评审意见', { required: false, condition: '编制水土保持方案报告书的' }),
      proxy('委托代理人办理的'),
    ],
    steps: [
      step('受理', '水利窗口', 0, '材料齐全、符合法定形式', '受理通知书'),
      step('技术评审', '水利局组织的专家组', 5, '方案符合水土保持技术标准', '技术评审意见'),
      step('审查', '水利局水保股', 3, '防治责任范围、措施布局、投资估算合理', '审查意见'),
      step('批复', '水利局分管负责人', 2, '符合法定条件', '出具批复文件'),
    ],
    forms: [
      { name: '生产建设项目水土保持方案审批申请表', notes: '窗口领取或网上下载' },
      { name: '水土保持方案报告表（格式）', notes: '按水利部规定格式编制' },
    ],
    risks: [
      ACCEPT_RISK,
      { step: '技术评审', point: '指定或变相指定方案编制单位、评审走过场', level: 'high', measure: '严禁指定编制单位；评审专家随机抽取并实行回避' },
      { step: '批复', point: '降低标准批复方案', level: 'medium', measure: '批复文件网上公开；上级水行政主管部门抽查' },
    ],
    faq: [
      { question: '什么项目要编报告书，什么项目编报告表？', answer: '征占地面积在 5 公顷以上或者挖填土石方总量在 5 万立方米以上的，编制报告书；征占地面积在 0.5 公顷以上 5 公顷以下或者挖填土石方总量在 1 千立方米以上 5 万立方米以下的，编制报告表。' },
      { question: '人在外地，补正材料一定要跑回来吗？', answer: '不用。可通过网上申报系统或窗口提供的电子方式提交补正材料，窗口核对后继续办理。' },
      { question: '方案批准后项目有变化怎么办？', answer: '项目地点、规模发生重大变化的，应当补充或者修改方案并报原审批机关批准。' },
    ],
    tips: ['水土保持方案未经批准的，生产建设项目不得开工建设。', '可提前索取《服务指南》电子版，按清单准备材料。'],
  },

  'JY-001': {
    legalBasis: '《中华人民共和国教师法》第十条、第十三条；《教师资格条例》（国务院令第188号）；《〈教师资格条例〉实施办法》（教育部令第10号）',
    conditions: '遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历；中小学教师资格考试合格（或符合免试认定条件）；普通话水平达到二级乙等以上；身体条件符合要求。县级负责幼儿园、小学、初级中学教师资格的认定。',
    result: '教师资格证书',
    onlineApplicable: true,
    location: at(11),
    hoursNote: '每年春季、秋季各集中受理一次，具体时间以教育局公告为准',
    consultPhone: phone(11),
    supervisionPhone: SUPERVISION,
    keywords: ['教师资格证', '教资', '教师资格认定', '幼儿园教师'],
    fees: free('不收取费用'),
    materials: [
      idCard,
      id('degree', '学历证书', { form: 'original_and_copy', notes: '已在网上完成学历核验的免交' }),
      id('exam', '中小学教师资格考试合格证明', { required: false, condition: '非免试认定的申请人（网上已核验的免交）' }),
      id('mandarin', '普通话水平测试等级证书', { required: false, condition: '网上未能核验的' }),
      id('medical', '教师资格认定体检表', { notes: '在指定医院体检，由医院直接送交或本人提交' }),
      id('photo', '近期一寸免冠彩色证件照', { copies: 1 }),
    ],
    steps: [
      step('网上申报', '申请人', 0, '在中国教师资格网填报信息并上传照片', '网报成功'),
      step('现场确认', '教育窗口', 1, '核验身份和材料', '确认'),
      step('审查', '教育局人事股', 6, '学历、考试、普通话、体检等条件符合', '审查意见'),
      step('认定与发证', '教育局', 3, '符合认定条件', '颁发教师资格证书或书面说明理由'),
    ],
    forms: [
      { name: '教师资格认定申请表', notes: '网上申报后打印' },
      { name: '教师资格认定体检表', notes: '体检医院提供' },
    ],
    risks: [
      ACCEPT_RISK,
      { step: '审查', point: '对学历、考试等条件审查不严或弄虚作假', level: 'high', measure: '学历和考试信息网上核验；认定结果公示' },
    ],
    faq: [
      { question: '在校生可以申请认定吗？', answer: '全日制普通高校应届毕业生在最后一学年可申请认定，须在毕业后补交学历证书。' },
      { question: '认定要多长时间？', answer: '自受理之日起 30 个法定工作日内作出认定结论，本中心承诺 10 个工作日内办结。' },
    ],
    tips: ['请关注教育局发布的认定公告，在规定时间内网上申报。', '体检请在教育局指定的医院进行。'],
  },

  'BDC-001': {
    legalBasis: '《中华人民共和国民法典》物权编；《不动产登记暂行条例》（国务院令第656号）第二十条；《不动产登记暂行条例实施细则》（自然资源部令第5号）',
    conditions: '因买卖、互换、赠与、继承、受遗赠、以不动产作价出资（入股）、法人或者其他组织合并分立等导致国有建设用地使用权及房屋所有权转移的，当事人可以申请转移登记。',
    result: '不动产权证书或不动产登记证明',
    onlineApplicable: true,
    location: at(12),
    hoursNote: '',
    consultPhone: phone(12),
    supervisionPhone: SUPERVISION,
    keywords: ['过户', '房产证', '不动产登记', '二手房过户', '转移登记', '不动产权证'],
    fees: {
      free: false,
      items: [
        { name: '不动产登记费（住宅类）', amountFen: 8000, unit: '件', basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' },
        { name: '不动产登记费（非住宅类）', amountFen: 55000, unit: '件', basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' },
        { name: '证书工本费（第二本起）', amountFen: 1000, unit: '本', basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' },
      ],
      note: '登记费由登记申请人（买方）缴纳；每件核发一本证书免收工本费',
    },
    materials: [
      id('application', '不动产登记申请书', { notes: '买卖双方签字' }),
      id('parties-id', '申请人身份证明', { form: 'original_and_copy' }),
      id('title', '不动产权属证书'),
      id('contract', '已网签备案的存量房买卖合同', { notes: '“一窗受理”时由系统共享，无需另交' }),
      id('tax', '完税凭证', { notes: '税务部门信息共享的免交' }),
      id('marriage', '婚姻状况证明', { required: false, condition: '房屋为夫妻共有或买方要求登记为共有的', form: 'original_and_copy' }),
      proxy('委托他人代为办理的（委托书须经公证）'),
    ],
    steps: [
      step('受理', '不动产登记窗口', 0, '材料齐全、符合法定形式，申请人身份与权属一致', '受理凭证'),
      step('审核', '不动产登记中心审核人员', 3, '查验权属状况、查封抵押情况及申请材料一致性', '审核意见'),
      step('登簿', '不动产登记中心登簿人员', 1, '审核通过', '记载于不动产登记簿'),
      step('缮证发证', '不动产登记窗口', 1, '核对领证人身份', '不动产权证书（可邮寄）'),
    ],
    forms: [{ name: '不动产登记申请书', notes: '窗口领取或网上打印' }],
    risks: [
      ACCEPT_RISK,
      { step: '审核', point: '对查封、权属争议的不动产违规办理转移登记', level: 'high', measure: '与法院查封信息实时共享，系统自动拦截；审核、登簿分岗' },
      { step: '缮证发证', point: '违规代领证书或泄露权利人信息', level: 'medium', measure: '凭受理凭证和身份证件领取；查询留痕' },
    ],
    faq: [
      { question: '网签、缴税、登记要跑几个窗口？', answer: '本中心实行“一窗受理、集成服务”，在综合受理窗口一次提交材料，交易、税务、登记并联办理。' },
      { question: '多久可以拿到新证？', answer: '法定时限为 30 个工作日，本中心承诺 5 个工作日内办结，可选择邮寄送达。' },
      { question: '房子有贷款没还清能过户吗？', answer: '须先办理抵押权注销登记，或经抵押权人同意后办理转移登记并同时办理抵押登记。' },
    ],
    tips: ['建议先预约，办理当日买卖双方须同时到场。', '可在本中心一次办理网签备案、契税申报和转移登记。'],
  },

  'CZ-001': {
    legalBasis: '《政府非税收入管理办法》（财税〔2016〕33号）',
    conditions: '依法应当缴纳行政事业性收费、罚没收入等政府非税收入的单位和个人。',
    result: '非税收入一般缴款书（电子票据）',
    onlineApplicable: true,
    location: at(7),
    hoursNote: '',
    consultPhone: phone(7),
    supervisionPhone: SUPERVISION,
    keywords: ['缴费', '非税', '罚款', '缴款', '财政'],
    fees: free('缴款本身不另收费'),
    materials: [
      id('notice', '执收单位开具的缴款通知书', { notes: '通知书上载有缴款识别码' }),
      id('payer-id', '缴款人身份证明', { required: false, condition: '缴纳罚没款等需核对缴款人身份的' }),
    ],
    steps: [
      step('核对', '财政窗口', 0, '缴款识别码有效、金额一致', '核对信息'),
      step('缴款开票', '财政窗口', 0, '款项到账', '开具财政电子票据'),
    ],
    forms: [],
    noForms: true,
    risks: [
      { step: '缴款开票', point: '截留、挪用非税收入或不开具票据', level: 'high', measure: '缴款直达国库单一账户；票据电子化全程留痕' },
    ],
    faq: [
      { question: '可以手机缴费吗？', answer: '可以。使用缴款识别码通过“湖北非税”微信公众号或银行网点缴纳。' },
      { question: '票据丢了怎么办？', answer: '财政电子票据可在财政电子票据查验平台查询和下载。' },
    ],
    tips: ['请带好缴款通知书，核对金额后再缴费。'],
  },

  'SB-001': {
    legalBasis: '《中华人民共和国社会保险法》第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）',
    conditions: '年满 16 周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可在户籍地参加城乡居民基本养老保险。',
    result: '参保登记完成，发放社会保障卡（已有社保卡的激活养老保险功能）',
    onlineApplicable: true,
    location: at(13, 1),
    hoursNote: '',
    consultPhone: phone(13),
    supervisionPhone: SUPERVISION,
    keywords: ['养老保险', '居民养老', '参保', '社保', '农保'],
    fees: free('登记不收费；养老保险费按本人选择的缴费档次缴纳'),
    materials: [
      idCard,
      id('hukou', '居民户口簿', { form: 'original_and_copy' }),
      proxy('委托他人代为办理的'),
    ],
    steps: [
      step('登记', '社保窗口', 0, '符合参保条件，未参加职工养老保险', '录入参保信息'),
      step('确认', '社保窗口', 0, '信息核对无误', '打印参保登记表，当场办结'),
    ],
    forms: [{ name: '城乡居民基本养老保险参保登记表', notes: '窗口打印，本人签字' }],
    risks: [
      ACCEPT_RISK,
      { step: '登记', point: '为不符合条件人员违规参保或重复参保', level: 'medium', measure: '全国社保信息比对，重复参保自动提示' },
    ],
    faq: [
      { question: '每年交多少钱？', answer: '缴费档次由省政府公布，参保人自主选择档次，多缴多得，政府按档次给予补贴。' },
      { question: '在村里能办吗？', answer: '可以。村（社区）便民服务站可代为登记，“基本事项不出村”。' },
    ],
    tips: ['可通过“鄂汇办”APP 或村便民服务站办理。'],
  },

  'SW-001': {
    legalBasis: '《中华人民共和国契税法》；《中华人民共和国税收征收管理法》',
    conditions: '在我国境内承受土地、房屋权属转移的单位和个人，应当在依法办理土地、房屋权属登记手续前申报缴纳契税。',
    result: '契税完税凭证',
    onlineApplicable: true,
    location: at(14),
    hoursNote: '',
    consultPhone: phone(14),
    supervisionPhone: SUPERVISION,
    keywords: ['契税', '交税', '房产税费', '二手房交税'],
    fees: free('申报不收费；契税按《契税法》规定的税率计算缴纳'),
    materials: [
      id('parties-id', '承受方身份证明', { form: 'original_and_copy' }),
      id('contract', '房屋买卖合同（网签备案）', { notes: '网签信息共享的免交' }),
      id('relief', '享受契税优惠的证明材料', { required: false, condition: '申请家庭唯一住房、第二套改善性住房等优惠的', notes: '家庭住房情况由系统查询，无法查询的提交书面承诺' }),
      proxy('委托他人代为办理的'),
    ],
    steps: [
      step('申报', '税务窗口', 0, '计税依据、适用税率和优惠条件核对', '生成申报表'),
      step('缴税开票', '税务窗口', 0, '税款缴纳成功', '开具完税凭证，当场办结'),
    ],
    forms: [{ name: '契税纳税申报表', notes: '系统自动生成，纳税人签字确认' }],
    risks: [
      ACCEPT_RISK,
      { step: '申报', point: '违规认定优惠条件或核定计税价格', level: 'high', measure: '存量房交易计税价格评估系统自动核定，优惠条件信息化比对' },
    ],
    faq: [
      { question: '契税税率是多少？', answer: '契税税率为 3%-5%，具体适用税率由省级人民政府确定；个人购买家庭唯一住房、第二套改善性住房的按规定享受减征。' },
      { question: '什么时候交契税？', answer: '应当在办理不动产转移登记手续前申报缴纳。' },
    ],
    tips: ['在本中心“一窗受理”办理房屋转移登记时可同步申报，无需另行排队。'],
  },
};
