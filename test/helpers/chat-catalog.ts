import type { ItemInput } from '../../src/core/catalog.js';

interface CategorySpec {
  zh: [string, string, string];
  en: [string, string, string];
  noun: string;
  brands: Array<[zh: string, en: string]>;
  /** Cheapest price; items step up from it. */
  base: number;
  step: number;
  colors: boolean;
  attribute: { key: string; values: Array<[zh: string, en: string]> };
  sizes?: string[];
}

const COLORS: Array<[string, string]> = [['黑色', 'Black'], ['白色', 'White'], ['蓝色', 'Blue'], ['红色', 'Red']];

const CATEGORIES: CategorySpec[] = [
  { zh: ['服装', '鞋靴', '运动鞋'], en: ['Clothing', 'Shoes', 'Sneakers'], noun: 'Sneakers', brands: [['云织', 'Yunzhi'], ['素锦', 'Sujin'], ['朗克', 'Lanke']], base: 119, step: 20, colors: true, attribute: { key: 'material', values: [['网布', 'Mesh'], ['真皮', 'Leather']] }, sizes: ['38', '40', '42'] },
  { zh: ['服装', '女装', '连衣裙'], en: ['Clothing', "Women's Wear", 'Dresses'], noun: 'Dress', brands: [['云织', 'Yunzhi'], ['素锦', 'Sujin'], ['米禾', 'Mihe']], base: 159, step: 25, colors: true, attribute: { key: 'material', values: [['纯棉', 'Cotton'], ['真丝', 'Silk']] }, sizes: ['S', 'M', 'L'] },
  { zh: ['运动', '运动服饰', '跑鞋'], en: ['Sports', 'Sportswear', 'Running Shoes'], noun: 'Running Shoes', brands: [['跃动', 'Yuedong'], ['疾风', 'Jifeng']], base: 199, step: 30, colors: true, attribute: { key: 'material', values: [['尼龙', 'Nylon'], ['速干面料', 'Quick-dry Fabric']] } },
  { zh: ['数码', '影音', '耳机'], en: ['Electronics', 'Audio', 'Headphones'], noun: 'Headphones', brands: [['星河', 'Xinghe'], ['极光', 'Aurora'], ['声浪', 'Shenglang']], base: 199, step: 45, colors: true, attribute: { key: 'material', values: [['铝合金', 'Aluminium'], ['工程塑料', 'Plastic']] } },
  { zh: ['家居', '厨具', '保温杯'], en: ['Home', 'Kitchenware', 'Vacuum Flasks'], noun: 'Vacuum Flask', brands: [['木语', 'Muyu'], ['简居', 'Jianju']], base: 59, step: 10, colors: true, attribute: { key: 'material', values: [['不锈钢', 'Stainless Steel'], ['陶瓷', 'Ceramic']] } },
  { zh: ['图书', '文学', '小说'], en: ['Books', 'Literature', 'Novels'], noun: 'Novel', brands: [['人文社', 'Renwen Press'], ['新知书店', 'Xinzhi Books']], base: 29, step: 4, colors: false, attribute: { key: 'format', values: [['平装', 'Paperback'], ['精装', 'Hardcover']] } },
];

/**
 * A small bilingual catalog for the chat tests, laid out so every refinement has an answer: each
 * category has every brand in every colour (4 items per brand and colour, prices stepping up), a
 * material or format attribute, sizes for clothing, and a few sponsored items.
 */
export function chatCatalog(): ItemInput[] {
  const items: ItemInput[] = [];
  for (const c of CATEGORIES) {
    let k = 0;
    for (const [brandZh, brandEn] of c.brands) {
      for (const color of c.colors ? COLORS : [undefined]) {
        for (let v = 0; v < (c.colors ? 4 : 8); v++, k++) {
          const [valueZh, valueEn] = c.attribute.values[v % c.attribute.values.length]!;
          const price = c.base + c.step * ((k * 7) % 24);
          const id = `${c.en[2].toLowerCase().replace(/[^a-z]+/gu, '-')}-${String(k + 1).padStart(3, '0')}`;
          const attributes: Record<string, unknown> = { [c.attribute.key]: valueZh, [`${c.attribute.key}En`]: valueEn, brandZh, categoryPathEn: c.en };
          if (color) Object.assign(attributes, { color: color[0], colorEn: color[1] });
          if (c.sizes) attributes.sizes = v % 2 === 0 ? c.sizes : c.sizes.slice(0, 2);
          items.push({
            id, title: `${brandZh} ${color?.[0] ?? ''}${valueZh}${c.zh[2]} ${100 + k}`, brand: brandEn, price, currency: 'CNY', categoryPath: [...c.zh],
            translations: { en: { title: [brandEn, color?.[1], valueEn, c.noun, String(100 + k)].filter(Boolean).join(' ') } },
            attributes, stock: k % 17 === 5 ? 0 : 10 + k, sponsored: k % 11 === 3, tags: [],
          });
        }
      }
    }
  }
  return items;
}
