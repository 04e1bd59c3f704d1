// A tiny vector rasteriser for the demo's product pictures: shapes are signed distance functions in a
// unit square (x right, y down; negative inside), painted in order with an outline and antialiased
// edges. Enough for silhouettes of shirts, shoes, phones and bottles; no dependency.
import type { RgbImage } from './image-codec.js';

/** √(x² + y²) (Math.hypot is several times slower in V8). */
const len = (x: number, y: number) => Math.sqrt(x * x + y * y);

/**
 * Signed distance from (x, y) to a shape's edge, in unit-square units; negative inside. The primitives
 * below build them, e.g. `union(circle(0.5, 0.4, 0.2), box(0.5, 0.7, 0.1, 0.1))`.
 *
 * @example const d = circle(0.5, 0.5, 0.25)(0.5, 0.5); // -0.25
 */
export type Sdf = (x: number, y: number) => number;
export type Rgb = readonly [number, number, number];

/** What a part is painted with: the product's colour, a darker or lighter shade of it, a fixed accent, or a given colour. */
export type Paint = 'main' | 'dark' | 'light' | 'accent' | 'glass' | Rgb;

export interface Part {
  shape: Sdf;
  paint: Paint;
  /** Draw a thin darker outline around the part (default true). */
  outline?: boolean;
}

export const circle = (cx: number, cy: number, r: number): Sdf => (x, y) => len(x - cx, y - cy) - r;

/** An ellipse (approximate distance, exact on the axes: good enough for antialiasing). */
export const ellipse = (cx: number, cy: number, rx: number, ry: number): Sdf => (x, y) => {
  const k = len((x - cx) / rx, (y - cy) / ry);
  return (k - 1) * Math.min(rx, ry);
};

/** An axis-aligned box centred at (cx, cy) with half sizes (hw, hh) and corner radius r. */
export const box = (cx: number, cy: number, hw: number, hh: number, r = 0): Sdf => (x, y) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

/** A line segment from (ax, ay) to (bx, by) with round caps, half thickness r. */
export const segment = (ax: number, ay: number, bx: number, by: number, r: number): Sdf => (x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
  return len(px - dx * h, py - dy * h) - r;
};

/** A ring (annulus) of radius r and half thickness t. */
export const ring = (cx: number, cy: number, r: number, t: number): Sdf => (x, y) => Math.abs(len(x - cx, y - cy) - r) - t;

/** A simple polygon given as [x0, y0, x1, y1, …] (exact distance, winding-independent). */
export const polygon = (points: readonly number[]): Sdf => {
  const n = points.length / 2;
  return (x, y) => {
    let d = Infinity;
    let inside = false;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = points[2 * i]!, yi = points[2 * i + 1]!, xj = points[2 * j]!, yj = points[2 * j + 1]!;
      const ex = xj - xi, ey = yj - yi, wx = x - xi, wy = y - yi;
      const h = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey || 1)));
      d = Math.min(d, len(wx - ex * h, wy - ey * h));
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside ? -d : d;
  };
};

export const union = (...shapes: Sdf[]): Sdf => (x, y) => {
  let d = Infinity;
  for (const s of shapes) d = Math.min(d, s(x, y));
  return d;
};
export const intersect = (a: Sdf, b: Sdf): Sdf => (x, y) => Math.max(a(x, y), b(x, y));
export const subtract = (a: Sdf, b: Sdf): Sdf => (x, y) => Math.max(a(x, y), -b(x, y));

/** The colours a design's paints resolve to. */
export interface Palette {
  main: Rgb;
  accent: Rgb;
}

/** Where and how big the product sits in the picture: shift in picture units, scale, mirror. */
export interface Placement {
  dx: number;
  dy: number;
  scale: number;
  flip: boolean;
}

/** The picture's backdrop: a vertical gradient from `top` to `bottom` and a soft shadow under the product. */
export interface Backdrop {
  top: Rgb;
  bottom: Rgb;
  shadow: number;
}

const shade = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
const tint = (c: Rgb, f: number): Rgb => [c[0] + (255 - c[0]) * f, c[1] + (255 - c[1]) * f, c[2] + (255 - c[2]) * f];
/** Perceived brightness 0–255. */
const luma = (c: Rgb) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];

