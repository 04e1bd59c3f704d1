// Drawings of the demo catalog's products, one design per subcategory of the demo tree (src/simulate/
// vocabulary/categories.ts), each with a variant per leaf (sneakers vs boots, laptop vs mouse). Parts are
// in a unit square, y down, the product about 0.15–0.85. Books, food, beauty: see product-shapes-more.ts.
import { box, circle, ellipse, intersect, type Part, polygon, ring, segment, subtract, union } from './draw.js';

/** A design: the parts of variant `v` (the leaf's index within its subcategory). */
export type Design = (v: number) => Part[];

const P = (shape: Part['shape'], paint: Part['paint'] = 'main', outline = true): Part => ({ shape, paint, outline });
const dots = (xs: number[], y: number, r: number, paint: Part['paint'] = 'accent') => xs.map((x) => P(circle(x, y, r), paint, false));

/** A top with no, short or long sleeves, hem at `hem`. @example P(garment(2, 0.82)) // a long-sleeved shirt */
export function garment(sleeves: 0 | 1 | 2, hem = 0.82, half = 0.18): Part['shape'] {
  const l = 0.5 - half, r = 0.5 + half;
  const sleeve = sleeves === 0 ? [] : sleeves === 1 ? [[l - 0.13, 0.4], [l - 0.06, 0.46]] : [[l - 0.2, 0.66], [l - 0.12, 0.69]];
  const pts = [
    [0.42, 0.2], [l - 0.02, 0.24], ...sleeve, [l, 0.4], [l, hem], [r, hem], [r, 0.4],
    ...sleeve.map(([x, y]) => [1 - x!, y!]).reverse(), [r + 0.02, 0.24], [0.58, 0.2], [0.5, 0.27],
  ];
  return polygon(pts.flat() as number[]);
}

const trousers = (short = false) => polygon([0.32, 0.2, 0.68, 0.2, 0.72, short ? 0.55 : 0.86, 0.54, short ? 0.55 : 0.86, 0.5, 0.42, 0.46, short ? 0.55 : 0.86, 0.28, short ? 0.55 : 0.86]);

/** A shoe side view: sole and upper; `height` of the shaft (boots), `low` for a sleek shoe. */
function shoe(height = 0.36, low = false, sole: Part['paint'] = 'light'): Part[] {
  const top = 0.62 - height;
  const upper = low
    ? polygon([0.18, 0.66, 0.2, 0.54, 0.4, 0.5, 0.62, 0.56, 0.82, 0.6, 0.84, 0.66])
    : polygon([0.18, 0.66, 0.2, top, 0.42, top, 0.46, 0.48, 0.7, 0.54, 0.84, 0.58, 0.84, 0.66]);
  return [P(upper), P(box(0.51, 0.68, 0.34, 0.035, 0.02), sole)];
}

