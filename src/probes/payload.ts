// Sizes and bytes for oversize probes: a gRPC ModelInferRequest whose serialized size is exactly
// N bytes, built as a small protobuf head plus a padding run that is streamed from one reused buffer.

/** Length of a protobuf varint. */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) { n = Math.floor(n / 128); len++; }
  return len;
}

export function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 128) { out.push((n % 128) | 0x80); n = Math.floor(n / 128); }
  out.push(n);
  return Buffer.from(out);
}

function field(tag: number, body: Buffer): Buffer {
  return Buffer.concat([varint(tag), varint(body.length), body]);
}

export interface SizedMessage {
  /** Serialized protobuf bytes that precede the padding (includes the padding field's tag and length). */
  head: Buffer;
  /** Number of zero bytes that follow `head`; head.length + padding = the requested size. */
  padding: number;
  describe: string;
}

/**
 * ModelInferRequest { model_name, inputs[0] = {name, datatype, shape}, raw_input_contents[0] = zeros }
 * with serialized size exactly `size`. A server without a size limit reaches the model and answers
 * with a content-size error; one with the limit never parses it.
 */
export function sizedInferRequest(size: number, model: string, input: { name: string; datatype: string; shape: number[] }): SizedMessage {
  // A dynamic dimension (-1) gets a concrete size, so the request is well-formed protobuf.
  const shape = concreteShape(input.shape);
  const shapeBody = Buffer.concat(shape.map((d) => varint(d)));
  const tensor = Buffer.concat([
    field(0x0a, Buffer.from(input.name)),
    field(0x12, Buffer.from(input.datatype)),
    field(0x1a, shapeBody),
  ]);
  const fixed = Buffer.concat([field(0x0a, Buffer.from(model)), field(0x2a, tensor)]);
  // raw_input_contents = field 7, wire type 2: tag byte 0x3a, varint length, then the bytes.
  let pad = size - fixed.length - 1 - 1;
  while (fixed.length + 1 + varintLength(pad) + pad > size) pad--;
  if (pad < 0 || fixed.length + 1 + varintLength(pad) + pad !== size) throw new Error(`cannot build a ModelInferRequest of exactly ${size} bytes`);
  const head = Buffer.concat([fixed, Buffer.from([0x3a]), varint(pad)]);
  return { head, padding: pad, describe: `ModelInferRequest(model_name=${model}, input ${input.name} ${input.datatype}[${shape.join(',')}], raw_input_contents ${pad} zero bytes)` };
}

/** A served shape with its dynamic dimensions (-1, or any negative) set to 1. */
export function concreteShape(shape: readonly number[]): number[] {
  return shape.map((d) => (d < 0 ? 1 : d));
}

export const CHUNK = Buffer.alloc(1 << 20);

/** Yields `count` zero bytes as views of one reused 1 MiB buffer. */
export function* zeros(count: number): Generator<Buffer> {
  let left = count;
  while (left > 0) {
    const n = Math.min(left, CHUNK.length);
    yield n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n);
    left -= n;
  }
}
