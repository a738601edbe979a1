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
