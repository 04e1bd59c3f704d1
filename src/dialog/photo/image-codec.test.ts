import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { decodeImage, encodeJpeg, encodePng, type RgbImage, sniffFormat, toTensor } from './image-codec.js';

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const at = (y * width + x) * 3;
    data[at] = Math.round((255 * x) / Math.max(1, width - 1));
    data[at + 1] = Math.round((255 * y) / Math.max(1, height - 1));
    data[at + 2] = 128;
  }
  return { width, height, data };
}

function invalidReason(bytes: Uint8Array): string {
  try {
    decodeImage(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid');
    return (error as AppError).message;
  }
  throw new Error('decoded bytes that should have been refused');
}

describe('image decoding', () => {
  it('round-trips PNG exactly and JPEG closely', () => {
    const image = gradient(20, 12);
    const png = encodePng(image);
    expect(sniffFormat(png)).toBe('png');
    expect(decodeImage(png)).toEqual(image);
    const jpeg = decodeImage(encodeJpeg(image, 95));
    expect([jpeg.width, jpeg.height]).toEqual([20, 12]);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(jpeg.data[i]! - image.data[i]!));
    expect(worst).toBeLessThan(40);
  });

  it('refuses what is not a PNG or JPEG with a reason', () => {
    expect(invalidReason(new Uint8Array())).toMatch(/empty/);
    expect(invalidReason(new TextEncoder().encode('hello, not a picture'))).toMatch(/not a PNG or JPEG.*68 65 6c 6c/);
    expect(invalidReason(new TextEncoder().encode('GIF89a......'))).toMatch(/GIF images are not supported/);
    const png = encodePng(gradient(16, 16));
    expect(invalidReason(png.subarray(0, 20))).toMatch(/PNG is truncated/);
    expect(invalidReason(png.subarray(0, png.length - 30))).toMatch(/PNG could not be decoded/);
    const corrupt = png.slice();
    corrupt.fill(7, 40, 60); // inside the compressed data
    expect(invalidReason(corrupt)).toMatch(/PNG could not be decoded/);
    const jpeg = encodeJpeg(gradient(16, 16));
    expect(invalidReason(jpeg.subarray(0, 40))).toMatch(/JPEG/);
  });

  it('refuses pictures larger than the pixel limit before decoding them', () => {
    const png = encodePng(gradient(4, 4)).slice();
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 100_000);
    expect(invalidReason(png)).toMatch(/megapixels/);
  });
});

describe('toTensor', () => {
  it('area-averages to the model size, channels last in [0, 1]', () => {
    const image: RgbImage = { width: 4, height: 4, data: new Uint8Array(48) };
    for (let i = 0; i < 16; i++) image.data.set(i % 4 < 2 ? [255, 0, 0] : [0, 0, 255], i * 3); // left half red, right half blue
    const t = toTensor(image, 2);
    expect([...t].map((v) => Math.round(v * 100) / 100)).toEqual([1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
  });

  it('letterboxes a wide picture on the mean colour of its border instead of squashing it', () => {
    const image: RgbImage = { width: 4, height: 2, data: new Uint8Array(24).fill(200) };
    const t = toTensor(image, 4);
    expect(t.length).toBe(48);
    // Every pixel is the picture's colour or the (identical) border colour.
    for (const v of t) expect(v).toBeCloseTo(200 / 255, 5);
  });
});
