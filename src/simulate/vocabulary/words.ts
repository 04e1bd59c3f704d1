import type { Word } from './categories.js';

/**
 * Words per top category (same order as CATEGORY_TREE): brands with a price tier, title adjectives,
 * one characteristic attribute (material, ingredient, origin or format), and selling points for
 * descriptions. Brands are made up; their tier multiplies the leaf's median price.
 */
export interface BrandSpec {
  zh: string;
  en: string;
  tier: number;
}

export interface TopWords {
  brands: BrandSpec[];
  adjectives: Word[];
  /** Attribute key stored in item.attributes, and its values. */
  attribute: { key: string; zh: string; en: string; values: Word[] };
  /** Whether items of this category come in colours. */
  colored: boolean;
  sellingPoints: Word[];
}

const B = (zh: string, en: string, tier: number): BrandSpec => ({ zh, en, tier });

/**
 * Vocabulary of each top category, indexed like CATEGORY_TREE.
 *
 * @example TOP_WORDS[0]!.brands[0] // { zh: '云织', en: 'Yunzhi', tier: 1 }
 */
export const TOP_WORDS: readonly TopWords[] = [
  {
    brands: [B('云织', 'Yunzhi', 1), B('素锦', 'Sujin', 1.3), B('米禾', 'Mihe', 0.8), B('朗克', 'Lanke', 1.1), B('青木', 'Qingmu', 0.9), B('澜庭', 'Lanting', 1.6), B('布谷', 'Bugu', 0.7)],
    adjectives: [['新款', 'New'], ['经典', 'Classic'], ['简约', 'Minimalist'], ['复古', 'Retro'], ['修身', 'Slim-fit'], ['宽松', 'Loose-fit'], ['百搭', 'Versatile']],
    attribute: { key: 'material', zh: '材质', en: 'material', values: [['纯棉', 'Cotton'], ['亚麻', 'Linen'], ['真丝', 'Silk'], ['羊毛', 'Wool'], ['涤纶', 'Polyester'], ['牛仔布', 'Denim'], ['真皮', 'Leather']] },
    colored: true,
    sellingPoints: [['透气舒适，四季可穿', 'breathable and comfortable in every season'], ['版型修身，显瘦百搭', 'a flattering cut that goes with everything'], ['做工精细，走线平整', 'fine workmanship with neat stitching'], ['机洗不变形', 'keeps its shape in the washing machine'], ['面料亲肤柔软', 'soft, skin-friendly fabric']],
  },
  {
    brands: [B('星河', 'Xinghe', 1), B('极光', 'Aurora', 1.4), B('声浪', 'Shenglang', 0.9), B('锐拓', 'Ruituo', 1.1), B('小麦', 'Xiaomai', 0.7), B('蓝鲸', 'Lanjing', 1.2), B('觅音', 'Miyin', 0.85)],
    adjectives: [['新款', 'New'], ['旗舰', 'Flagship'], ['轻薄', 'Slim'], ['便携', 'Portable'], ['高性能', 'High-performance'], ['无线', 'Wireless'], ['智能', 'Smart']],
    attribute: { key: 'material', zh: '材质', en: 'material', values: [['铝合金', 'Aluminium'], ['工程塑料', 'Plastic'], ['钢化玻璃', 'Tempered Glass'], ['碳纤维', 'Carbon Fibre'], ['硅胶', 'Silicone']] },
    colored: true,
    sellingPoints: [['续航持久，快充省心', 'long battery life and fast charging'], ['性能强劲，运行流畅', 'powerful and smooth in use'], ['轻巧便携，出行无忧', 'light enough to take anywhere'], ['一年质保，全国联保', 'one-year nationwide warranty'], ['做工扎实，手感出色', 'solid build that feels great in the hand']],
  },
  {
    brands: [B('木语', 'Muyu', 1.1), B('简居', 'Jianju', 0.8), B('暖巢', 'Nuanchao', 1), B('匠心', 'Jiangxin', 1.4), B('拾物', 'Shiwu', 0.75), B('栖山', 'Qishan', 1.2)],
    adjectives: [['北欧', 'Nordic'], ['简约', 'Minimalist'], ['日式', 'Japanese-style'], ['加厚', 'Thick'], ['多功能', 'Multi-purpose'], ['家用', 'Household']],
    attribute: { key: 'material', zh: '材质', en: 'material', values: [['实木', 'Solid Wood'], ['不锈钢', 'Stainless Steel'], ['陶瓷', 'Ceramic'], ['棉麻', 'Cotton-linen'], ['玻璃', 'Glass'], ['竹', 'Bamboo']] },
    colored: true,
    sellingPoints: [['安装简单，经久耐用', 'easy to set up and built to last'], ['环保材料，安心使用', 'eco-friendly materials you can trust'], ['节省空间，收纳有序', 'saves space and keeps things tidy'], ['设计简洁，融入各种家居风格', 'a clean design that suits any home'], ['易清洁，好打理', 'easy to clean and care for']],
  },
  {
    brands: [B('花间', 'Huajian', 1), B('雪颜', 'Xueyan', 1.3), B('初露', 'Chulu', 0.8), B('玉容', 'Yurong', 1.6), B('清研', 'Qingyan', 0.9), B('芙蕾', 'Fulei', 1.1)],
    adjectives: [['保湿', 'Hydrating'], ['温和', 'Gentle'], ['持久', 'Long-lasting'], ['清爽', 'Refreshing'], ['修护', 'Repairing'], ['限定', 'Limited-edition']],
    attribute: { key: 'ingredient', zh: '成分', en: 'ingredient', values: [['玻尿酸', 'Hyaluronic Acid'], ['烟酰胺', 'Niacinamide'], ['植物精油', 'Plant Oils'], ['维C', 'Vitamin C'], ['氨基酸', 'Amino Acids'], ['积雪草', 'Centella']] },
    colored: false,
    sellingPoints: [['温和不刺激，敏感肌可用', 'gentle enough for sensitive skin'], ['质地轻薄，吸收快', 'a light texture that absorbs quickly'], ['持久保湿一整天', 'keeps skin hydrated all day'], ['无酒精无香精', 'free of alcohol and added fragrance'], ['专柜正品，假一赔十', 'genuine product, guaranteed']],
  },
  {
    brands: [B('山野', 'Shanye', 1), B('田园', 'Tianyuan', 0.8), B('老味', 'Laowei', 0.9), B('鲜境', 'Xianjing', 1.3), B('茗山', 'Mingshan', 1.4), B('果先生', 'Guoxiansheng', 1)],
    adjectives: [['有机', 'Organic'], ['精选', 'Selected'], ['原味', 'Original'], ['家庭装', 'Family-size'], ['礼盒装', 'Gift-boxed'], ['低糖', 'Low-sugar']],
    attribute: { key: 'origin', zh: '产地', en: 'origin', values: [['云南', 'Yunnan'], ['新疆', 'Xinjiang'], ['东北', 'Northeast China'], ['福建', 'Fujian'], ['内蒙古', 'Inner Mongolia'], ['进口', 'Imported']] },
    colored: false,
    sellingPoints: [['产地直发，新鲜到家', 'shipped fresh from the source'], ['无添加，吃得放心', 'no additives, nothing to worry about'], ['独立小包装，方便携带', 'individually packed, easy to carry'], ['口感醇厚，回味无穷', 'rich flavour with a long finish'], ['冷链配送，品质保证', 'cold-chain delivery for guaranteed quality']],
  },
  {
    brands: [B('跃动', 'Yuedong', 1), B('疾风', 'Jifeng', 1.2), B('野径', 'Yejing', 1.3), B('力尚', 'Lishang', 0.8), B('骑迹', 'Qiji', 1.1), B('奔跑', 'Benpao', 0.9)],
    adjectives: [['专业', 'Pro'], ['轻量', 'Lightweight'], ['防水', 'Waterproof'], ['速干', 'Quick-dry'], ['耐磨', 'Durable'], ['入门', 'Beginner']],
    attribute: { key: 'material', zh: '材质', en: 'material', values: [['尼龙', 'Nylon'], ['碳纤维', 'Carbon Fibre'], ['橡胶', 'Rubber'], ['速干面料', 'Quick-dry Fabric'], ['铝合金', 'Aluminium'], ['TPE', 'TPE']] },
    colored: true,
    sellingPoints: [['专业级性能，训练更高效', 'pro-level performance for better training'], ['防滑耐磨，安全可靠', 'non-slip, hard-wearing and safe'], ['透气排汗，运动更畅快', 'breathable and sweat-wicking'], ['轻便易收纳', 'light and easy to pack away'], ['适合户外与日常使用', 'made for the outdoors and every day']],
  },
  {
    brands: [B('贝乐', 'Beile', 1), B('童趣', 'Tongqu', 0.8), B('安贝', 'Anbei', 1.3), B('小熊', 'Xiaoxiong', 0.9), B('爱婴', 'Aiying', 1.1)],
    adjectives: [['婴儿', 'Baby'], ['安全', 'Safe'], ['柔软', 'Soft'], ['便携', 'Portable'], ['益智', 'Educational'], ['加大', 'Extra-large']],
    attribute: { key: 'material', zh: '材质', en: 'material', values: [['有机棉', 'Organic Cotton'], ['食品级硅胶', 'Food-grade Silicone'], ['榉木', 'Beech Wood'], ['环保塑料', 'Eco Plastic'], ['天然成分', 'Natural Ingredients']] },
    colored: true,
    sellingPoints: [['通过安全认证，宝宝放心用', 'safety-certified for peace of mind'], ['柔软亲肤，呵护宝宝', 'soft and gentle on baby skin'], ['易清洗，更卫生', 'easy to clean and hygienic'], ['寓教于乐，启发智力', 'learning through play'], ['轻便折叠，出行方便', 'folds light for travel']],
  },
  {
    brands: [B('人文社', 'Renwen Press', 1), B('新知书店', 'Xinzhi Books', 1.1), B('青鸟文化', 'Qingniao Culture', 0.9), B('海岸出版', 'Coast Press', 1), B('明理图书', 'Mingli Books', 1.2)],
    adjectives: [['畅销', 'Best-selling'], ['全新修订', 'Revised'], ['经典', 'Classic'], ['图解', 'Illustrated'], ['入门', 'Introductory'], ['获奖', 'Award-winning']],
    attribute: { key: 'format', zh: '版本', en: 'format', values: [['平装', 'Paperback'], ['精装', 'Hardcover'], ['套装', 'Box Set'], ['典藏版', "Collector's Edition"]] },
    colored: false,
    sellingPoints: [['名家力作，口碑之选', 'a celebrated work readers love'], ['内容翔实，通俗易懂', 'thorough yet easy to follow'], ['印刷清晰，纸张环保', 'clear print on eco-friendly paper'], ['附赠精美书签', 'comes with a bookmark'], ['配套练习与案例', 'with exercises and worked examples']],
  },
];

