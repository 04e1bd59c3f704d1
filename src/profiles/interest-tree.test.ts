import { describe, expect, it } from 'vitest';
import type { UserProfile } from './profile.js';
import { interestTree, type InterestTreeNode, ownInterestWeights } from './interest-tree.js';
import type { TagTreeNode } from './tag-tree.js';

const node = (id: string, kind: TagTreeNode['kind'], children: TagTreeNode[] = []): TagTreeNode => ({ id, name: id.slice(id.indexOf(':') + 1), kind, weight: 1, children });

/** root → Audio → [cluster(Earbuds, wireless, Jabra), Headphones]; root → Music → Guitars → Acoustic */
const TREE: TagTreeNode = node('root', 'root', [
  node('category:Audio', 'category', [
    node('cluster:earbuds', 'cluster', [node('category:Audio > Earbuds', 'category'), node('tag:wireless', 'tag'), node('brand:Jabra', 'brand')]),
    node('category:Audio > Headphones', 'category'),
  ]),
  node('category:Music', 'category', [node('category:Music > Guitars', 'category', [node('category:Music > Guitars > Acoustic', 'category')])]),
]);

const interests = (over: Partial<NonNullable<UserProfile['interests']>>): Pick<UserProfile, 'interests'> => ({
  interests: { asOf: 0, halfLifeDays: 14, categories: [], brands: [], tags: [], ...over },
});

function byId(tree: InterestTreeNode, id: string): InterestTreeNode | undefined {
  if (tree.id === id) return tree;
  for (const c of tree.children) {
    const hit = byId(c, id);
    if (hit) return hit;
  }
  return undefined;
}

describe('ownInterestWeights', () => {
  it('takes each category’s interest minus its child categories’, so propagation gives it back', () => {
    const own = ownInterestWeights({
      categories: [{ name: 'Audio', weight: 5 }, { name: 'Audio > Earbuds', weight: 3 }, { name: 'Audio > Headphones', weight: 1.5 }],
      brands: [{ name: 'Jabra', weight: 2 }], tags: [{ name: 'wireless', weight: 1 }],
    });
    expect(Object.fromEntries(own)).toEqual({
      'category:Audio': 0.5, 'category:Audio > Earbuds': 3, 'category:Audio > Headphones': 1.5, 'brand:Jabra': 2, 'tag:wireless': 1,
    });
  });
});

describe('interestTree', () => {
  it('propagates own weights up the tag tree (own + children) and normalises to the root', () => {
    const tree = interestTree(interests({
      categories: [{ name: 'Audio', weight: 5 }, { name: 'Audio > Earbuds', weight: 3 }, { name: 'Audio > Headphones', weight: 1.5 }],
      brands: [{ name: 'Jabra', weight: 2 }], tags: [{ name: 'wireless', weight: 1 }],
    }), TREE)!;
    // own: Audio 0.5, Earbuds 3, Headphones 1.5, Jabra 2, wireless 1 → total 8
    expect(tree.weight).toBe(1);
    expect(byId(tree, 'cluster:earbuds')!.weight).toBeCloseTo(6 / 8, 12);
    expect(byId(tree, 'category:Audio')).toMatchObject({ own: 0.5 / 8 });
    expect(byId(tree, 'category:Audio')!.weight).toBeCloseTo(1, 12);
    expect(byId(tree, 'category:Audio > Headphones')!.weight).toBeCloseTo(1.5 / 8, 12);
    expect(tree.children.map((c) => c.id)).toEqual(['category:Audio']); // Music has no interest: left out
    expect(byId(tree, 'cluster:earbuds')!.children.map((c) => c.id)).toEqual(['category:Audio > Earbuds', 'brand:Jabra', 'tag:wireless']);
  });

  it('puts a category missing from the tree on its nearest ancestor, and unknown brands and tags under other', () => {
    const tree = interestTree(interests({
      categories: [{ name: 'Music', weight: 4 }, { name: 'Music > Guitars', weight: 4 }, { name: 'Music > Guitars > Bass', weight: 4 }],
      brands: [{ name: 'Fender', weight: 1 }], tags: [],
    }), TREE)!;
    // own: Music 0, Guitars 0, Bass 4 → onto Guitars; Fender 1 → other. Total 5.
    expect(byId(tree, 'category:Music > Guitars')).toMatchObject({ weight: 4 / 5, own: 4 / 5, children: [] });
    expect(byId(tree, 'category:Music')!.weight).toBeCloseTo(4 / 5, 12);
    expect(byId(tree, 'other')).toMatchObject({ kind: 'other', weight: 1 / 5, children: [{ id: 'brand:Fender', kind: 'brand', weight: 1 / 5 }] });
  });

  it('drops nodes below minShare into their parent, and gives nothing for a profile without interests', () => {
    const tree = interestTree(interests({
      categories: [{ name: 'Audio', weight: 10 }, { name: 'Audio > Earbuds', weight: 9.5 }, { name: 'Audio > Headphones', weight: 0.5 }],
    }), TREE, { minShare: 0.1 })!;
    const audio = byId(tree, 'category:Audio')!;
    expect(audio.children.map((c) => c.id)).toEqual(['cluster:earbuds']);
    expect(audio.own).toBeCloseTo(0.05, 12);
    expect(audio.weight).toBeCloseTo(1, 12);
    expect(interestTree({}, TREE)).toBeUndefined();
    expect(interestTree(interests({}), TREE)).toMatchObject({ weight: 0, children: [] });
  });
});
