import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverGraphs } from '../../src/mediapipe/discover.js';
import { compareOutputs, decodeRaw, rawInput, readSample, type Sample } from '../../src/mediapipe/sample.js';

describe('graph discovery', () => {
  it('finds graphs declared both ways, with their sample files', () => {
    const graphs = discoverGraphs(fileURLToPath(new URL('../../fixtures/models/mediapipe.json', import.meta.url)));
    expect(graphs.map((g) => `${g.name}:${g.style}`)).toEqual(['passthrough:model_config_list', 'dummyAdapter:model_config_list', 'dummyAdd:mediapipe_config_list', 'resnetMediapipe:mediapipe_config_list']);
    for (const g of graphs) expect(() => readSample(g.samplePath)).not.toThrow();
  });
});

describe('samples', () => {
  const sample: Sample = { inputs: [{ name: 'in', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }], outputs: [
    { name: 'a', rule: 'exact', data: [1, 2, 3] }, { name: 'b', rule: 'tolerance', tolerance: 0.01, data: [1, 2] }, { name: 'c', rule: 'argmax', argmax: 2, shape: [1, 3] },
  ] };

  it('judges exact, tolerance and argmax rules', () => {
    const ok = compareOutputs(sample, [
      { name: 'a', datatype: 'FP32', shape: [1, 3], values: [1, 2, 3] },
      { name: 'b', datatype: 'FP32', shape: [1, 2], values: [1.005, 2] },
      { name: 'c', datatype: 'FP32', shape: [1, 3], values: [0, 1, 9] },
    ]);
    expect(ok.ok).toBe(true);
    const bad = compareOutputs(sample, [
      { name: 'a', datatype: 'FP32', shape: [1, 3], values: [1, 2, 4] },
      { name: 'c', datatype: 'FP32', shape: [3], values: [9, 1, 0] },
    ]);
    expect(bad.ok).toBe(false);
    expect(bad.lines.join('\n')).toContain('(first at [2])');
    expect(bad.lines.join('\n')).toContain('b: missing from the response');
    expect(bad.lines.join('\n')).toContain('shape [3], expected [1,3]; argmax 0, expected 2');
  });

  it('encodes inputs raw and reads them back', () => {
    expect(decodeRaw('FP32', rawInput({ name: 'x', datatype: 'FP32', shape: [3], data: [1.5, -2, 3] }))).toEqual([1.5, -2, 3]);
    expect(decodeRaw('FP32', rawInput({ name: 'x', datatype: 'FP32', shape: [2, 2], fill: 7 }))).toEqual([7, 7, 7, 7]);
  });

  it('a malformed sample file is one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-'));
    writeFileSync(join(dir, 's.json'), JSON.stringify({ inputs: [{ name: 'in', datatype: 'FP32', shape: [1] }], outputs: [{ name: 'o', rule: 'exact', data: [1] }] }));
    expect(() => readSample(join(dir, 's.json'))).toThrow(/is not a valid sample: inputs.0 give either data or fill/);
  });
});
