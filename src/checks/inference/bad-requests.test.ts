// inference.bad-requests: OVMS's codes for each hostile request, and the server live afterwards.
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../probes/bad-requests.js';
import { judgeBadRequests } from './bad-requests.js';

const probe = (name: string, status: number | string, expected: number | string): ProbeResult => ({ name, transport: 'REST', request: 'POST', expected, derived: false, status, message: '', ok: status === expected });
const live = { live: true, items: ['REST GET /v2/health/live -> 200'] };

describe('inference.bad-requests', () => {
  it('passes when every request gets the expected client error and the server stays live', () => {
    const j = judgeBadRequests({ results: [probe('malformed JSON', 412, 412), probe('unknown model', 404, 404)], absent: [], alive: live });
    expect(j.verdict === 'pass' && j.summary).toBe("2 malformed or hostile requests got OVMS's client errors; live afterwards");
  });

  it('fails an unexpected status, naming the request and both codes', () => {
    const j = judgeBadRequests({ results: [probe('deep JSON nesting', 200, 500)], absent: [], alive: live });
    expect(j.verdict === 'violated' && j.summary).toBe('1 of 1 requests got an unexpected status: REST deep JSON nesting -> 200 (expected 500)');
  });

  it('fails a server that is not live afterwards, even when every answer was right', () => {
    const j = judgeBadRequests({ results: [probe('deep JSON nesting', 'no answer', 500)], absent: ['gRPC probes not sent: no gRPC endpoint in this deployment'], alive: { live: false, items: ['REST GET /v2/health/live -> no answer (ECONNREFUSED)'] } });
    expect(j.verdict === 'violated' && j.summary).toContain('the server is not live after the hostile requests');
    expect(j.verdict === 'violated' && j.evidence.items).toContain('gRPC probes not sent: no gRPC endpoint in this deployment');
  });
});