/** Clothing designs by subcategory. @example WEAR['鞋靴']!(2) // boots */
export const WEAR: Record<string, Design> = {
  女装: (v) => [
    // dress, cardigan, skirt, down jacket
    ...(v === 0 ? [P(polygon([0.42, 0.18, 0.58, 0.18, 0.63, 0.24, 0.59, 0.46, 0.78, 0.86, 0.22, 0.86, 0.41, 0.46, 0.37, 0.24])), P(box(0.5, 0.46, 0.1, 0.02), 'dark', false)] : []),
    ...(v === 1 ? [P(garment(2, 0.78)), P(segment(0.5, 0.27, 0.5, 0.78, 0.008), 'dark', false), ...dots([0.5], 0.4, 0.015), ...dots([0.5], 0.55, 0.015), ...dots([0.5], 0.7, 0.015)] : []),
    ...(v === 2 ? [P(polygon([0.36, 0.28, 0.64, 0.28, 0.8, 0.8, 0.2, 0.8])), P(box(0.5, 0.29, 0.15, 0.03), 'dark')] : []),
    ...(v >= 3 ? [P(garment(2, 0.8, 0.2)), ...[0.36, 0.5, 0.64].map((y) => P(box(0.5, y, 0.2, 0.006), 'dark', false))] : []),
  ],
  男装: (v) => v === 2
    ? [P(trousers()), P(box(0.5, 0.22, 0.18, 0.025), 'dark')]
    : [
      ...(v === 3 ? [P(circle(0.5, 0.22, 0.11), 'dark')] : []),
      P(garment(2, 0.82)),
      ...(v === 0 ? [P(polygon([0.42, 0.2, 0.5, 0.3, 0.46, 0.34]), 'light'), P(polygon([0.58, 0.2, 0.5, 0.3, 0.54, 0.34]), 'light'), ...dots([0.5], 0.45, 0.012), ...dots([0.5], 0.6, 0.012)] : []),
      ...(v === 1 ? [P(segment(0.5, 0.27, 0.5, 0.82, 0.01), 'accent', false), P(box(0.5, 0.8, 0.18, 0.025), 'dark')] : []),
      ...(v === 3 ? [P(box(0.5, 0.66, 0.1, 0.06, 0.02), 'dark')] : []),
    ],
  鞋靴: (v) => v === 3
    ? [P(box(0.51, 0.66, 0.34, 0.03, 0.02), 'dark'), P(segment(0.3, 0.64, 0.42, 0.5, 0.025)), P(segment(0.5, 0.64, 0.42, 0.5, 0.025)), P(segment(0.62, 0.63, 0.74, 0.58, 0.025))]
    : [...shoe(v === 2 ? 0.4 : 0.16, v === 1, v === 1 ? 'dark' : 'light'), ...(v === 0 ? [P(segment(0.36, 0.5, 0.46, 0.52, 0.01), 'accent', false), P(segment(0.4, 0.46, 0.5, 0.49, 0.01), 'accent', false)] : [])],
  童装: (v) => v === 2
    ? [...shoe(0.14).map((p) => ({ ...p, shape: shrink(p.shape, 0.32, 0.5, 0.6) })), ...shoe(0.14).map((p) => ({ ...p, shape: shrink(p.shape, 0.68, 0.6, 0.6) }))]
    : v === 1
      ? [P(garment(2, 0.74, 0.15)), ...dots([0.5], 0.4, 0.02), ...dots([0.5], 0.55, 0.02), P(circle(0.44, 0.62, 0.03), 'light')]
      : [P(shrink(garment(1, 0.8), 0.5, 0.3, 0.6)), P(shrink(trousers(true), 0.5, 0.7, 0.55))],
  配饰: (v) => [
    ...(v === 0 ? [P(ellipse(0.5, 0.62, 0.34, 0.06), 'dark'), P(intersect(ellipse(0.5, 0.6, 0.2, 0.24), box(0.5, 0.45, 0.3, 0.15)))] : []),
    ...(v === 1 ? [P(polygon([0.3, 0.15, 0.46, 0.15, 0.58, 0.85, 0.42, 0.85])), ...[0.44, 0.5, 0.56].map((x) => P(segment(x, 0.85, x + 0.01, 0.9, 0.008), 'dark', false))] : []),
    ...(v === 2 ? [P(box(0.5, 0.5, 0.38, 0.045, 0.01)), P(ring(0.26, 0.5, 0.06, 0.012), 'accent')] : []),
    ...(v >= 3 ? [P(intersect(ring(0.5, 0.42, 0.14, 0.02), box(0.5, 0.32, 0.2, 0.12)), 'dark'), P(box(0.5, 0.6, 0.26, 0.18, 0.04))] : []),
  ],
  运动服饰: (v) => v === 0
    ? [...shoe(0.18), P(segment(0.44, 0.6, 0.6, 0.5, 0.012), 'light', false), P(segment(0.5, 0.62, 0.66, 0.52, 0.012), 'light', false)]
    : v === 1
      ? [P(trousers()), P(segment(0.3, 0.24, 0.27, 0.84, 0.012), 'light', false), P(segment(0.7, 0.24, 0.73, 0.84, 0.012), 'light', false)]
      : [P(garment(1, 0.8)), P(box(0.5, 0.45, 0.18, 0.02), 'light', false)],
};

