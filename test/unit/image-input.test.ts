// zebra.jpeg prepared as the OVMS demo prepares it: decoded, center-cropped to 224x224, BGR planes.
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, toResnetInput } from '../../src/probes/image-input.js';

describe('zebra preprocessing (as the OVMS demo)', () => {
  // 300x240 image: left half pure red, right half pure blue.
  const width = 300, height = 240;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = (y * width + x) * 4;
    rgba.set(x < width / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], p);
  }
  const encoded = jpeg.encode({ width, height, data: rgba }, 100).data;

  it('decodes, center-crops to 224x224 and lays out BGR planes (NCHW, 0..255)', () => {
    const img = decodeJpeg(Buffer.from(encoded));
    expect([img.width, img.height]).toEqual([300, 240]);
    const t = toResnetInput(img);
    expect(t).toHaveLength(3 * 224 * 224);
    const plane = 224 * 224;
    const at = (c: number, y: number, x: number) => t[c * plane + y * 224 + x]!;
    // left edge of the crop is red: B plane low, R plane high
    expect(at(0, 100, 5)).toBeLessThan(30);
    expect(at(2, 100, 5)).toBeGreaterThan(220);
    // right edge is blue: B plane high, R plane low
    expect(at(0, 100, 218)).toBeGreaterThan(220);
    expect(at(2, 100, 218)).toBeLessThan(30);
  });

  it('scales a side under 224 up before cropping', () => {
    const t = toResnetInput({ width: 100, height: 100, rgba: new Uint8Array(100 * 100 * 4).fill(200) });
    expect(t).toHaveLength(3 * 224 * 224);
    expect(t.every((v) => v === 200)).toBe(true);
  });
});
