// inference.model-metadata: the served interface against the expected one, on each protocol.
import { describe, expect, it } from 'vitest';
import { EXPECTED_MODELS } from '../../ovms/expected-models.js';
import { judgeModelMetadata, type MetadataAnswer } from './model-metadata.js';

const resnet = EXPECTED_MODELS['resnet']!;
const answer = (inputs = resnet.inputs, outputs = resnet.outputs): MetadataAnswer => ({ meta: { inputs, outputs }, line: 'metadata -> OK' });
const judge = (rest: MetadataAnswer | { absent: string }, grpc: MetadataAnswer | { absent: string }, model = 'resnet') =>
  judgeModelMetadata(model, EXPECTED_MODELS[model], Object.keys(EXPECTED_MODELS), { REST: rest, gRPC: grpc });

describe('inference.model-metadata', () => {
  it('passes resnet50-binary-0001 as OVMS serves it (input 0 FP32 [1,3,224,224], output 1463 FP32 [1,1000])', () => {
    const j = judge(answer(), answer());
    expect(j.verdict === 'pass' && j.summary).toBe('resnet serves 0:FP32[1,3,224,224] -> 1463:FP32[1,1000] over REST and gRPC');
  });

  it('fails another interface under the same name, and a protocol that gives none', () => {
    expect(judge(answer([{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224] }]), answer()).verdict).toBe('violated');
    expect(judge(answer(), { meta: null, line: 'gRPC ModelMetadata -> NOT_FOUND' }).verdict).toBe('violated');
  });

  it('skips a model it knows no interface for, and a deployment without endpoints', () => {
    const j = judge(answer(), answer(), 'llama');
    expect(j.verdict === 'skip' && j.reason).toBe('no expected metadata is known for model llama (known: resnet, dummy)');
    expect(judge({ absent: 'x' }, { absent: 'y' }).verdict).toBe('skip');
  });
});
