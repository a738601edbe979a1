// Turns a JPEG into resnet50-binary-0001's input the way the OVMS image-classification demo does
// (demos/image_classification/python/image_classification.py, model-files.md 3): BGR, values
// 0..255, center crop to 224x224 (a side under 224 is first scaled up), no normalisation, NCHW.
import jpeg from 'jpeg-js';

export const SIDE = 224;

export interface DecodedImage { width: number; height: number; rgba: Uint8Array }

export function decodeJpeg(bytes: Buffer): DecodedImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, rgba: img.data };
}

/** Nearest-neighbour scale-up of one side to 224 (only used when a side is under 224). */
function upscale(img: DecodedImage): DecodedImage {
  const width = Math.max(img.width, SIDE);
  const height = Math.max(img.height, SIDE);
  if (width === img.width && height === img.height) return img;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.floor((y * img.height) / height);
    for (let x = 0; x < width; x++) {
      const sx = Math.floor((x * img.width) / width);
      rgba.set(img.rgba.subarray((sy * img.width + sx) * 4, (sy * img.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

/** FP32 NCHW [1,3,224,224], channels in BGR order, values 0..255. */
export function toResnetInput(source: DecodedImage): Float32Array {
  const img = upscale(source);
  const x0 = Math.floor((img.width - SIDE) / 2);
  const y0 = Math.floor((img.height - SIDE) / 2);
  const plane = SIDE * SIDE;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const p = ((y0 + y) * img.width + (x0 + x)) * 4;
      const i = y * SIDE + x;
      out[i] = img.rgba[p + 2]!; // B
      out[plane + i] = img.rgba[p + 1]!; // G
      out[2 * plane + i] = img.rgba[p]!; // R
    }
  }
  return out;
}
