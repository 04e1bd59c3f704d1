import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { AppError } from '../../core/errors.js';

/** An 8-bit RGB image, rows top to bottom, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Largest image decoded, in pixels (a 40-megapixel photo); bigger ones are refused before decoding. @example MAX_IMAGE_PIXELS // 40_000_000 */
export const MAX_IMAGE_PIXELS = 40_000_000;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What the first bytes say the image is (`undefined`: not an image format we know).
 *
 * @example sniffFormat(readFileSync('a.png')) // 'png'
 */
export function sniffFormat(bytes: Uint8Array): 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | undefined {
  const at = (i: number) => bytes[i];
  if (PNG_MAGIC.every((b, i) => at(i) === b)) return 'png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46) return 'gif';
  if (at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46 && at(8) === 0x57 && at(9) === 0x45) return 'webp';
  if (at(0) === 0x42 && at(1) === 0x4d) return 'bmp';
  return undefined;
}

/**
 * Decodes PNG or JPEG bytes to 8-bit RGB (transparent pixels composited on white). Anything else —
 * empty, truncated or corrupt bytes, another format, an image over `MAX_IMAGE_PIXELS` — is an
 * `AppError` invalid that says what was wrong.
 *
 * @example const { width, height, data } = decodeImage(readFileSync('shoe.jpg'));
 */
export function decodeImage(bytes: Uint8Array, field = 'image'): RgbImage {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw AppError.invalid('the image is empty: send PNG or JPEG bytes', { field });
  const format = sniffFormat(bytes);
  if (format === 'png') return decodePng(bytes, field);
  if (format === 'jpeg') return decodeJpeg(bytes, field);
  if (format) throw AppError.invalid(`${format.toUpperCase()} images are not supported: send PNG or JPEG`, { field, format });
  throw AppError.invalid(`the ${bytes.length} bytes are not a PNG or JPEG image (unknown signature ${hex(bytes.subarray(0, 4))})`, { field });
}

function decodePng(bytes: Uint8Array, field: string): RgbImage {
  if (bytes.length < 33) throw AppError.invalid(`the PNG is truncated (${bytes.length} bytes, not even a header)`, { field, format: 'png' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  checkSize(width, height, field, 'png');
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new AppError('invalid', `the PNG could not be decoded: ${(error as Error).message}`, { field, format: 'png' }, { cause: error });
  }
  return fromRgba(png.width, png.height, png.data);
}

function decodeJpeg(bytes: Uint8Array, field: string): RgbImage {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new AppError('invalid', `the JPEG could not be decoded: ${(error as Error).message}`, { field, format: 'jpeg' }, { cause: error });
  }
  checkSize(image.width, image.height, field, 'jpeg');
  if (image.data.length < image.width * image.height * 4) throw AppError.invalid('the JPEG is truncated', { field, format: 'jpeg' });
  return fromRgba(image.width, image.height, image.data);
}

function checkSize(width: number, height: number, field: string, format: string): void {
  if (!(width >= 1 && height >= 1)) throw AppError.invalid(`the ${format.toUpperCase()} has no pixels (${width} × ${height})`, { field, format });
  if (width * height > MAX_IMAGE_PIXELS) throw AppError.invalid(`the image is ${width} × ${height}: more than the ${MAX_IMAGE_PIXELS / 1e6} megapixels accepted`, { field, format });
}

function fromRgba(width: number, height: number, rgba: Uint8Array): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    const a = rgba[i + 3]!;
    if (a === 255) {
      data[j] = rgba[i]!;
      data[j + 1] = rgba[i + 1]!;
      data[j + 2] = rgba[i + 2]!;
    } else {
      const white = 255 - a;
      data[j] = Math.round((rgba[i]! * a) / 255 + white);
      data[j + 1] = Math.round((rgba[i + 1]! * a) / 255 + white);
      data[j + 2] = Math.round((rgba[i + 2]! * a) / 255 + white);
    }
  }
  return { width, height, data };
}

/**
 * Encodes RGB as a PNG (8-bit, no alpha).
 *
 * @example writeFileSync('p-00001.png', encodePng(image));
 */
export function encodePng(image: RgbImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 4 }));
}

/**
 * Encodes RGB as a baseline JPEG of the given quality (1–100).
 *
 * @example const bytes = encodeJpeg(image, 80);
 */
export function encodeJpeg(image: RgbImage, quality = 85): Uint8Array {
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0, j = 0; j < image.data.length; i += 4, j += 3) {
    rgba[i] = image.data[j]!;
    rgba[i + 1] = image.data[j + 1]!;
    rgba[i + 2] = image.data[j + 2]!;
    rgba[i + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: rgba }, quality).data);
}

/**
 * The model's view of an image: letterboxed to a square on the mean colour of its border (so a wide
 * photo is not squashed), area-averaged to `size` × `size`, channels-last floats in [0, 1].
 *
 * @example const pixels = toTensor(decodeImage(bytes), 32); // Float32Array(32 · 32 · 3)
 */
export function toTensor(image: RgbImage, size: number): Float32Array {
  const { width, height, data } = image;
  const side = Math.max(width, height);
  const offsetX = (side - width) / 2;
  const offsetY = (side - height) / 2;
  const border = borderColour(image);
  const out = new Float32Array(size * size * 3);
  const scale = side / size;
  // Per output pixel, the square [x0, x1) × [y0, y1) of the letterboxed source, weighted by overlap.
  const spans = (o: number, offset: number, extent: number) => {
    const from = o * scale - offset;
    const to = (o + 1) * scale - offset;
    const list: [index: number, weight: number][] = [];
    for (let s = Math.floor(from); s < to; s++) {
      const w = Math.min(to, s + 1) - Math.max(from, s);
      if (w > 0 && s >= 0 && s < extent) list.push([s, w]);
    }
    return { list };
  };
  const xs = Array.from({ length: size }, (_, x) => spans(x, offsetX, width));
  for (let y = 0; y < size; y++) {
    const ys = spans(y, offsetY, height);
    for (let x = 0; x < size; x++) {
      const sx = xs[x]!;
      let r = 0, g = 0, b = 0, total = 0;
      for (const [sy, wy] of ys.list) {
        for (const [px, wx] of sx.list) {
          const w = wx * wy;
          const at = (sy * width + px) * 3;
          r += w * data[at]!;
          g += w * data[at + 1]!;
          b += w * data[at + 2]!;
          total += w;
        }
      }
      const area = scale * scale;
      const pad = area - total; // the letterbox part of this pixel
      const at = (y * size + x) * 3;
      out[at] = (r + pad * border[0]) / area / 255;
      out[at + 1] = (g + pad * border[1]) / area / 255;
      out[at + 2] = (b + pad * border[2]) / area / 255;
    }
  }
  return out;
}

function borderColour({ width, height, data }: RgbImage): [number, number, number] {
  const sum: [number, number, number] = [0, 0, 0];
  let n = 0;
  const add = (x: number, y: number) => {
    const at = (y * width + x) * 3;
    sum[0] += data[at]!;
    sum[1] += data[at + 1]!;
    sum[2] += data[at + 2]!;
    n++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'none';
}
