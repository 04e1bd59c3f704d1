import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { flattenLeaves } from '../../simulate/vocabulary/categories.js';
import { COLOUR_RGB, designOf, productPicture, writeDemoImages } from './demo-images.js';
import { decodeImage, encodePng } from './image-codec.js';
import { ImageFiles } from './image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-photo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shoe = { id: 'p-1', categoryPath: ['服装', '鞋靴', '运动鞋'], attributes: { color: '红色', colorEn: 'Red' } };

/** Mean RGB of the pixels far from the backdrop (the product), and how many there are. */
function productColour(data: Uint8Array): { rgb: number[]; pixels: number } {
  const corner = [data[0]!, data[1]!, data[2]!];
  const sum = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < data.length; i += 3) {
    const d = Math.abs(data[i]! - corner[0]!) + Math.abs(data[i + 1]! - corner[1]!) + Math.abs(data[i + 2]! - corner[2]!);
    if (d < 90) continue;
    for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    n++;
  }
  return { rgb: sum.map((s) => s / Math.max(1, n)), pixels: n };
}

describe('demo product pictures', () => {
  it('the same shot is the same picture; another shot is another photo of the same product', () => {
    const a = productPicture(shoe);
    expect(productPicture(shoe).data).toEqual(a.data);
    const b = productPicture(shoe, { shot: 'query' });
    let differing = 0;
    for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i]! - b.data[i]!) > 20) differing++;
    expect(differing).toBeGreaterThan(a.data.length * 0.05);
    expect([a.width, a.height]).toEqual([64, 64]);
  });

  it('paints the product in the item colour', () => {
    for (const [name, rgb] of [['Red', COLOUR_RGB.red!], ['Blue', COLOUR_RGB.blue!], ['Green', COLOUR_RGB.green!]] as const) {
      const { rgb: mean, pixels } = productColour(productPicture({ ...shoe, attributes: { colorEn: name } }).data);
      expect(pixels).toBeGreaterThan(200);
      const dominant = mean.indexOf(Math.max(...mean));
      expect(dominant).toBe(rgb.indexOf(Math.max(...rgb)));
    }
  });

  it('gives every leaf of a demo subcategory its own variant and unknown categories a design', () => {
    const leaves = flattenLeaves();
    const shoes = leaves.filter((l) => l.pathZh[1] === '鞋靴').map((l) => designOf(l.pathZh).variant);
    expect(new Set(shoes).size).toBe(4);
    expect(designOf(['Music', 'Guitars', 'Strings']).design(0).length).toBeGreaterThan(0);
  });

  it('writeDemoImages stores PNGs and points the items at GET /v1/items/:id/image', () => {
    const files = new ImageFiles(dir);
    const { items, written } = writeDemoImages(files, 'demo', [shoe, { ...shoe, id: 'a/b c' }]);
    expect(written).toBe(2);
    expect(items.map((i) => i.imageUrl)).toEqual(['/v1/items/p-1/image', '/v1/items/a%2Fb%20c/image']);
    const stored = files.readStored('demo', 'a/b c')!;
    expect(decodeImage(stored.bytes).width).toBe(64);
    expect(files.load({ workspaceId: 'demo', id: 'p-1', imageUrl: null })?.version).toMatch(/^stored:/);
  });

  it('loads a shop picture from a local path or file:// URL inside the roots, never elsewhere or remote', () => {
    const files = new ImageFiles(dir);
    const png = encodePng(productPicture(shoe));
    writeFileSync(join(dir, 'shop-1.png'), png);
    const item = (imageUrl: string) => ({ workspaceId: 'shop', id: 'x', imageUrl });
    expect(files.load(item('shop-1.png'))?.bytes).toEqual(png);
    expect(files.load(item(pathToFileURL(join(dir, 'shop-1.png')).href))?.bytes).toEqual(png);
    expect(files.load(item(join(dir, 'shop-1.png')))?.version).toMatch(/^file:/);
    expect(files.load(item('../../etc/passwd'))).toBeUndefined();
    expect(files.load(item('/etc/hostname'))).toBeUndefined();
    expect(files.load(item('https://img.example/1.jpg'))).toBeUndefined();
    expect(files.load(item('missing.png'))).toBeUndefined();
  });
});
