import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadIr } from '../../fixtures/stand-in/src/ir.js';

const dir = fileURLToPath(new URL('../../fixtures/models/dummy/1/', import.meta.url));

describe('stand-in IR reader', () => {
  const ir = loadIr(`${dir}dummy.xml`, `${dir}dummy.bin`);

  it('reads the Parameter and Result layers of the dummy model', () => {
    expect(ir.inputs).toEqual([{ name: 'b', datatype: 'FP32', shape: [1, 10] }]);
    expect(ir.outputs).toEqual([{ name: 'a', datatype: 'FP32', shape: [1, 10] }]);
  });

  it('executes a = b + 1 with the constant from the .bin', () => {
    const out = ir.run(new Map([['b', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]]));
    expect(Array.from(out.get('a')!)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('a model with a dynamic dimension', () => {
  const dyn = fileURLToPath(new URL('../../fixtures/models/dynamic/1/', import.meta.url));
  const ir = loadIr(`${dyn}dynamic.xml`, `${dyn}dynamic.bin`);

  it('announces -1 for the dynamic dimension, as OVMS does', () => {
    expect(ir.inputs).toEqual([{ name: 'b', datatype: 'FP32', shape: [1, -1] }]);
    expect(ir.outputs).toEqual([{ name: 'a', datatype: 'FP32', shape: [1, -1] }]);
  });

  it('answers with the size sent', () => {
    for (const n of [1, 3]) {
      const shapes = new Map([['b', [1, n]]]);
      expect(ir.outputShapes(shapes).get('a')).toEqual([1, n]);
      expect(Array.from(ir.run(new Map([['b', new Float32Array(n)]]), shapes).get('a')!)).toEqual(Array(n).fill(1));
    }
  });
});

describe('resnet50-binary-0001 interface twin', () => {
  const twin = fileURLToPath(new URL('../../fixtures/models/resnet/1/', import.meta.url));
  const ir = loadIr(`${twin}resnet50-binary-0001-interface-twin.xml`, `${twin}resnet50-binary-0001-interface-twin.bin`);

  it('has the real model\'s interface: input 0 FP32 [1,3,224,224], output 1463 FP32 [1,1000]', () => {
    expect(ir.inputs).toEqual([{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] }]);
    expect(ir.outputs).toEqual([{ name: '1463', datatype: 'FP32', shape: [1, 1000] }]);
  });

  it('computes out[j] = sum_c mean_c * W[c][j], the documented twin computation', () => {
    const x = new Float32Array(3 * 224 * 224);
    for (let c = 0; c < 3; c++) x.fill(c + 1, c * 224 * 224, (c + 1) * 224 * 224); // channel means 1, 2, 3
    const out = ir.run(new Map([['0', x]])).get('1463')!;
    expect(out).toHaveLength(1000);
    const w = (c: number, j: number) => (((7 * j + 13 * c) % 17) - 8) / 8;
    for (const j of [0, 1, 500, 999]) expect(out[j]).toBeCloseTo(1 * w(0, j) + 2 * w(1, j) + 3 * w(2, j), 5);
  });
});
