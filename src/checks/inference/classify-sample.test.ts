// inference.classify-sample: both transports must say 340 for zebra.jpeg.
import { describe, expect, it } from 'vitest';
import { judgeClassification } from './classify-sample.js';

describe('inference.classify-sample', () => {
  it('passes only when both transports say 340', () => {
    const ok = judgeClassification(340, 'zebra.jpeg', [
      { transport: 'REST', top: 340, score: 9, error: null }, { transport: 'gRPC', top: 340, score: 9, error: null }], []);
    expect(ok.verdict).toBe('pass');
  });
  it.each([
    [[{ transport: 'REST' as const, top: 340, score: 9, error: null }, { transport: 'gRPC' as const, top: 7, score: 3, error: null }], 'gRPC gave 7'],
    [[{ transport: 'REST' as const, top: null, score: null, error: '400 Invalid input shape' }, { transport: 'gRPC' as const, top: 340, score: 9, error: null }], 'REST failed'],
    [[], 'not classified'],
  ])('fails with %j', (seen, text) => {
    const o = judgeClassification(340, 'zebra.jpeg', seen, []);
    expect(o.verdict).toBe('violated');
    expect(o.verdict === 'violated' && o.summary).toContain(text);
  });
});