/**
 * Colours items may come in.
 *
 * @example COLORS[3] // ['红色', 'Red']
 */
export const COLORS: readonly Word[] = [
  ['黑色', 'Black'], ['白色', 'White'], ['灰色', 'Grey'], ['红色', 'Red'], ['藏青', 'Navy'],
  ['米色', 'Beige'], ['粉色', 'Pink'], ['绿色', 'Green'], ['蓝色', 'Blue'], ['卡其', 'Khaki'],
];

/** Cities where users live, with relative weights. */
export const CITIES: readonly (readonly [zh: string, en: string, weight: number])[] = [
  ['上海', 'Shanghai', 10], ['北京', 'Beijing', 10], ['深圳', 'Shenzhen', 8], ['广州', 'Guangzhou', 8], ['杭州', 'Hangzhou', 6],
  ['成都', 'Chengdu', 6], ['武汉', 'Wuhan', 4], ['南京', 'Nanjing', 4], ['西安', "Xi'an", 3], ['重庆', 'Chongqing', 4],
  ['苏州', 'Suzhou', 3], ['天津', 'Tianjin', 3],
];

export const SURNAMES_ZH = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '林'];
export const GIVEN_CHARS_ZH = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '婷', '杰', '涛', '明', '超', '秀', '霞', '平', '刚', '华', '丽', '强', '燕', '鹏', '晨', '宇', '欣'];
export const FIRST_NAMES_EN = ['Alex', 'Emma', 'James', 'Olivia', 'Liam', 'Sophia', 'Noah', 'Mia', 'Lucas', 'Grace', 'Daniel', 'Chloe', 'Ryan', 'Lily', 'David', 'Anna'];
export const LAST_NAMES_EN = ['Smith', 'Brown', 'Wilson', 'Taylor', 'Clark', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Green', 'Baker'];

/** Promotions the shop runs; `top` is the category a promotion features (-1: all). */
export const PROMOTIONS: readonly { id: string; zh: string; en: string; top: number }[] = [
  { id: 'promo-autumn-sale', zh: '秋季大促', en: 'Autumn Sale', top: -1 },
  { id: 'promo-new-arrivals', zh: '服装新品上市', en: 'New Fashion Arrivals', top: 0 },
  { id: 'promo-digital-week', zh: '数码周', en: 'Digital Week', top: 1 },
  { id: 'promo-home-refresh', zh: '家居焕新季', en: 'Home Refresh', top: 2 },
  { id: 'promo-beauty-day', zh: '美妆节', en: 'Beauty Day', top: 3 },
  { id: 'promo-snack-fest', zh: '零食节', en: 'Snack Festival', top: 4 },
  { id: 'promo-outdoor', zh: '户外运动季', en: 'Outdoor Season', top: 5 },
  { id: 'promo-reading-month', zh: '读书月', en: 'Reading Month', top: 7 },
];

/** Creative variants every promotion is shown with (for creative selection experiments). */
export const CREATIVES = ['banner-a', 'banner-b', 'video'] as const;