function resolve(paint: Paint, palette: Palette): Rgb {
  switch (paint) {
    case 'main': return palette.main;
    case 'dark': return luma(palette.main) < 60 ? tint(palette.main, 0.25) : shade(palette.main, 0.62);
    case 'light': return tint(palette.main, 0.45);
    case 'accent': return palette.accent;
    case 'glass': return [40, 48, 60];
    default: return paint;
  }
}

/**
 * Renders parts on a backdrop into a `size` × `size` RGB picture with 1-pixel antialiased edges and a
 * 1-pixel outline (a dark shade of each part's colour, a light one for very dark parts).
 *
 * @example const image = render([{ shape: circle(0.5, 0.5, 0.3), paint: 'main' }], { main: [200, 30, 40], accent: [30, 30, 30] }, placement, backdrop, 64);
 */
export function render(parts: readonly Part[], palette: Palette, at: Placement, backdrop: Backdrop, size: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  const colours = parts.map((p) => resolve(p.paint, palette));
  const outlines = colours.map((c) => (luma(c) < 70 ? tint(c, 0.5) : shade(c, 0.45)));
  const pixel = 1 / (size * at.scale); // one picture pixel in design units
  const shadow = ellipse(0.5, 0.9, 0.34, 0.05);
  const px = new Float64Array(3);
  const toU = (x: number) => {
    const u = (x / size - 0.5 - at.dx) / at.scale + 0.5;
    return at.flip ? 1 - u : u;
  };
  const toW = (y: number) => (y / size - 0.5 - at.dy) / at.scale + 0.5;
  // Tiles of 8 × 8 pixels: a part whose distance at the tile's centre exceeds the tile's half
  // diagonal (plus the outline and antialiasing reach) cannot touch it. Every Sdf here is a lower
  // bound of the true distance (min / max of exact or conservative distances), so skipping is safe.
  const TILE = 8;
  const reach = TILE * Math.SQRT1_2 + 3;
  const active: number[] = [];
  for (let ty = 0; ty < size; ty += TILE) {
    for (let tx = 0; tx < size; tx += TILE) {
      const cu = toU(tx + TILE / 2), cw = toW(ty + TILE / 2);
      active.length = 0;
      for (let i = 0; i < parts.length; i++) if (parts[i]!.shape(cu, cw) / pixel <= reach) active.push(i);
      const shadowNear = backdrop.shadow > 0 && shadow(cu, cw) / pixel <= reach + 3;
      for (let y = ty; y < Math.min(size, ty + TILE); y++) {
        const t = (y + 0.5) / size;
        const w = toW(y + 0.5);
        for (let x = tx; x < Math.min(size, tx + TILE); x++) {
          px[0] = backdrop.top[0] + (backdrop.bottom[0] - backdrop.top[0]) * t;
          px[1] = backdrop.top[1] + (backdrop.bottom[1] - backdrop.top[1]) * t;
          px[2] = backdrop.top[2] + (backdrop.bottom[2] - backdrop.top[2]) * t;
          const u = toU(x + 0.5);
          if (shadowNear) {
            const d = shadow(u, w) / pixel;
            const cover = Math.max(0, Math.min(1, 0.5 - d / 3)) * backdrop.shadow;
            if (cover > 0) for (let c = 0; c < 3; c++) px[c] = px[c]! * (1 - 0.35 * cover);
          }
          for (const i of active) {
            const part = parts[i]!;
            const d = part.shape(u, w) / pixel;
            if (d > 2) continue;
            if (part.outline ?? true) blend(px, outlines[i]!, Math.max(0, Math.min(1, 0.5 - (d - 1))));
            blend(px, colours[i]!, Math.max(0, Math.min(1, 0.5 - d)));
          }
          const at3 = (y * size + x) * 3;
          data[at3] = clamp255(px[0]!);
          data[at3 + 1] = clamp255(px[1]!);
          data[at3 + 2] = clamp255(px[2]!);
        }
      }
    }
  }
  return { width: size, height: size, data };
}

function blend(px: Float64Array, c: Rgb, alpha: number): void {
  if (alpha <= 0) return;
  px[0] = px[0]! + (c[0] - px[0]!) * alpha;
  px[1] = px[1]! + (c[1] - px[1]!) * alpha;
  px[2] = px[2]! + (c[2] - px[2]!) * alpha;
}

function clamp255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
