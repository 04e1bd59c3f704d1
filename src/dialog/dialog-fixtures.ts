import type { Item } from '../core/catalog.js';

/** An Item with defaults for the fields a test does not care about. */
export function fixtureItem(partial: Partial<Item> & Pick<Item, 'id' | 'title'>): Item {
  return {
    workspaceId: 'w', description: null, translations: {}, categoryPath: [], brand: null, price: null, currency: 'CNY', tags: [], imageUrl: null,
    attributes: {}, stock: 10, sponsored: false, createdAt: 0, updatedAt: 0, deletedAt: null, ...partial,
  };
}

const SHOES = { zh: ['服装', '鞋靴', '运动鞋'], en: ['Clothing', 'Shoes', 'Sneakers'] };
const DRESSES = { zh: ['服装', '女装', '连衣裙'], en: ['Clothing', "Women's Wear", 'Dresses'] };
const RUNNING = { zh: ['运动', '运动服饰', '跑鞋'], en: ['Sports', 'Sportswear', 'Running Shoes'] };
const PHONES = { zh: ['数码', '影音', '耳机'], en: ['Electronics', 'Audio', 'Headphones'] };

/**
 * A small bilingual catalog for the dialog's unit tests: sneakers, dresses (with sizes), running shoes
 * and headphones from a few brands in a few colours, prices stepping up by 20.
 */
export function fixtureCatalog(): Item[] {
  const items: Item[] = [];
  const brands: Array<[string, string, typeof SHOES]> = [
    ['云织', 'Yunzhi', SHOES], ['素锦', 'Sujin', SHOES], ['云织', 'Yunzhi', DRESSES], ['米禾', 'Mihe', DRESSES],
    ['跃动', 'Yuedong', RUNNING], ['Nike', 'Nike', RUNNING], ['星河', 'Xinghe', PHONES], ['极光', 'Aurora', PHONES],
  ];
  const colors: Array<[string, string]> = [['蓝色', 'Blue'], ['红色', 'Red'], ['黑色', 'Black']];
  let n = 0;
  for (const [zh, en, category] of brands) {
    for (const [colorZh, colorEn] of colors) {
      for (let v = 0; v < 2; v++, n++) {
        const attributes: Record<string, unknown> = { color: colorZh, colorEn, brandZh: zh, categoryPathEn: category.en, material: v === 0 ? '纯棉' : '涤纶', materialEn: v === 0 ? 'Cotton' : 'Polyester' };
        if (category === DRESSES) attributes.sizes = ['S', 'M', 'L'];
        items.push(fixtureItem({
          id: `i${String(n).padStart(3, '0')}`, title: `${zh} ${colorZh}${category.zh[2]} ${n}`, brand: en, price: 100 + 20 * ((n * 5) % 12),
          categoryPath: [...category.zh], translations: { en: { title: `${en} ${colorEn} ${category.en[2]} ${n}` } }, attributes, sponsored: n % 7 === 3,
        }));
      }
    }
  }
  return items;
}
