import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLargerThanMax } from '../../src/probes/oversize-grpc.js';
import { sizedInferRequest, varint, varintLength, zeros } from '../../src/probes/payload.js';

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../src/protocol/grpc_predict_v2.proto', import.meta.url)), { keepCase: true });
const ModelInferRequest = root.lookupType('inference.ModelInferRequest');

describe('sized ModelInferRequest', () => {
  it.each([200, 1000, 16_384, 16_385, 2_097_151, 2_097_152, 2_097_153, 8_388_609])('serializes to exactly %i bytes and decodes', (size) => {
    const m = sizedInferRequest(size, 'resnet', { name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] });
    expect(m.head.length + m.padding).toBe(size);
    if (size <= 2_097_153) {
      const bytes = Buffer.concat([m.head, Buffer.alloc(m.padding)]);
      const decoded = ModelInferRequest.toObject(ModelInferRequest.decode(bytes), { longs: Number }) as { model_name: string; inputs: { shape: number[] }[]; raw_input_contents: Uint8Array[] };
      expect(decoded.model_name).toBe('resnet');
      expect(decoded.inputs[0]!.shape).toEqual([1, 3, 224, 224]);
      expect(decoded.raw_input_contents[0]!.length).toBe(m.padding);
    }
  });

  it('the real sizes: 1 GiB and 1 GiB + 1', () => {
    for (const size of [1073741824, 1073741825]) {
      const m = sizedInferRequest(size, 'resnet', { name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] });
      expect(m.head.length + m.padding).toBe(size);
    }
  });

  it('varints match protobuf', () => {
    for (const n of [0, 1, 127, 128, 300, 16383, 16384, 1073741825]) {
      const w = protobuf.Writer.create().uint32(n).finish();
      expect(varint(n)).toEqual(Buffer.from(w));
      expect(varintLength(n)).toBe(w.length);
    }
  });

  it('zeros() reuses one buffer and yields exactly the count', () => {
    const chunks = [...zeros(3 * 1048576 + 5)];
    expect(chunks.reduce((a, c) => a + c.length, 0)).toBe(3 * 1048576 + 5);
    expect(chunks[0]!.buffer).toBe(chunks[1]!.buffer);
  });
});

describe('gRPC core size message', () => {
  it('parses N and L', () => {
    expect(parseLargerThanMax('Received message larger than max (1073741825 vs. 1073741824)')).toEqual({ size: 1073741825, limit: 1073741824 });
    expect(parseLargerThanMax('Bandwidth exhausted or memory limit exceeded')).toBeNull();
  });
});
