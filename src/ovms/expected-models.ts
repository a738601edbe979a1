// What the served model's KServe metadata must say, per model name the harness knows.
import type { TensorMeta } from '../protocol/rest-client.js';

export interface ExpectedModel { inputs: TensorMeta[]; outputs: TensorMeta[]; source: string }

export const EXPECTED_MODELS: Record<string, ExpectedModel> = {
  resnet: {
    inputs: [{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] }],
    outputs: [{ name: '1463', datatype: 'FP32', shape: [1, 1000] }],
    source: 'resnet50-binary-0001 as served by the OVMS page command (ovms-facts 8, model-files 3)',
  },
  dummy: {
    inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10] }],
    outputs: [{ name: 'a', datatype: 'FP32', shape: [1, 10] }],
    source: 'OVMS src/test/dummy (ovms-facts 5)',
  },
};

const norm = (t: TensorMeta): string => `${t.name}:${t.datatype}[${t.shape.join(',')}]`;

export function describeTensors(ts: readonly TensorMeta[]): string {
  return ts.map(norm).join(' ');
}

export function sameTensors(a: readonly TensorMeta[], b: readonly TensorMeta[]): boolean {
  return describeTensors([...a].sort((x, y) => x.name.localeCompare(y.name))) === describeTensors([...b].sort((x, y) => x.name.localeCompare(y.name)));
}
