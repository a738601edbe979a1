// mediapipe.sample-rest (its judgement, judgeSamples in common.ts, is sample-grpc's too): each graph's
// sample answered as expected, a graph that failed or killed the server named, the graphs after it
// not tried.
import { describe, expect, it } from 'vitest';
import { judgeSamples, type GraphSample } from './common.js';

const ok = (name: string): GraphSample => ({ name, where: name, state: 'ok', lines: ['REST POST /v2/models/x/infer -> 200', 'out: 10 values exactly as expected'], liveAfter: true, liveItems: [] });

describe('mediapipe.sample-rest', () => {
  it('pass when every graph answers its sample and the server stays live', () => {
    expect(judgeSamples('REST', [ok('a'), ok('b')]).verdict).toBe('pass');
  });

  it('fail naming a graph whose answer was wrong, with the server error', () => {
    const j = judgeSamples('gRPC', [ok('a'), { name: 'broken', where: 'broken', state: 'failed', lines: ['gRPC ModelInfer -> UNKNOWN "Unknown error"'], liveAfter: true, liveItems: [] }]);
    expect(j.verdict === 'violated' && j.summary).toBe('1 graph(s) failed their gRPC sample: broken: gRPC ModelInfer -> UNKNOWN "Unknown error"');
  });

  it('fail naming the graph that killed the server, and list the graphs after it as not tried', () => {
    const j = judgeSamples('REST', [
      { name: 'killer', where: 'killer', state: 'failed', lines: ['REST POST /v2/models/killer/infer -> no answer'], liveAfter: false, liveItems: ['no answer'], exitCode: 134, logTail: ['terminate called'] },
      { name: 'later', where: 'later', state: 'not tried', killer: 'killer' },
    ]);
    expect(j.verdict === 'violated' && j.summary).toContain('killer killed the server (exit code 134)');
    expect(j.verdict === 'violated' && j.evidence.observed).toEqual({ killer: 'failed', later: 'not tried' });
  });

  it('fail a graph without a usable sample', () => {
    expect(judgeSamples('REST', [{ name: 'a', where: 'a', state: 'no sample', problem: 'cannot read sample.json' }]).verdict).toBe('violated');
  });
});