/** Electronics and home designs by subcategory. @example DEVICES['手机']!(0) // a smartphone */
export const DEVICES: Record<string, Design> = {
  手机: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.5, 0.17, 0.32, 0.05), 'main'), P(box(0.5, 0.5, 0.14, 0.27, 0.02), 'glass', false), ...dots([0.5], 0.2, 0.01, [90, 90, 90])] : []),
    ...(v === 1 ? [P(subtract(box(0.5, 0.5, 0.18, 0.33, 0.06), circle(0.58, 0.24, 0.04))), P(ring(0.58, 0.24, 0.04, 0.006), 'dark', false)] : []),
    ...(v === 2 ? [P(box(0.5, 0.42, 0.14, 0.14, 0.03)), P(box(0.44, 0.24, 0.015, 0.05), [180, 180, 180]), P(box(0.56, 0.24, 0.015, 0.05), [180, 180, 180]), P(segment(0.5, 0.56, 0.5, 0.84, 0.015), 'dark')] : []),
    ...(v >= 3 ? [P(box(0.5, 0.5, 0.2, 0.28, 0.06)), ...dots([0.44, 0.5, 0.56], 0.7, 0.015, [90, 220, 120])] : []),
  ],
  电脑: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.42, 0.28, 0.19, 0.02)), P(box(0.5, 0.42, 0.25, 0.16), 'glass', false), P(polygon([0.2, 0.62, 0.8, 0.62, 0.88, 0.7, 0.12, 0.7]), 'dark')] : []),
    ...(v === 1 ? [P(box(0.5, 0.4, 0.34, 0.22, 0.02)), P(box(0.5, 0.4, 0.31, 0.19), 'glass', false), P(box(0.5, 0.68, 0.03, 0.07), 'dark'), P(box(0.5, 0.76, 0.14, 0.02, 0.01), 'dark')] : []),
    ...(v === 2 ? [P(box(0.5, 0.55, 0.38, 0.13, 0.02)), ...[0.48, 0.55, 0.62].flatMap((y) => dots([0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.68, 0.76, 0.84].filter((x) => x < 0.86), y, 0.018, 'dark'))] : []),
    ...(v >= 3 ? [P(ellipse(0.5, 0.52, 0.15, 0.25)), P(segment(0.5, 0.3, 0.5, 0.4, 0.012), 'dark', false), P(segment(0.38, 0.44, 0.62, 0.44, 0.006), 'dark', false)] : []),
  ],
  影音: (v) => [
    ...(v === 0 ? [P(intersect(ring(0.5, 0.5, 0.26, 0.03), box(0.5, 0.36, 0.35, 0.16)), 'dark'), P(box(0.26, 0.58, 0.07, 0.12, 0.05)), P(box(0.74, 0.58, 0.07, 0.12, 0.05))] : []),
    ...(v === 1 ? [P(box(0.5, 0.52, 0.32, 0.16, 0.14)), P(circle(0.36, 0.52, 0.09), 'dark'), P(circle(0.64, 0.52, 0.09), 'dark')] : []),
    ...(v >= 2 ? [P(box(0.5, 0.8, 0.14, 0.03, 0.01), 'dark'), P(segment(0.5, 0.42, 0.5, 0.78, 0.02), 'dark'), P(box(0.5, 0.3, 0.09, 0.14, 0.09))] : []),
  ],
  摄影: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.54, 0.3, 0.18, 0.03)), P(box(0.36, 0.34, 0.08, 0.04), 'main'), P(circle(0.56, 0.56, 0.13), 'dark'), P(circle(0.56, 0.56, 0.08), 'glass')] : []),
    ...(v === 1 ? [P(box(0.5, 0.5, 0.17, 0.26, 0.02)), ...[0.36, 0.5, 0.64].map((y) => P(box(0.5, y, 0.17, 0.02), 'dark', false)), P(ellipse(0.5, 0.24, 0.17, 0.04), 'glass')] : []),
    ...(v === 2 ? [P(segment(0.5, 0.34, 0.24, 0.86, 0.015), 'dark'), P(segment(0.5, 0.34, 0.76, 0.86, 0.015), 'dark'), P(segment(0.5, 0.34, 0.5, 0.86, 0.015), 'dark'), P(box(0.5, 0.28, 0.1, 0.05, 0.01))] : []),
    ...(v >= 3 ? [P(box(0.5, 0.5, 0.2, 0.16, 0.04)), P(circle(0.42, 0.52, 0.08), 'dark'), P(circle(0.42, 0.52, 0.045), 'glass'), P(box(0.62, 0.4, 0.04, 0.025), 'accent')] : []),
  ],
  智能设备: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.5, 0.1, 0.38, 0.05), 'dark'), P(box(0.5, 0.5, 0.16, 0.18, 0.05)), P(box(0.5, 0.5, 0.12, 0.14, 0.03), 'glass', false)] : []),
    ...(v === 1 ? [P(ring(0.5, 0.5, 0.24, 0.04)), P(box(0.5, 0.27, 0.08, 0.04, 0.02), 'glass')] : []),
    ...(v >= 2 ? [P(box(0.5, 0.56, 0.18, 0.26, 0.12)), P(ellipse(0.5, 0.32, 0.16, 0.04), 'dark'), ...dots([0.42, 0.5, 0.58], 0.32, 0.012, [90, 180, 255])] : []),
  ],
  家具: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.44, 0.3, 0.14, 0.04), 'dark'), P(box(0.5, 0.6, 0.36, 0.08, 0.03)), P(box(0.16, 0.54, 0.05, 0.12, 0.03)), P(box(0.84, 0.54, 0.05, 0.12, 0.03)), P(box(0.2, 0.72, 0.02, 0.04), 'dark'), P(box(0.8, 0.72, 0.02, 0.04), 'dark')] : []),
    ...(v === 1 ? [P(box(0.5, 0.4, 0.36, 0.04, 0.01)), P(box(0.22, 0.6, 0.03, 0.18), 'dark'), P(box(0.78, 0.6, 0.03, 0.18), 'dark')] : []),
    ...(v === 2 ? [P(box(0.5, 0.5, 0.22, 0.34, 0.01)), ...[0.3, 0.5, 0.7].map((y) => P(box(0.5, y, 0.19, 0.07), 'dark', false)), ...[0.33, 0.37, 0.42, 0.58].map((x) => P(box(x, 0.32, 0.015, 0.045), 'accent', false))] : []),
    ...(v >= 3 ? [P(box(0.5, 0.34, 0.14, 0.17, 0.05)), P(box(0.5, 0.56, 0.18, 0.04, 0.02)), P(segment(0.5, 0.6, 0.5, 0.74, 0.015), 'dark'), P(segment(0.3, 0.8, 0.7, 0.8, 0.015), 'dark'), ...dots([0.3, 0.5, 0.7], 0.83, 0.02, 'dark')] : []),
  ],
  厨具: (v) => [
    ...(v === 0 ? [P(intersect(ellipse(0.44, 0.46, 0.3, 0.22), box(0.44, 0.6, 0.32, 0.14)), 'dark'), P(segment(0.72, 0.5, 0.92, 0.42, 0.025), [70, 50, 40])] : []),
    ...(v === 1 ? [P(polygon([0.2, 0.56, 0.62, 0.46, 0.62, 0.58, 0.26, 0.6]), [200, 205, 210]), P(box(0.74, 0.52, 0.12, 0.04, 0.02))] : []),
    ...(v === 2 ? [P(ellipse(0.42, 0.62, 0.3, 0.1), 'light'), P(intersect(ellipse(0.62, 0.44, 0.18, 0.16), box(0.62, 0.52, 0.2, 0.08)))] : []),
    ...(v >= 3 ? [P(box(0.5, 0.54, 0.11, 0.3, 0.05)), P(box(0.5, 0.22, 0.1, 0.05, 0.02), 'dark')] : []),
  ],
  家纺: (v) => [
    ...(v === 0 ? [0.66, 0.54, 0.42].map((y, i) => P(box(0.5, y, 0.3 - 0.02 * i, 0.055, 0.02), i === 1 ? 'light' : 'main')) : []),
    ...(v === 1 ? [P(box(0.5, 0.5, 0.3, 0.18, 0.12)), P(segment(0.3, 0.5, 0.7, 0.5, 0.006), 'light', false)] : []),
    ...(v >= 2 ? [P(box(0.5, 0.5, 0.32, 0.26, 0.05)), ...[0.38, 0.5, 0.62].map((x) => P(segment(x, 0.26, x, 0.74, 0.005), 'dark', false)), ...[0.4, 0.6].map((y) => P(segment(0.2, y, 0.8, y, 0.005), 'dark', false))] : []),
  ],
  收纳: (v) => [
    ...(v === 0 ? [P(box(0.5, 0.58, 0.28, 0.2, 0.02)), P(box(0.5, 0.38, 0.3, 0.04, 0.01), 'dark'), P(box(0.5, 0.55, 0.06, 0.02, 0.01), 'dark')] : []),
    ...(v === 1 ? [P(union(segment(0.2, 0.64, 0.5, 0.4, 0.015), segment(0.8, 0.64, 0.5, 0.4, 0.015), segment(0.2, 0.64, 0.8, 0.64, 0.015))), P(intersect(ring(0.5, 0.32, 0.05, 0.01), box(0.5, 0.3, 0.06, 0.05)), [150, 150, 150])] : []),
    ...(v >= 2 ? [P(box(0.22, 0.5, 0.02, 0.34), 'dark'), P(box(0.78, 0.5, 0.02, 0.34), 'dark'), ...[0.3, 0.52, 0.74].map((y) => P(box(0.5, y, 0.28, 0.025)))] : []),
  ],
  灯具: (v) => [
    ...(v === 0 ? [P(box(0.4, 0.8, 0.14, 0.03, 0.01), 'dark'), P(segment(0.4, 0.78, 0.5, 0.5, 0.012), 'dark'), P(segment(0.5, 0.5, 0.62, 0.34, 0.012), 'dark'), P(polygon([0.56, 0.26, 0.7, 0.3, 0.76, 0.48, 0.5, 0.4]))] : []),
    ...(v === 1 ? [P(segment(0.5, 0.1, 0.5, 0.36, 0.006), 'dark'), P(intersect(ellipse(0.5, 0.5, 0.3, 0.14), box(0.5, 0.43, 0.32, 0.07))), P(ellipse(0.5, 0.5, 0.3, 0.03), [255, 240, 190])] : []),
    ...(v >= 2 ? [P(segment(0.5, 0.32, 0.5, 0.84, 0.012), 'dark'), P(ellipse(0.5, 0.86, 0.12, 0.025), 'dark'), P(polygon([0.4, 0.14, 0.6, 0.14, 0.68, 0.34, 0.32, 0.34]))] : []),
  ],
};

/** Scales a shape by `k` about its own centre (0.5, 0.5) and moves that centre to (cx, cy). @example shrink(garment(1), 0.5, 0.3, 0.6) // a small tee at the top */
export function shrink(shape: Part['shape'], cx: number, cy: number, k: number): Part['shape'] {
  return (x, y) => shape((x - cx) / k + 0.5, (y - cy) / k + 0.5) * k;
}
