/**
 * The demo shop's category tree, in Chinese and English: 8 top categories, 4–5 subcategories each,
 * 3–4 leaves under every subcategory (128 leaves). Each leaf carries the median price (CNY) its items
 * are drawn around. Words for titles, brands and attributes per top category live in words.ts.
 */

/** A word in both languages: `[zh, en]`. */
export type Word = readonly [zh: string, en: string];

export interface LeafSpec {
  zh: string;
  /** Category name in English (plural). */
  en: string;
  /** The noun as it reads in an English title (`Dress` for `Dresses`). */
  noun: string;
  /** Median price in CNY. */
  price: number;
}

export interface SubSpec {
  zh: string;
  en: string;
  leaves: LeafSpec[];
}

export interface TopSpec {
  zh: string;
  en: string;
  subs: SubSpec[];
}

const L = (zh: string, en: string, noun: string, price: number): LeafSpec => ({ zh, en, noun, price });
const S = (zh: string, en: string, ...leaves: LeafSpec[]): SubSpec => ({ zh, en, leaves });

/**
 * The tree itself, root to leaf.
 *
 * @example CATEGORY_TREE[0]!.subs[0]!.leaves[0] // { zh: '连衣裙', en: 'Dresses', noun: 'Dress', price: 299 }
 */
export const CATEGORY_TREE: readonly TopSpec[] = [
  {
    zh: '服装', en: 'Clothing', subs: [
      S('女装', "Women's Wear", L('连衣裙', 'Dresses', 'Dress', 299), L('针织衫', 'Knitwear', 'Cardigan', 199), L('半身裙', 'Skirts', 'Skirt', 159), L('羽绒服', 'Down Jackets', 'Down Jacket', 699)),
      S('男装', "Men's Wear", L('衬衫', 'Shirts', 'Shirt', 189), L('夹克', 'Jackets', 'Jacket', 399), L('牛仔裤', 'Jeans', 'Jeans', 259), L('卫衣', 'Hoodies', 'Hoodie', 219)),
      S('鞋靴', 'Shoes', L('运动鞋', 'Sneakers', 'Sneakers', 399), L('皮鞋', 'Leather Shoes', 'Leather Shoes', 459), L('靴子', 'Boots', 'Boots', 529), L('凉鞋', 'Sandals', 'Sandals', 169)),
      S('童装', "Kids' Wear", L('童装套装', "Kids' Sets", "Kids' Set", 149), L('儿童外套', "Kids' Coats", "Kids' Coat", 229), L('童鞋', "Kids' Shoes", "Kids' Shoes", 179)),
      S('配饰', 'Accessories', L('帽子', 'Hats', 'Hat', 89), L('围巾', 'Scarves', 'Scarf', 129), L('腰带', 'Belts', 'Belt', 119), L('包袋', 'Bags', 'Bag', 399)),
    ],
  },
  {
    zh: '数码', en: 'Electronics', subs: [
      S('手机', 'Phones', L('智能手机', 'Smartphones', 'Smartphone', 2999), L('手机壳', 'Phone Cases', 'Phone Case', 49), L('充电器', 'Chargers', 'Charger', 99), L('移动电源', 'Power Banks', 'Power Bank', 149)),
      S('电脑', 'Computers', L('笔记本电脑', 'Laptops', 'Laptop', 5999), L('显示器', 'Monitors', 'Monitor', 1499), L('键盘', 'Keyboards', 'Keyboard', 299), L('鼠标', 'Mice', 'Mouse', 129)),
      S('影音', 'Audio', L('耳机', 'Headphones', 'Headphones', 399), L('蓝牙音箱', 'Bluetooth Speakers', 'Bluetooth Speaker', 299), L('麦克风', 'Microphones', 'Microphone', 359)),
      S('摄影', 'Cameras', L('微单相机', 'Mirrorless Cameras', 'Mirrorless Camera', 6999), L('镜头', 'Lenses', 'Lens', 3299), L('三脚架', 'Tripods', 'Tripod', 259), L('运动相机', 'Action Cameras', 'Action Camera', 1999)),
      S('智能设备', 'Smart Devices', L('智能手表', 'Smartwatches', 'Smartwatch', 1299), L('手环', 'Fitness Bands', 'Fitness Band', 249), L('智能音箱', 'Smart Speakers', 'Smart Speaker', 349)),
    ],
  },
  {
    zh: '家居', en: 'Home', subs: [
      S('家具', 'Furniture', L('沙发', 'Sofas', 'Sofa', 3999), L('餐桌', 'Dining Tables', 'Dining Table', 1599), L('书架', 'Bookshelves', 'Bookshelf', 499), L('办公椅', 'Office Chairs', 'Office Chair', 799)),
      S('厨具', 'Kitchenware', L('炒锅', 'Woks', 'Wok', 259), L('刀具', 'Knives', 'Knife Set', 199), L('餐具', 'Tableware', 'Tableware Set', 159), L('保温杯', 'Vacuum Flasks', 'Vacuum Flask', 119)),
      S('家纺', 'Bedding', L('四件套', 'Bedding Sets', 'Bedding Set', 399), L('枕头', 'Pillows', 'Pillow', 129), L('被子', 'Quilts', 'Quilt', 499)),
      S('收纳', 'Storage', L('收纳箱', 'Storage Boxes', 'Storage Box', 69), L('衣架', 'Hangers', 'Hanger Set', 39), L('置物架', 'Shelving', 'Shelf', 159)),
      S('灯具', 'Lighting', L('台灯', 'Desk Lamps', 'Desk Lamp', 199), L('吸顶灯', 'Ceiling Lights', 'Ceiling Light', 399), L('落地灯', 'Floor Lamps', 'Floor Lamp', 329)),
    ],
  },
  {
    zh: '美妆', en: 'Beauty', subs: [
      S('护肤', 'Skincare', L('面霜', 'Face Creams', 'Face Cream', 329), L('精华', 'Serums', 'Serum', 459), L('面膜', 'Face Masks', 'Face Mask', 99), L('洁面', 'Cleansers', 'Cleanser', 89)),
      S('彩妆', 'Makeup', L('口红', 'Lipsticks', 'Lipstick', 229), L('粉底液', 'Foundations', 'Foundation', 329), L('眼影', 'Eyeshadows', 'Eyeshadow Palette', 259)),
      S('香水', 'Fragrance', L('女士香水', "Women's Perfume", "Women's Perfume", 699), L('男士香水', "Men's Cologne", "Men's Cologne", 599), L('香薰', 'Home Fragrance', 'Diffuser', 159)),
      S('个护', 'Personal Care', L('洗发水', 'Shampoos', 'Shampoo', 69), L('沐浴露', 'Body Washes', 'Body Wash', 59), L('电动牙刷', 'Electric Toothbrushes', 'Electric Toothbrush', 299), L('吹风机', 'Hair Dryers', 'Hair Dryer', 399)),
    ],
  },
  {
    zh: '食品', en: 'Food', subs: [
      S('零食', 'Snacks', L('坚果', 'Nuts', 'Mixed Nuts', 79), L('饼干', 'Biscuits', 'Biscuits', 39), L('巧克力', 'Chocolate', 'Chocolate', 69), L('肉干', 'Jerky', 'Jerky', 59)),
      S('饮品', 'Drinks', L('茶叶', 'Tea', 'Tea', 159), L('咖啡', 'Coffee', 'Coffee', 99), L('果汁', 'Juice', 'Juice', 49), L('牛奶', 'Milk', 'Milk', 69)),
      S('生鲜', 'Fresh', L('水果', 'Fruit', 'Fruit Box', 99), L('牛排', 'Steak', 'Steak', 199), L('海鲜', 'Seafood', 'Seafood', 259)),
      S('粮油', 'Pantry', L('大米', 'Rice', 'Rice', 69), L('食用油', 'Cooking Oil', 'Cooking Oil', 89), L('调味品', 'Seasonings', 'Seasoning Set', 39), L('面条', 'Noodles', 'Noodles', 29)),
    ],
  },
  {
    zh: '运动', en: 'Sports', subs: [
      S('健身', 'Fitness', L('瑜伽垫', 'Yoga Mats', 'Yoga Mat', 129), L('哑铃', 'Dumbbells', 'Dumbbells', 199), L('跑步机', 'Treadmills', 'Treadmill', 2999), L('弹力带', 'Resistance Bands', 'Resistance Band', 49)),
      S('户外', 'Outdoor', L('帐篷', 'Tents', 'Tent', 599), L('登山包', 'Hiking Backpacks', 'Hiking Backpack', 459), L('冲锋衣', 'Hardshell Jackets', 'Hardshell Jacket', 899), L('睡袋', 'Sleeping Bags', 'Sleeping Bag', 329)),
      S('球类', 'Ball Sports', L('篮球', 'Basketballs', 'Basketball', 199), L('足球', 'Footballs', 'Football', 159), L('羽毛球拍', 'Badminton Rackets', 'Badminton Racket', 359)),
      S('骑行', 'Cycling', L('自行车', 'Bicycles', 'Bicycle', 2599), L('骑行头盔', 'Cycling Helmets', 'Cycling Helmet', 299), L('骑行服', 'Cycling Jerseys', 'Cycling Jersey', 259)),
      S('运动服饰', 'Sportswear', L('跑鞋', 'Running Shoes', 'Running Shoes', 599), L('运动裤', 'Track Pants', 'Track Pants', 199), L('速干T恤', 'Quick-dry Tees', 'Quick-dry Tee', 129)),
    ],
  },
  {
    zh: '母婴', en: 'Baby', subs: [
      S('奶粉辅食', 'Formula & Baby Food', L('婴儿奶粉', 'Infant Formula', 'Infant Formula', 299), L('米粉', 'Baby Cereal', 'Baby Cereal', 89), L('果泥', 'Fruit Puree', 'Fruit Puree', 49)),
      S('尿裤湿巾', 'Diapers & Wipes', L('纸尿裤', 'Diapers', 'Diapers', 129), L('湿巾', 'Baby Wipes', 'Baby Wipes', 39), L('拉拉裤', 'Pull-ups', 'Pull-ups', 139)),
      S('玩具', 'Toys', L('积木', 'Building Blocks', 'Building Blocks', 199), L('毛绒玩具', 'Plush Toys', 'Plush Toy', 89), L('益智玩具', 'Educational Toys', 'Educational Toy', 129), L('遥控车', 'RC Cars', 'RC Car', 259)),
      S('童车童床', 'Strollers & Cribs', L('婴儿车', 'Strollers', 'Stroller', 1299), L('安全座椅', 'Car Seats', 'Car Seat', 1599), L('婴儿床', 'Cribs', 'Crib', 999)),
    ],
  },
  {
    zh: '图书', en: 'Books', subs: [
      S('文学', 'Literature', L('小说', 'Novels', 'Novel', 45), L('诗歌', 'Poetry', 'Poetry Collection', 39), L('散文', 'Essays', 'Essay Collection', 42)),
      S('童书', "Children's Books", L('绘本', 'Picture Books', 'Picture Book', 49), L('科普', 'Popular Science', 'Science Book', 59), L('儿童文学', "Children's Fiction", "Children's Novel", 35)),
      S('教育', 'Education', L('教材', 'Textbooks', 'Textbook', 55), L('外语学习', 'Language Learning', 'Language Course', 69), L('考试', 'Exam Prep', 'Exam Guide', 79)),
      S('经管', 'Business', L('管理', 'Management', 'Management Book', 69), L('投资理财', 'Investing', 'Investing Guide', 59), L('经济学', 'Economics', 'Economics Book', 75)),
      S('科技', 'Technology', L('编程', 'Programming', 'Programming Book', 99), L('人工智能', 'Artificial Intelligence', 'AI Book', 109), L('设计', 'Design', 'Design Book', 89)),
    ],
  },
];

/** One leaf with its place in the tree, as the simulator indexes them. */
export interface FlatLeaf extends LeafSpec {
  /** Index among all leaves. */
  index: number;
  top: number;
  sub: number;
  /** `[top, sub, leaf]` in Chinese (the item's categoryPath). */
  pathZh: [string, string, string];
  pathEn: [string, string, string];
}

/**
 * All leaves in tree order with their top and subcategory indices.
 *
 * @example flattenLeaves()[0]!.pathZh // ['服装', '女装', '连衣裙']
 */
export function flattenLeaves(tree: readonly TopSpec[] = CATEGORY_TREE): FlatLeaf[] {
  const out: FlatLeaf[] = [];
  tree.forEach((top, t) => top.subs.forEach((sub, s) => sub.leaves.forEach((leaf) => {
    out.push({ ...leaf, index: out.length, top: t, sub: s, pathZh: [top.zh, sub.zh, leaf.zh], pathEn: [top.en, sub.en, leaf.en] });
  })));
  return out;
}
