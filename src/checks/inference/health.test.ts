// inference.health: live and ready over every protocol the deployment has; an absent one is named.
import { describe, expect, it } from 'vitest';
import { judgeHealth } from './health.js';

const ok = { lines: ['REST GET /v2/health/live -> 200', 'REST GET /v2/health/ready -> 200'], ok: true };
const notReady = { lines: ['gRPC ServerLive -> OK live=true', 'gRPC ServerReady -> OK ready=false'], ok: false };

describe('inference.health', () => {
  it('passes when every protocol the deployment has says live and ready', () => {
    const j = judgeHealth({ REST: ok, gRPC: { ...ok, lines: ['gRPC ServerLive -> OK live=true'] } });
    expect(j.verdict === 'pass' && j.summary).toBe('live and ready over REST and gRPC');
  });

  it('judges a gRPC-only deployment by gRPC alone, naming the absent REST endpoint', () => {
    const j = judgeHealth({ REST: { absent: 'no REST endpoint in this deployment (gRPC only)' }, gRPC: ok });
    expect(j.verdict === 'pass' && j.summary).toBe('live and ready over gRPC');
    expect(j.verdict === 'pass' && j.evidence.items).toContain('REST: no REST endpoint in this deployment (gRPC only)');
  });

  it('fails a protocol that is not ready, naming it', () => {
    const j = judgeHealth({ REST: ok, gRPC: notReady });
    expect(j.verdict === 'violated' && j.summary).toBe('not live and ready over gRPC');
    expect(j.verdict === 'violated' && j.evidence.observed).toEqual({ REST: true, gRPC: false });
  });

  it('skips a deployment with no endpoint at all', () => {
    expect(judgeHealth({ REST: { absent: 'none' }, gRPC: { absent: 'none' } }).verdict).toBe('skip');
  });
});
