// Announced shapes against answered ones: -1 is a dynamic dimension, as OVMS reports them.
import { describe, expect, it } from 'vitest';
import { shapeMatches } from '../../src/protocol/tensor.js';
import { concreteShape } from '../../src/probes/payload.js';

describe('shapeMatches', () => {
  it.each([
    [[1, -1], [1, 1], true],
    [[1, -1], [1, 1000], true],
    [[-1, -1, 3], [4, 7, 3], true],
    [[1, 1000], [1, 1000], true],
    [[1, 1000], [1, 999], false],
    [[1, -1], [2, 5], false],
    [[1, -1], [1], false],
    [[1, -1], [1, 1, 1], false],
    [[], [], true],
  ] as const)('announced %j, answered %j -> %s', (announced, answered, ok) => {
    expect(shapeMatches(announced, answered)).toBe(ok);
  });
  it('requests of a dynamic input use size 1 for each dynamic dimension', () => {
    expect(concreteShape([1, -1, 224])).toEqual([1, 1, 224]);
  });
});
