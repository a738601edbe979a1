// mediapipe.sample-grpc: its judgement is the one sample-rest uses (judgeSamples, in common.ts), over
// gRPC: the ModelInfer and ModelStreamInfer lines of each graph, a failed stream named.
import { describe, expect, it } from 'vitest';
import { judgeSamples, type GraphSample } from './common.js';

const graph = (name: string, lines: string[], state: 'ok' | 'failed'): GraphSample => ({ name, where: name, state, lines, liveAfter: true, liveItems: [] });

describe('mediapipe.sample-grpc', () => {
  it('passes ModelInfer and ModelStreamInfer answers that match the samples, saying streams were sent too', () => {
    const j = judgeSamples('gRPC', [graph('dummyAdd', ['gRPC ModelInfer -> OK', 'out: 10 values exactly as expected', 'gRPC ModelStreamInfer -> infer_response', 'out: 10 values exactly as expected'], 'ok')]);
    expect(j.verdict === 'pass' && j.summary).toBe('all 1 graphs answered their samples over gRPC (ModelStreamInfer too where the sample is a stream) and the server stayed live');
  });

  it('fails a stream graph whose ModelStreamInfer answered an error, naming it', () => {
    const j = judgeSamples('gRPC', [graph('streamy', ['gRPC ModelInfer -> OK', 'out: 1 values exactly as expected', 'gRPC ModelStreamInfer -> error_message "graph stopped"'], 'failed')]);
    expect(j.verdict === 'violated' && j.summary).toBe('1 graph(s) failed their gRPC sample: streamy: gRPC ModelStreamInfer -> error_message "graph stopped"');
  });
});
