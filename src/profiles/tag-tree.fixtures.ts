import { SeededRandom } from '../math/random.js';
import type { ItemAttributes } from './catalog-source.js';

/** A small catalog of three departments whose tags and brands belong to one leaf category each (tests). */
export const DEPARTMENTS: { path: string[]; brands: string[]; tags: string[] }[] = [
  { path: ['Audio', 'Earbuds'], brands: ['Jabra', 'Anker'], tags: ['wireless', 'bluetooth', 'charging case'] },
  { path: ['Audio', 'Headphones'], brands: ['Bose', 'Sennheiser'], tags: ['noise cancelling', 'over-ear', 'hi-fi'] },
  { path: ['Music', 'Guitars', 'Acoustic'], brands: ['Martin', 'Taylor'], tags: ['spruce top', 'steel strings'] },
  { path: ['Music', 'Guitars', 'Electric'], brands: ['Fender', 'Gibson'], tags: ['humbucker', 'solid body'] },
  { path: ['Sports', 'Running', 'Shoes'], brands: ['Asics', 'Hoka'], tags: ['trail', 'cushioned', 'lightweight'] },
];

/** `perDepartment` items per department, each with one of its brands and two of its tags. */
export function departmentItems(seed: number, perDepartment = 12): ItemAttributes[] {
  const rng = new SeededRandom(seed);
  const items: ItemAttributes[] = [];
  for (const d of DEPARTMENTS) {
    for (let i = 0; i < perDepartment; i++) {
      items.push({ categoryPath: d.path, brand: rng.pick(d.brands), tags: rng.sampleWithoutReplacement(d.tags, 2), price: 10 + i });
    }
  }
  return items;
}
